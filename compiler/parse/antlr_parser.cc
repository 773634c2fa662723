#include "compiler/parse/antlr_parser.h"

#include <algorithm>
#include <cstdint>
#include <memory>
#include <vector>

#include <fmt/format.h>

#include "antlr4-runtime.h"
#include "TopoLexer.h"
#include "TopoParser.h"
#include "compiler/diag/diagnostic_kinds.h"
#include "compiler/parse/antlr_errors.h"
#include "compiler/parse/antlr_token_source.h"
#include "compiler/parse/limits.h"
#include "compiler/parse/literals.h"
#include "compiler/parse/lexer.h"

namespace topoc::parse {

namespace {

using gen::TopoLexer;
using gen::TopoParser;
using diag::DiagKind;

// Byte offsets of code points: ANTLR indexes the text by code point, spans
// are bytes. offsets[i] is the byte offset of code point i; the last entry
// is the file size.
// When the file is pure ASCII (the usual case) code point i is byte i and
// `offsets` stays empty: the table would cost 4 bytes per source byte.
struct Text {
  std::string sanitized;          // valid UTF-8, same byte length as the file
  std::vector<uint32_t> offsets;  // code point index -> byte offset (empty if ascii)
  bool ascii = false;
  size_t CodePoints() const { return ascii ? sanitized.size() + 1 : offsets.size(); }
  uint32_t ByteAt(size_t cp_index) const {
    if (ascii) return static_cast<uint32_t>(std::min(cp_index, sanitized.size()));
    if (cp_index >= offsets.size()) return offsets.back();
    return offsets[cp_index];
  }
};

// Replaces each invalid byte with a space (reporting the first) so ANTLR's
// UTF-8 decoder never throws, and records code point offsets.
Text PrepareText(std::string_view text, FileId file, DiagnosticEngine& diags) {
  Text out;
  out.sanitized.assign(text);
  bool ascii = true;
  for (char c : text) {
    if (static_cast<unsigned char>(c) >= 0x80) {
      ascii = false;
      break;
    }
  }
  if (ascii) {
    out.ascii = true;
    return out;
  }
  out.offsets.reserve(text.size() + 1);
  bool reported = false;
  for (size_t i = 0; i < text.size();) {
    size_t n = ValidUtf8Length(text, i);
    out.offsets.push_back(static_cast<uint32_t>(i));
    if (n == 0) {
      if (!reported) {
        diags.Report(diag::Make(DiagKind::kInvalidUtf8,
                                Span{file, uint32_t(i), uint32_t(i + 1)},
                                fmt::format("{:02x}", static_cast<unsigned char>(text[i]))));
        reported = true;
      }
      out.sanitized[i] = ' ';
      n = 1;
    }
    i += n;
  }
  out.offsets.push_back(static_cast<uint32_t>(text.size()));
  return out;
}

// Converts ANTLR positions to byte spans and reports diagnostics, capping
// the number per file.
class Builder {
 public:
  Builder(FileId file, const Text& text, ast::Arena& arena, DiagnosticEngine& diags)
      : file_(file), text_(text), arena_(arena), diags_(diags) {}

  uint32_t ByteAt(size_t cp_index) const { return text_.ByteAt(cp_index); }
  // Error recovery makes up tokens (a "missing ';'") that point at no text;
  // such a token has no span, and the builder skips what it would name.
  bool IsReal(const antlr4::Token* t) const {
    return t && t->getStartIndex() != INVALID_INDEX && t->getStartIndex() < text_.CodePoints();
  }
  Span TokenSpan(const antlr4::Token* t) const {
    if (!IsReal(t)) return Span{};
    // EOF is an empty span at the end of the file; the stop index of a token
    // recovery shortened can precede its start, giving an empty span too.
    if (t->getType() == antlr4::Token::EOF) return Span{file_, ByteAt(t->getStartIndex()), ByteAt(t->getStartIndex())};
    size_t stop = t->getStopIndex();
    if (stop == INVALID_INDEX || stop < t->getStartIndex()) stop = t->getStartIndex() - 1;
    return Span{file_, ByteAt(t->getStartIndex()), ByteAt(stop + 1)};
  }
  Span CtxSpan(antlr4::ParserRuleContext* ctx) const {
    if (!ctx) return Span{};
    Span a = TokenSpan(ctx->getStart());
    Span b = TokenSpan(ctx->getStop());
    if (!a.valid()) return b;
    if (!b.valid() || b.end < a.begin) return a;
    return Span{file_, a.begin, b.end};
  }
  Span NodeSpan(antlr4::tree::TerminalNode* n) const { return n ? TokenSpan(n->getSymbol()) : Span{}; }
  // A token's text, cut from the UTF-8 source (cheaper than ANTLR's
  // getText, which converts from UTF-32 every time).
  std::string TextOf(const antlr4::Token* t) const {
    Span s = TokenSpan(t);
    if (!s.valid()) return {};
    return text_.sanitized.substr(s.begin, s.end - s.begin);
  }
  std::string TextOf(antlr4::tree::TerminalNode* n) const { return n ? TextOf(n->getSymbol()) : std::string(); }

