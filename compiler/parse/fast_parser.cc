#include "compiler/parse/fast_parser.h"

#include <array>

#include "TopoLexer.h"
#include "compiler/parse/lexer.h"
#include "compiler/parse/limits.h"
#include "compiler/parse/literals.h"

namespace topoc::parse {

namespace {

using gen::TopoLexer;

// Token types of the grammar's literals, looked up once by their text.
struct Types {
  size_t import, template_, topology, spout, bolt, python, shell, java, output, direct, input,
      parallelism, tasks, config, shuffle, fields, all, global, none, local_or_shuffle,
      partial_key, custom, true_, false_, null;
  size_t semi, eq, lbrace, rbrace, lbrack, rbrack, comma, lparen, rparen, dot, colon;
  std::array<bool, 256> keyword{};  // by type: a keyword (a keyPart of config keys)
  std::array<int, 256> bracket{};   // by type: +1 opening, -1 closing

  Types() {
    auto kw = [&](const char* text) {
      size_t t = LiteralType(text);
      if (t < keyword.size()) keyword[t] = true;
      return t;
    };
    import = kw("import"), template_ = kw("template"), topology = kw("topology");
    spout = kw("spout"), bolt = kw("bolt"), python = kw("python"), shell = kw("shell");
    java = kw("java"), output = kw("output"), direct = kw("direct"), input = kw("input");
    parallelism = kw("parallelism"), tasks = kw("tasks"), config = kw("config");
    shuffle = kw("shuffle"), fields = kw("fields"), all = kw("all"), global = kw("global");
    none = kw("none"), local_or_shuffle = kw("local-or-shuffle");
    partial_key = kw("partial-key"), custom = kw("custom");
    true_ = kw("true"), false_ = kw("false"), null = kw("null");
    semi = LiteralType(";"), eq = LiteralType("="), lbrace = LiteralType("{");
    rbrace = LiteralType("}"), lbrack = LiteralType("["), rbrack = LiteralType("]");
    comma = LiteralType(","), lparen = LiteralType("("), rparen = LiteralType(")");
    dot = LiteralType("."), colon = LiteralType(":");
    for (size_t t : {lbrace, lbrack, lparen}) bracket[t] = 1;
    for (size_t t : {rbrace, rbrack, rparen}) bracket[t] = -1;
  }
};

// Leaked on purpose: no destructor runs at exit, and the parser of every file
// shares the one table.
const Types& T() {
  static const Types* types = new Types();
  return *types;
}

// Thrown at the first problem: the caller falls back to the ANTLR path.
// The fast parser never reports: anything it does not accept as-is (bad
// input, or input only ANTLR's error recovery could read) gives up, and
// ParseFile runs the ANTLR parser, which reports and recovers.
struct GiveUp {};

class FastParser {
 public:
  FastParser(std::string_view text, FileId file, ast::Arena& arena)
      : text_(text), lexer_(text), file_(file), arena_(arena), t_(T()) {
    Fetch();
  }

  const ast::File* ParseFile() {
    auto* file = arena_.Make<ast::File>();
    file->file = file_;
    while (tok_.type != kEofType) {
      if (Is(t_.import)) {
        uint32_t start = Consume();
        std::string path = StringToken();
        Optional(t_.semi);
        file->imports.push_back(ast::Import{std::move(path), SpanFrom(start)});
      } else if (Is(t_.template_)) {
        auto* t = arena_.Make<ast::Template>();
        uint32_t start = Consume();
        t->name = Name();
        Expect(t_.eq);
        Kind(t->kind);
        if (Is(t_.lbrace)) Body(t->body);
        t->span = SpanFrom(start);
        t->file = file_;
        file->templates.push_back(t);
      } else if (Is(t_.topology)) {
        file->topologies.push_back(Topology());
      } else {
        throw GiveUp{};
      }
    }
    return file;
  }