  bool Report(Diagnostic d) {
    // Past the cap, one last diagnostic says the file has more, then silence.
    if (count_ >= kMaxErrorsPerFile) {
      if (count_ == kMaxErrorsPerFile) {
        ++count_;
        Diagnostic more = d;
        more.message = fmt::format("too many errors in this file; stopping after {}", kMaxErrorsPerFile);
        more.notes.clear();
        diags_.Report(std::move(more));
      }
      return false;
    }
    ++count_;
    diags_.Report(std::move(d));
    return true;
  }
  bool Full() const { return count_ >= kMaxErrorsPerFile; }

  // --- Leaves ---
  std::string StringValue(antlr4::tree::TerminalNode* n) {
    if (!n || !IsReal(n->getSymbol())) return {};
    // Bad escapes are reported here (E0007), each at its own bytes.
    return UnescapeString(TextOf(n), NodeSpan(n), diags_);
  }

  ast::Name MakeName(TopoParser::NameContext* ctx) {
    ast::Name name;
    if (!ctx) return name;
    if (ctx->ID() && IsReal(ctx->ID()->getSymbol())) {
      name.text = TextOf(ctx->ID());
      name.span = NodeSpan(ctx->ID());
    } else if (ctx->STRING() && IsReal(ctx->STRING()->getSymbol())) {
      name.text = StringValue(ctx->STRING());
      name.span = NodeSpan(ctx->STRING());
    } else if (ctx->keyword() && ctx->keyword()->getStart() && IsReal(ctx->keyword()->getStart())) {
      // A keyword used as an id (keywords are contextual).
      antlr4::Token* t = ctx->keyword()->getStart();
      name.text = TextOf(t);
      name.span = TokenSpan(t);
    }
    return name;
  }

  std::optional<int64_t> ParseInt(antlr4::tree::TerminalNode* n, std::string_view what) {
    if (!n || !IsReal(n->getSymbol())) return std::nullopt;
    std::optional<int64_t> v = IntTokenValue(TextOf(n));
    if (!v) Report(diag::Make(DiagKind::kNumberOutOfRange, NodeSpan(n), TextOf(n), what));
    return v;
  }

  std::optional<double> ParseDouble(antlr4::tree::TerminalNode* n) {
    if (!n || !IsReal(n->getSymbol())) return std::nullopt;
    std::optional<double> v = FloatTokenValue(TextOf(n));
    if (!v) Report(diag::Make(DiagKind::kNumberOutOfRange, NodeSpan(n), TextOf(n), "a double"));
    return v;
  }

  std::vector<ast::Name> Fields(TopoParser::FieldListContext* ctx) {
    std::vector<ast::Name> out;
    if (!ctx) return out;
    for (auto* n : ctx->name()) {
      ast::Name name = MakeName(n);
      if (!name.empty()) out.push_back(std::move(name));
    }
    return out;
  }

  std::vector<ir::JavaArg> JavaArgs(TopoParser::JavaArgsContext* ctx) {
    std::vector<ir::JavaArg> out;
    if (!ctx) return out;
    for (auto* a : ctx->javaArg()) {
      ir::JavaArg arg;
      arg.span = CtxSpan(a);
      if (a->STRING()) {
        arg.type = ir::JavaArg::Type::kString;
        arg.string_value = StringValue(a->STRING());
      } else if (a->LONG()) {
        arg.type = ir::JavaArg::Type::kLong;
        arg.int_value = ParseInt(a->LONG(), "a long").value_or(0);
      } else if (a->INT()) {
        // An unsuffixed integer is a Java int when it fits, else a long (the fast
        // parser decides the same way).
        int64_t v = ParseInt(a->INT(), "a long").value_or(0);
        arg.type = FitsInt32(v) ? ir::JavaArg::Type::kInt : ir::JavaArg::Type::kLong;
        arg.int_value = v;
      } else if (a->FLOAT()) {
        arg.type = ir::JavaArg::Type::kDouble;
        arg.double_value = ParseDouble(a->FLOAT()).value_or(0);
      // The only other javaArg alternative is a boolean literal.
      } else if (a->getStart() && IsReal(a->getStart())) {
        arg.type = ir::JavaArg::Type::kBool;
        arg.bool_value = TextOf(a->getStart()) == "true";
      } else {
        continue;
      }
      out.push_back(std::move(arg));
    }
    return out;
  }