 private:
  // --- Tokens ---
  bool Is(size_t type) const { return tok_.type == type; }
  // Consumes the current token; returns its start.
  uint32_t Consume() {
    uint32_t start = tok_.begin;
    int b = tok_.type < t_.bracket.size() ? t_.bracket[tok_.type] : 0;
    // Nesting is counted per bracket consumed, so a deep file gives up before
    // the recursion below could exhaust the stack (the ANTLR path reports E0006).
    if (b > 0 && ++depth_ > kMaxNesting) throw GiveUp{};
    if (b < 0) --depth_;
    prev_end_ = tok_.end;
    Fetch();
    return start;
  }
  uint32_t Expect(size_t type) {
    if (!Is(type)) throw GiveUp{};
    return Consume();
  }
  bool Optional(size_t type) {
    if (!Is(type)) return false;
    Consume();
    return true;
  }
  // Reads the next visible token; hidden ones are block comments (fine
  // when terminated) and stray characters (an error).
  // The type of the visible token after the current one.
  // A copy of the lexer is cheap (a view and an offset): one token of
  // lookahead without a token buffer.
  size_t PeekType() const {
    Lexer copy = lexer_;
    RawToken t = copy.Next();
    while (t.hidden && t.type == TopoLexer::BLOCK_COMMENT) t = copy.Next();
    return t.type;
  }
  void Fetch() {
    tok_ = lexer_.Next();
    while (tok_.hidden) {
      if (tok_.type != TopoLexer::BLOCK_COMMENT || !BlockCommentClosed(Text(tok_))) throw GiveUp{};
      tok_ = lexer_.Next();
    }
  }
  std::string_view Text(const RawToken& t) const { return text_.substr(t.begin, t.end - t.begin); }
  Span TokSpan() const { return Span{file_, tok_.begin, tok_.end}; }
  Span SpanFrom(uint32_t start) const { return Span{file_, start, prev_end_}; }

  // --- Leaves ---
  // The value of the current STRING token, consumed.
  std::string StringToken() {
    if (!Is(TopoLexer::STRING)) throw GiveUp{};
    std::string_view s = Text(tok_);
    if (!StringTokenClosed(s)) throw GiveUp{};
    std::string out;
    if (s.find('\\') == std::string_view::npos) {
      // No escapes: the text between the quotes is the value.
      out.assign(s.substr(1, s.size() - 2));
    } else {
      DiagnosticEngine scratch;  // any bad escape: the ANTLR path reports it
      out = UnescapeString(s, TokSpan(), scratch);
      if (!scratch.diagnostics().empty()) throw GiveUp{};
    }
    Consume();
    return out;
  }
  // An id: ID, STRING, or a keyword (keywords are contextual).
  bool IsKeyword(size_t type) const { return type < t_.keyword.size() && t_.keyword[type]; }
  bool AtName() const { return Is(TopoLexer::ID) || Is(TopoLexer::STRING) || IsKeyword(tok_.type); }
  ast::Name Name() {
    ast::Name name;
    name.span = TokSpan();
    if (Is(TopoLexer::ID) || IsKeyword(tok_.type)) {
      name.text.assign(Text(tok_));
      Consume();
    } else {
      name.text = StringToken();
    }
    return name;
  }
  int64_t Int() {
    if (!Is(TopoLexer::INT) && !Is(TopoLexer::LONG)) throw GiveUp{};
    std::optional<int64_t> v = IntTokenValue(Text(tok_));
    if (!v) throw GiveUp{};
    Consume();
    return *v;
  }
  double Float() {
    std::optional<double> v = FloatTokenValue(Text(tok_));
    if (!v) throw GiveUp{};
    Consume();
    return *v;
  }

  // fieldList: '(' (name (',' name)* ','?)? ')'
  std::vector<ast::Name> FieldList() {
    std::vector<ast::Name> out;
    Expect(t_.lparen);
    while (!Is(t_.rparen)) {
      out.push_back(Name());
      if (!Optional(t_.comma)) break;
    }
    Expect(t_.rparen);
    return out;
  }

  // javaArgs: '(' (javaArg (',' javaArg)* ','?)? ')'
  std::vector<ir::JavaArg> JavaArgs() {
    using Type = ir::JavaArg::Type;
    std::vector<ir::JavaArg> out;
    Expect(t_.lparen);
    while (!Is(t_.rparen)) {
      ir::JavaArg arg;
      arg.span = TokSpan();
      if (Is(TopoLexer::STRING)) {
        arg.type = Type::kString;
        arg.string_value = StringToken();
      } else if (Is(TopoLexer::LONG)) {
        arg.type = Type::kLong;
        arg.int_value = Int();
      } else if (Is(TopoLexer::INT)) {
        int64_t v = Int();
        // An unsuffixed integer is a Java int when it fits, else a long (as in
        // the ANTLR builder), so both parsers give the same argument types.
        arg.type = FitsInt32(v) ? Type::kInt : Type::kLong;
        arg.int_value = v;
      } else if (Is(TopoLexer::FLOAT)) {
        arg.type = Type::kDouble;
        arg.double_value = Float();
      } else if (Is(t_.true_) || Is(t_.false_)) {
        arg.type = Type::kBool;
        arg.bool_value = Is(t_.true_);
        Consume();
      } else {
        throw GiveUp{};
      }
      out.push_back(std::move(arg));
      if (!Optional(t_.comma)) break;
    }
    Expect(t_.rparen);
    return out;
  }