  std::string ConfigKey(TopoParser::ConfigKeyContext* ctx) {
    if (!ctx) return {};
    if (ctx->STRING()) return StringValue(ctx->STRING());
    std::string key;
    for (auto* part : ctx->keyPart()) {
      if (!key.empty()) key += ".";
      // A bare key arrives as ids, ints and keywords between dots; only the
      // text between matters (whitespace around the dots is not kept).
      key += TextOf(part->getStart());
    }
    return key;
  }

  ir::Value Value(TopoParser::ValueContext* ctx) {
    if (!ctx) return nullptr;
    if (auto* v = dynamic_cast<TopoParser::StringValueContext*>(ctx)) return StringValue(v->STRING());
    if (auto* v = dynamic_cast<TopoParser::IntValueContext*>(ctx)) {
      auto i = ParseInt(v->INT(), "a 64-bit integer");
      // Out of range was reported (E0008); null keeps the entry for later checks.
      return i ? ir::Value(*i) : ir::Value(nullptr);
    }
    if (auto* v = dynamic_cast<TopoParser::FloatValueContext*>(ctx)) {
      auto d = ParseDouble(v->FLOAT());
      return d ? ir::Value(*d) : ir::Value(nullptr);
    }
    if (dynamic_cast<TopoParser::BoolValueContext*>(ctx)) return TextOf(ctx->getStart()) == "true";
    if (dynamic_cast<TopoParser::NullValueContext*>(ctx)) return nullptr;
    if (auto* v = dynamic_cast<TopoParser::ListValueContext*>(ctx)) {
      ir::Value list = ir::Value::array();
      for (auto* e : v->value()) list.push_back(Value(e));
      return list;
    }
    if (auto* v = dynamic_cast<TopoParser::MapValueContext*>(ctx)) {
      ir::Value map = ir::Value::object();
      // A repeated key keeps its last value (both parsers; sema does not check).
      for (auto* e : v->mapEntry()) map[ConfigKey(e->configKey())] = Value(e->value());
      return map;
    }
    return nullptr;
  }

  std::vector<ir::ConfigEntry> Config(TopoParser::ConfigBlockContext* ctx) {
    std::vector<ir::ConfigEntry> out;
    if (!ctx) return out;
    for (auto* e : ctx->configEntry()) {
      if (!e->configKey() || !e->value()) continue;
      ir::ConfigEntry entry;
      entry.key = ConfigKey(e->configKey());
      entry.key_span = CtxSpan(e->configKey());
      entry.value = Value(e->value());
      entry.value_span = CtxSpan(e->value());
      // A key recovery made up has no text: drop the entry rather than report
      // checks against a key the user never wrote.
      if (!entry.key_span.valid()) continue;
      out.push_back(std::move(entry));
    }
    return out;
  }

  ast::Grouping MakeGrouping(TopoParser::GroupingContext* ctx) {
    using K = ir::GroupingKind;
    ast::Grouping g;
    g.span = CtxSpan(ctx);
    if (dynamic_cast<TopoParser::ShuffleGroupingContext*>(ctx)) g.kind = K::kShuffle;
    else if (auto* f = dynamic_cast<TopoParser::FieldsGroupingContext*>(ctx)) {
      g.kind = K::kFields;
      g.fields = Fields(f->fieldList());
    } else if (dynamic_cast<TopoParser::AllGroupingContext*>(ctx)) g.kind = K::kAll;
    else if (dynamic_cast<TopoParser::GlobalGroupingContext*>(ctx)) g.kind = K::kGlobal;
    else if (dynamic_cast<TopoParser::NoneGroupingContext*>(ctx)) g.kind = K::kNone;
    else if (dynamic_cast<TopoParser::DirectGroupingContext*>(ctx)) g.kind = K::kDirect;
    else if (dynamic_cast<TopoParser::LocalOrShuffleGroupingContext*>(ctx)) g.kind = K::kLocalOrShuffle;
    else if (auto* p = dynamic_cast<TopoParser::PartialKeyGroupingContext*>(ctx)) {
      g.kind = K::kPartialKey;
      g.fields = Fields(p->fieldList());
    } else if (auto* c = dynamic_cast<TopoParser::CustomGroupingContext*>(ctx)) {
      g.kind = K::kCustom;
      g.custom_class = StringValue(c->STRING());
      g.custom_class_span = NodeSpan(c->STRING());
      g.custom_args = JavaArgs(c->javaArgs());
    }
    return g;
  }