  // configKey: STRING | keyPart ('.' keyPart)*   keyPart: ID | INT | keyword
  std::string ConfigKey(Span* span) {
    uint32_t start = tok_.begin;
    std::string key;
    if (Is(TopoLexer::STRING)) {
      key = StringToken();
    } else {
      while (true) {
        // Keys are written bare (topology.max.spout.pending): the lexer splits them
        // into ids, ints and keywords ("topology" is one), joined back with dots.
        bool part = Is(TopoLexer::ID) || Is(TopoLexer::INT) ||
                    (tok_.type < t_.keyword.size() && t_.keyword[tok_.type]);
        if (!part) throw GiveUp{};
        key.append(Text(tok_));
        Consume();
        if (!Is(t_.dot)) break;
        Consume();
        key.push_back('.');
      }
    }
    *span = SpanFrom(start);
    return key;
  }

  ir::Value Value(Span* span) {
    uint32_t start = tok_.begin;
    ir::Value v;
    if (Is(TopoLexer::STRING)) {
      v = StringToken();
    } else if (Is(TopoLexer::INT)) {
      v = Int();
    } else if (Is(TopoLexer::FLOAT)) {
      v = Float();
    } else if (Is(t_.true_) || Is(t_.false_)) {
      v = Is(t_.true_);
      Consume();
    } else if (Is(t_.null)) {
      Consume();
    } else if (Is(t_.lbrack)) {
      Consume();
      v = ir::Value::array();
      Span unused;
      while (!Is(t_.rbrack)) {
        v.push_back(Value(&unused));
        if (!Optional(t_.comma)) break;
      }
      Expect(t_.rbrack);
    } else if (Is(t_.lbrace)) {
      Consume();
      v = ir::Value::object();
      Span unused;
      while (!Is(t_.rbrace)) {
        std::string key = ConfigKey(&unused);
        Expect(t_.colon);
        // A repeated map key keeps the last value, as the ANTLR builder does.
        v[key] = Value(&unused);
        if (!Optional(t_.comma)) break;
      }
      Expect(t_.rbrace);
    } else {
      throw GiveUp{};
    }
    *span = SpanFrom(start);
    return v;
  }

  // configBlock: 'config' '{' (configEntry (',' | ';')?)* '}'
  void ConfigBlock(std::vector<ir::ConfigEntry>& out) {
    Expect(t_.config);
    Expect(t_.lbrace);
    while (!Is(t_.rbrace)) {
      ir::ConfigEntry entry;
      entry.key = ConfigKey(&entry.key_span);
      Expect(t_.colon);
      entry.value = Value(&entry.value_span);
      out.push_back(std::move(entry));
      // Entries may end with ',' or ';' or nothing (the grammar allows all three).
      if (!Optional(t_.comma)) Optional(t_.semi);
    }
    Expect(t_.rbrace);
  }

  ast::Grouping Grouping() {
    using K = ir::GroupingKind;
    ast::Grouping g;
    uint32_t start = tok_.begin;
    size_t type = tok_.type;
    if (type == t_.fields || type == t_.partial_key) {
      Consume();
      g.kind = type == t_.fields ? K::kFields : K::kPartialKey;
      g.fields = FieldList();
    } else if (type == t_.custom) {
      Consume();
      g.kind = K::kCustom;
      g.custom_class_span = TokSpan();
      g.custom_class = StringToken();
      if (Is(t_.lparen)) g.custom_args = JavaArgs();
    } else {
      if (type == t_.shuffle) g.kind = K::kShuffle;
      else if (type == t_.all) g.kind = K::kAll;
      else if (type == t_.global) g.kind = K::kGlobal;
      else if (type == t_.none) g.kind = K::kNone;
      else if (type == t_.direct) g.kind = K::kDirect;
      else if (type == t_.local_or_shuffle) g.kind = K::kLocalOrShuffle;
      else throw GiveUp{};
      Consume();
    }
    g.span = SpanFrom(start);
    return g;
  }