  void FillBody(TopoParser::BodyContext* ctx, ast::Body& body) {
    if (!ctx) return;
    body.span = CtxSpan(ctx);
    for (auto* s : ctx->statement()) {
      if (auto* o = dynamic_cast<TopoParser::OutputStmtContext*>(s)) {
        ast::Output out;
        out.direct = o->direct != nullptr;
        if (o->name()) {
          ast::Name n = MakeName(o->name());
          if (!n.empty()) out.name = std::move(n);
        }
        out.fields = Fields(o->fieldList());
        out.span = CtxSpan(o);
        body.outputs.push_back(std::move(out));
      } else if (auto* i = dynamic_cast<TopoParser::InputStmtContext*>(s)) {
        ast::Input in;
        in.source = MakeName(i->source);
        if (i->stream) {
          ast::Name n = MakeName(i->stream);
          if (!n.empty()) in.stream = std::move(n);
        }
        // Inputs and names that recovery left without a grouping or a source are
        // dropped: sema would only report cascades about them.
        if (!i->grouping()) continue;
        in.grouping = MakeGrouping(i->grouping());
        in.span = CtxSpan(i);
        if (in.source.empty()) continue;
        body.inputs.push_back(std::move(in));
      } else if (auto* p = dynamic_cast<TopoParser::ParallelismStmtContext*>(s)) {
        if (auto v = ParseInt(p->INT(), "parallelism")) {
          body.parallelism.push_back(ast::IntSetting{*v, CtxSpan(p), NodeSpan(p->INT())});
        }
      } else if (auto* t = dynamic_cast<TopoParser::TasksStmtContext*>(s)) {
        if (auto v = ParseInt(t->INT(), "tasks")) {
          body.tasks.push_back(ast::IntSetting{*v, CtxSpan(t), NodeSpan(t->INT())});
        }
      } else if (auto* c = dynamic_cast<TopoParser::ConfigStmtContext*>(s)) {
        auto entries = Config(c->configBlock());
        for (auto& e : entries) body.config.push_back(std::move(e));
      }
    }
  }

  // Returns false when the kind is too broken to use.
  // The ANTLR grammar's labelled alternatives (# pythonKind ...) become one
  // context class each; dynamic_cast picks the one recovery produced.
  bool FillKind(TopoParser::ComponentKindContext* ctx, ast::ComponentKind& kind) {
    using Tag = ast::ComponentKind::Tag;
    if (!ctx) return false;
    kind.span = CtxSpan(ctx);
    if (auto* p = dynamic_cast<TopoParser::PythonKindContext*>(ctx)) {
      if (!p->STRING() || !IsReal(p->STRING()->getSymbol())) return false;
      kind.tag = Tag::kPython;
      kind.python_class = StringValue(p->STRING());
      kind.class_span = NodeSpan(p->STRING());
    } else if (auto* s = dynamic_cast<TopoParser::ShellKindContext*>(ctx)) {
      kind.tag = Tag::kShell;
      for (auto* str : s->STRING()) kind.shell_command.push_back(StringValue(str));
      kind.class_span = kind.span;
    } else if (auto* j = dynamic_cast<TopoParser::JavaKindContext*>(ctx)) {
      if (!j->STRING() || !IsReal(j->STRING()->getSymbol())) return false;
      kind.tag = Tag::kJava;
      kind.java_class = StringValue(j->STRING());
      kind.class_span = NodeSpan(j->STRING());
      kind.java_args = JavaArgs(j->javaArgs());
    } else if (auto* t = dynamic_cast<TopoParser::TemplateKindContext*>(ctx)) {
      kind.tag = Tag::kTemplate;
      kind.template_name = MakeName(t->name());
      if (kind.template_name.empty()) return false;
      kind.class_span = kind.template_name.span;
      if (t->javaArgs()) kind.java_args = JavaArgs(t->javaArgs());
    } else {
      return false;
    }
    return true;
  }