  // body: '{' statement* '}'
  void Body(ast::Body& body) {
    uint32_t body_start = Expect(t_.lbrace);
    while (!Is(t_.rbrace)) {
      uint32_t start = tok_.begin;
      if (Is(t_.output)) {
        Consume();
        ast::Output out;
        out.direct = Optional(t_.direct);
        if (AtName()) out.name = Name();
        out.fields = FieldList();
        Optional(t_.semi);
        out.span = SpanFrom(start);
        body.outputs.push_back(std::move(out));
      } else if (Is(t_.input)) {
        Consume();
        ast::Input in;
        in.source = Name();
        if (Optional(t_.dot)) in.stream = Name();
        in.grouping = Grouping();
        Optional(t_.semi);
        in.span = SpanFrom(start);
        body.inputs.push_back(std::move(in));
      } else if (Is(t_.parallelism) || Is(t_.tasks)) {
        auto& list = Is(t_.parallelism) ? body.parallelism : body.tasks;
        Consume();
        // A LONG or FLOAT count is an error the ANTLR path reports.
        if (!Is(TopoLexer::INT)) throw GiveUp{};
        Span value_span = TokSpan();
        int64_t v = Int();
        Optional(t_.semi);
        list.push_back(ast::IntSetting{v, SpanFrom(start), value_span});
      } else if (Is(t_.config)) {
        ConfigBlock(body.config);
      } else {
        throw GiveUp{};
      }
    }
    Expect(t_.rbrace);
    body.span = SpanFrom(body_start);
  }

  // componentKind: 'python' STRING | 'shell' [...] | 'java' STRING javaArgs? | name javaArgs?
  void Kind(ast::ComponentKind& kind) {
    using Tag = ast::ComponentKind::Tag;
    uint32_t start = tok_.begin;
    // `python "..."`, `shell [...]`, `java "..."`; else a template's name
    // (which may be one of these words).
    if (Is(t_.python) && PeekType() == TopoLexer::STRING) {
      Consume();
      kind.tag = Tag::kPython;
      kind.class_span = TokSpan();
      kind.python_class = StringToken();
    } else if (Is(t_.shell) && PeekType() == t_.lbrack) {
      Consume();
      kind.tag = Tag::kShell;
      Expect(t_.lbrack);
      while (!Is(t_.rbrack)) {
        kind.shell_command.push_back(StringToken());
        if (!Optional(t_.comma)) break;
      }
      Expect(t_.rbrack);
      kind.class_span = SpanFrom(start);
    } else if (Is(t_.java) && PeekType() == TopoLexer::STRING) {
      Consume();
      kind.tag = Tag::kJava;
      kind.class_span = TokSpan();
      kind.java_class = StringToken();
      kind.java_args = Is(t_.lparen) ? JavaArgs() : std::vector<ir::JavaArg>{};
    } else if (AtName()) {
      kind.tag = Tag::kTemplate;
      kind.template_name = Name();
      kind.class_span = kind.template_name.span;
      if (Is(t_.lparen)) kind.java_args = JavaArgs();
    } else {
      throw GiveUp{};
    }
    kind.span = SpanFrom(start);
  }

  // topologyDecl: 'topology' name '{' (configBlock | componentDecl)* '}'
  const ast::Topology* Topology() {
    auto* t = arena_.Make<ast::Topology>();
    uint32_t start = Consume();
    t->name = Name();
    Expect(t_.lbrace);
    while (!Is(t_.rbrace)) {
      if (Is(t_.config)) {
        ConfigBlock(t->config);
      } else if (Is(t_.spout) || Is(t_.bolt)) {
        auto* c = arena_.Make<ast::Component>();
        c->role = Is(t_.spout) ? ir::Role::kSpout : ir::Role::kBolt;
        uint32_t cstart = Consume();
        c->id = Name();
        Expect(t_.eq);
        Kind(c->kind);
        if (Is(t_.lbrace)) Body(c->body);
        c->span = SpanFrom(cstart);
        t->components.push_back(c);
      } else {
        throw GiveUp{};
      }
    }
    Expect(t_.rbrace);
    t->span = SpanFrom(start);
    return t;
  }

  std::string_view text_;
  Lexer lexer_;
  FileId file_;
  ast::Arena& arena_;
  const Types& t_;
  RawToken tok_;
  uint32_t prev_end_ = 0;
  int depth_ = 0;
};

// ANTLR needs valid UTF-8 to read a file; invalid bytes go the ANTLR path,
// which reports the first (E0005) and reads on with a space in its place.
bool ValidUtf8(std::string_view text) {
  for (size_t i = 0; i < text.size();) {
    if (static_cast<unsigned char>(text[i]) < 0x80) {
      ++i;
      continue;
    }
    size_t n = ValidUtf8Length(text, i);
    if (n == 0) return false;
    i += n;
  }
  return true;
}

}  // namespace

const ast::File* FastParseFile(std::string_view text, FileId file, ast::Arena& arena) {
  // GiveUp unwinds from any depth; nothing the arena holds needs freeing
  // early, so a partial AST is simply left to the arena.
  if (!ValidUtf8(text)) return nullptr;
  try {
    FastParser parser(text, file, arena);
    return parser.ParseFile();
  } catch (const GiveUp&) {
    return nullptr;
  }
}

}  // namespace topoc::parse