  const ast::File* Build(TopoParser::FileContext* ctx) {
    auto* file = arena_.Make<ast::File>();
    file->file = file_;
    if (!ctx) return file;
    for (auto* d : ctx->decl()) {
      if (auto* imp = d->importDecl()) {
        if (!imp->STRING() || !IsReal(imp->STRING()->getSymbol())) continue;
        file->imports.push_back(ast::Import{StringValue(imp->STRING()), CtxSpan(imp)});
      } else if (auto* tpl = d->templateDecl()) {
        auto* t = arena_.Make<ast::Template>();
        t->name = MakeName(tpl->name());
        t->span = CtxSpan(tpl);
        t->file = file_;
        if (t->name.empty() || !FillKind(tpl->componentKind(), t->kind)) continue;
        FillBody(tpl->body(), t->body);
        file->templates.push_back(t);
      } else if (auto* top = d->topologyDecl()) {
        auto* t = arena_.Make<ast::Topology>();
        t->name = MakeName(top->name());
        t->span = CtxSpan(top);
        if (t->name.empty()) continue;
        for (auto* item : top->topologyItem()) {
          if (auto* cfg = item->configBlock()) {
            for (auto& e : Config(cfg)) t->config.push_back(std::move(e));
          } else if (auto* cd = item->componentDecl()) {
            auto* c = arena_.Make<ast::Component>();
            // A declaration recovery left without a role, id or kind is dropped
            // below; the rest of the topology is still checked.
            c->role = cd->role && TextOf(cd->role) == "spout" ? ir::Role::kSpout : ir::Role::kBolt;
            c->id = MakeName(cd->name());
            c->span = CtxSpan(cd);
            if (!cd->role || c->id.empty() || !FillKind(cd->componentKind(), c->kind)) continue;
            FillBody(cd->body(), c->body);
            t->components.push_back(c);
          }
        }
        file->topologies.push_back(t);
      }
    }
    return file;
  }

 private:
  FileId file_;
  const Text& text_;
  ast::Arena& arena_;
  DiagnosticEngine& diags_;
  int count_ = 0;
};

// Everything ANTLR allocated for one file (tokens, parse tree).
// Kept in the arena: freeing the tokens and parse tree right after the
// parse was measured slower (+0.5 s CPU at 100k components) than leaking
// them with Arena::set_leak. `text` (Text::sanitized) must outlive it.
struct AntlrState : ast::Node {
  explicit AntlrState(const std::string& text)
      : input(text), lexer(text, &input), tokens(&lexer), parser(&tokens) {}
  antlr4::ANTLRInputStream input;
  AntlrTokenSource lexer;  // the same tokens as TopoLexer, faster (antlr_token_source.h)
  antlr4::CommonTokenStream tokens;
  TopoParser parser;
};

// Thrown by the listener once a file has kMaxErrorsPerFile errors: parsing
// stops there (recovering through megabytes of garbage is slow and reports
// nothing new).
struct TooManyErrors {};

// Feeds ANTLR's syntax errors into the DiagnosticEngine.
class ErrorListener : public antlr4::BaseErrorListener {
 public:
  ErrorListener(Builder& builder, const AntlrTokenSource* lexer) : builder_(builder), lexer_(lexer) {}

  void syntaxError(antlr4::Recognizer* recognizer, antlr4::Token* offending, size_t line,
                   size_t column, const std::string& msg, std::exception_ptr e) override {
    // The end the token limit made up is not an error of the file.
    if (lexer_->truncated_at() && offending && offending->getType() == antlr4::Token::EOF) return;
    Span span = builder_.TokenSpan(offending);
    std::string expected;
    if (auto* parser = dynamic_cast<antlr4::Parser*>(recognizer)) expected = ExpectedText(parser);
    std::string message;
    if (msg.rfind("missing ", 0) == 0) {
      message = fmt::format("missing {} before {}", expected.empty() ? "token" : expected,
                            DescribeToken(offending));
    } else {
      message = fmt::format("unexpected {}", DescribeToken(offending));
      if (!expected.empty()) message += ", expected " + expected;
    }
    Diagnostic d = diag::Make(DiagKind::kSyntaxError, span, message);
    builder_.Report(d);
    if (builder_.Full()) {
      builder_.Report(std::move(d));  // "too many errors in this file; stopping after N"
      throw TooManyErrors{};
    }
  }

 private:
  Builder& builder_;
  const AntlrTokenSource* lexer_;
};

}  // namespace

struct KeptText : ast::Node {
  explicit KeptText(Text t) : text(std::move(t)) {}
  Text text;
};

const ast::File* ParseFileWithAntlr(const SourceManager& sources, FileId file, ast::Arena& arena,
                                    DiagnosticEngine& diags) {
  Text prepared = PrepareText(sources.Contents(file), file, diags);

  // The ANTLR objects live in the arena: freeing them is deferred to (or,
  // with Arena::set_leak, skipped at) the end of the compilation. They read
  // the text from `text`, so it moves into the arena too.
  auto* kept = arena.Make<KeptText>(std::move(prepared));
  const Text& text = kept->text;
  Builder builder(file, text, arena, diags);

  // Lexical problems, and the nesting guard, in one pass of the
  // hand-written lexer (the same tokens as TopoLexer, lexer.h) before
  // ANTLR sees the text: 50 MB of `{` is refused here without one ANTLR
  // token object per byte, and the parser below pulls its tokens lazily,
  // so a file it abandons (too many errors) is never tokenised whole.
  // Spans of these tokens are byte offsets already.
  const std::string& sanitized = text.sanitized;
  Lexer lexer(sanitized);
  const size_t opens[] = {LiteralType("("), LiteralType("["), LiteralType("{")};
  const size_t closes[] = {LiteralType(")"), LiteralType("]"), LiteralType("}")};
  auto is = [](const size_t (&types)[3], size_t type) {
    return type == types[0] || type == types[1] || type == types[2];
  };
  int depth = 0;
  bool too_deep = false;
  for (RawToken t = lexer.Next(); t.type != kEofType; t = lexer.Next()) {
    std::string_view tt(sanitized.data() + t.begin, t.end - t.begin);
    Span span{file, t.begin, t.end};
    if (t.type == TopoLexer::STRING) {
      if (!StringTokenClosed(tt)) builder.Report(diag::Make(DiagKind::kUnterminatedString, span));
    } else if (t.type == TopoLexer::BLOCK_COMMENT) {
      if (!BlockCommentClosed(tt)) {
        span.end = span.begin + 2;
        builder.Report(diag::Make(DiagKind::kUnterminatedComment, span));
      }
    } else if (t.type == TopoLexer::BAD_CHAR) {
      std::string shown;
      unsigned char c = tt.empty() ? 0 : static_cast<unsigned char>(tt[0]);
      if (tt.size() == 1 && !(c >= 0x21 && c < 0x7f)) {
        shown = fmt::format("0x{:02x}", c);
      } else {
        shown = "'" + std::string(tt) + "'";
      }
      builder.Report(diag::Make(DiagKind::kUnexpectedCharacter, span, shown));
    } else if (is(opens, t.type)) {
      if (++depth > kMaxNesting && !too_deep) {
        too_deep = true;
        diags.Report(diag::Make(DiagKind::kNestingTooDeep, span, kMaxNesting));
      }
    } else if (is(closes, t.type)) {
      if (depth > 0) --depth;
    }
  }
  if (too_deep) {
    auto* empty = arena.Make<ast::File>();
    empty->file = file;
    return empty;
  }

  auto* state = arena.Make<AntlrState>(text.sanitized);
  state->lexer.set_token_limit(kMaxRecoveryTokens);
  TopoParser& parser = state->parser;
  parser.setErrorHandler(std::make_shared<ErrorStrategy>());
  parser.removeErrorListeners();
  ErrorListener listener(builder, &state->lexer);
  parser.addErrorListener(&listener);
  parser.getInterpreter<antlr4::atn::ParserATNSimulator>()->setPredictionMode(
      antlr4::atn::PredictionMode::SLL);
  TopoParser::FileContext* tree = nullptr;
  try {
    tree = parser.file();
  } catch (const TooManyErrors&) {
    tree = nullptr;  // the file is not checked further anyway
  } catch (const std::exception& e) {
    // The default error strategy recovers; this is a last resort so bad
    // input never crashes the compiler.
    builder.Report(diag::Make(DiagKind::kSyntaxError, Span{file, 0, 0},
                              fmt::format("cannot parse this file: {}", e.what())));
    tree = nullptr;
  }
  if (auto cut = state->lexer.truncated_at()) {
    diags.Report(diag::Make(DiagKind::kSyntaxError, Span{file, uint32_t(*cut), uint32_t(*cut)},
                            fmt::format("this file has more than {} tokens; errors past this point "
                                        "are not reported", kMaxRecoveryTokens)));
  }
  const ast::File* result = builder.Build(tree);
  parser.removeErrorListeners();  // `listener` dies here; the parser lives on
  return result;
}

}  // namespace topoc::parse
