#include "compiler/format/format.h"

#include <vector>

#include "compiler/ast/ast.h"
#include "compiler/parse/parse.h"
#include "compiler/parse/lexer.h"

namespace topoc::format {

namespace {

struct Comment {
  std::string_view text;
  bool line = false;           // `// ...` (else `/* ... */`)
  bool blank_before = false;   // a blank line right before it
  bool newline_after = false;  // a line break right after it
};

// A token with the comments around it: `leading` ones stand on their own
// lines before it, `trailing` ones follow it on its line.
struct Tok {
  std::string_view text;  // empty at the end of the file
  bool blank_before = false;   // a blank line right before it (after its leading comments)
  bool newline_after = false;  // a line break right after it
  std::vector<Comment> leading, trailing;
  size_t match = 0;  // brackets: the index of the matching bracket
};

bool IsOpen(std::string_view t) { return t == "{" || t == "[" || t == "("; }
bool IsClose(std::string_view t) { return t == "}" || t == "]" || t == ")"; }

std::string_view TrimRight(std::string_view s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\f')) {
    s.remove_suffix(1);
  }
  return s;
}

// The tokens of `text` with their comments attached. The text must have no
// lexical errors (the caller parsed it first).
std::vector<Tok> Tokenize(std::string_view text) {
  struct Item {
    std::string_view text;
    enum { kToken, kLine, kBlock } kind;
    int newlines_before;
  };
  std::vector<Item> items;
  parse::Lexer scanner(text);
  size_t prev_end = 0;
  while (true) {
    parse::RawToken t = scanner.Next();
    // The gap holds whitespace and line comments only.
    int newlines = 0;
    for (size_t i = prev_end; i < t.begin;) {
      char c = text[i];
      if (c == '\n') {
        ++newlines;
        ++i;
      } else if (c == '/' && i + 1 < t.begin && text[i + 1] == '/') {
        size_t end = text.find_first_of("\r\n", i);
        if (end == std::string_view::npos || end > t.begin) end = t.begin;
        items.push_back({TrimRight(text.substr(i, end - i)), Item::kLine, newlines});
        newlines = 0;
        i = end;
      } else {
        ++i;
      }
    }
    bool eof = t.type == parse::kEofType;
    std::string_view tok_text = text.substr(t.begin, t.end - t.begin);
    bool block = t.hidden && tok_text.substr(0, 2) == "/*";
    items.push_back({eof ? std::string_view() : tok_text, block ? Item::kBlock : Item::kToken, newlines});
    if (eof) break;
    prev_end = t.end;
  }

  std::vector<Tok> toks;
  std::vector<Comment> pending;  // leading comments of the next token
  bool on_token_line = false;    // no line break since the last token
  for (size_t k = 0; k < items.size(); ++k) {
    const Item& it = items[k];
    bool newline_after = k + 1 < items.size() && items[k + 1].newlines_before > 0;
    if (it.kind == Item::kToken) {
      Tok t;
      t.text = it.text;
      t.blank_before = it.newlines_before >= 2;
      t.newline_after = newline_after;
      t.leading = std::move(pending);
      pending.clear();
      toks.push_back(std::move(t));
      on_token_line = true;
      continue;
    }
    Comment c{it.text, it.kind == Item::kLine, it.newlines_before >= 2, newline_after};
    if (on_token_line && it.newlines_before == 0 && !toks.empty()) {
      toks.back().trailing.push_back(c);
    } else {
      pending.push_back(c);
      on_token_line = false;
    }
    if (it.newlines_before > 0) on_token_line = false;
  }
  // Bracket matching (the text parsed, so they balance).
  std::vector<size_t> stack;
  for (size_t k = 0; k < toks.size(); ++k) {
    if (IsOpen(toks[k].text)) {
      stack.push_back(k);
    } else if (IsClose(toks[k].text) && !stack.empty()) {
      toks[k].match = stack.back();
      toks[stack.back()].match = k;
      stack.pop_back();
    }
  }
  return toks;
}

class Printer {
 public:
  explicit Printer(std::vector<Tok> toks) : toks_(std::move(toks)) {}

  std::string Print() {
    bool prev_import = false, first = true;
    while (!AtEnd()) {
      bool import = Is("import");
      if (!first && !(import && prev_import)) force_blank_ = true;
      Decl();
      prev_import = import;
      first = false;
    }
    // Comments after the last declaration.
    FlushTrailing();
    for (const Comment& c : Leading(toks_.back())) {
      LineStart();
      if ((c.blank_before || force_blank_) && !out_.empty()) BlankLine();
      force_blank_ = false;
      out_ += c.text;
      out_ += '\n';
    }
    if (!out_.empty() && out_.back() != '\n') out_ += '\n';
    return out_;
  }

 private:
  enum Mode { kItem, kInline };

  bool AtEnd() const { return i_ + 1 >= toks_.size(); }
  std::string_view Peek(size_t k = 0) const {
    return i_ + k < toks_.size() ? toks_[i_ + k].text : std::string_view();
  }
  bool Is(std::string_view text, size_t k = 0) const { return Peek(k) == text; }
  bool IsString(size_t k = 0) const { return !Peek(k).empty() && Peek(k)[0] == '"'; }

  // --- output ---

  void Indent(int level) { out_.append(static_cast<size_t>(level) * 4, ' '); }
  void LineStart() {
    FlushTrailing();
    if (!out_.empty() && out_.back() != '\n') out_ += '\n';
  }
  void BlankLine() {
    LineStart();
    if (!out_.empty() && !(out_.size() >= 2 && out_[out_.size() - 2] == '\n')) out_ += '\n';
  }
  // Prints the trailing comments of what was printed last. A comment after
  // a line comment cannot share its line: it is carried over to stand on
  // its own line before the next token, as it will on the next run.
  void FlushTrailing() {
    for (const Comment& c : pending_) {
      if (must_break_) {
        carry_.push_back(Comment{c.text, c.line, false, c.newline_after});
        continue;
      }
      out_ += c.line ? "  " : " ";
      out_ += c.text;
      if (c.line || c.newline_after) must_break_ = true;
    }
    pending_.clear();
  }

  // The comments to print on their own lines before token `t`.
  std::vector<Comment> Leading(const Tok& t) {
    std::vector<Comment> out = std::move(carry_);
    carry_.clear();
    out.insert(out.end(), t.leading.begin(), t.leading.end());
    return out;
  }

  // Prints the next token. kItem: it starts a line at the current level
  // (after its comments, and a blank line if the author left one); kInline:
  // it continues the line, after a space when `space`.
  void Emit(Mode mode, bool space) {
    const Tok& t = toks_[i_++];
    FlushTrailing();
    std::vector<Comment> leading = Leading(t);
    if (mode == kItem) {
      LineStart();
      bool blank = force_blank_;
      force_blank_ = false;
      for (const Comment& c : leading) {
        if ((c.blank_before || blank) && !block_start_ && !out_.empty()) BlankLine();
        blank = false;
        Indent(indent_);
        out_ += c.text;
        out_ += '\n';
        block_start_ = false;
      }
      if ((t.blank_before || blank) && !block_start_ && !out_.empty()) BlankLine();
      Indent(indent_);
    } else if (!leading.empty()) {
      for (const Comment& c : leading) {
        LineStart();
        Indent(indent_ + 1);
        out_ += c.text;
      }
      LineStart();
      Indent(indent_ + 1);
    } else if (must_break_) {
      LineStart();
      Indent(indent_ + 1);
    } else if (space) {
      out_ += ' ';
    }
    out_ += t.text;
    must_break_ = false;
    block_start_ = false;
    pending_.insert(pending_.end(), t.trailing.begin(), t.trailing.end());
  }

  // Prints `text` right after what was printed last (before its trailing
  // comments): a separator the source may lack.
  void Glue(std::string_view text) { out_ += text; }

  // Consumes a token the canonical form drops (`;`, config separators) or
  // glues on (`,`): its comments become trailing comments.
  void Attach(bool print) {
    const Tok& t = toks_[i_++];
    if (print) out_ += t.text;
    for (const Comment& c : t.leading) pending_.push_back(Comment{c.text, c.line, false, true});
    pending_.insert(pending_.end(), t.trailing.begin(), t.trailing.end());
  }

  // The closing bracket of a construct printed one item per line.
  void EmitCloser() {
    const Tok& t = toks_[i_++];
    FlushTrailing();
    for (const Comment& c : Leading(t)) {
      LineStart();
      if (c.blank_before && !block_start_) BlankLine();
      Indent(indent_);
      out_ += c.text;
      block_start_ = false;
    }
    --indent_;
    LineStart();
    Indent(indent_);
    out_ += t.text;
    must_break_ = false;
    block_start_ = false;
    pending_.insert(pending_.end(), t.trailing.begin(), t.trailing.end());
  }

  // Whether the bracketed construct opening at `open` is printed one item
  // per line: it holds a comment, or it or a construct inside it was
  // written with a line break after its opening bracket.
  bool Expanded(size_t open) const {
    size_t close = toks_[open].match;
    if (close == open + 1) return !toks_[open].trailing.empty() || !toks_[close].leading.empty();
    for (size_t k = open; k < close; ++k) {
      const Tok& t = toks_[k];
      if (!t.trailing.empty() || (k > open && !t.leading.empty())) return true;
      if (IsOpen(t.text) && t.newline_after && t.match != k + 1) return true;
    }
    return !toks_[close].leading.empty();
  }

  // A bracketed list whose opening bracket is printed with `mode` and
  // `space`. `items` prints one item (given the mode and space of its first
  // token). `commas`: items are separated by commas (kept, a trailing one
  // added when one item per line, dropped after the last item on one line);
  // else (config blocks) source separators are dropped and ", " separates
  // items on one line. `pad`: a space inside the brackets on one line
  // (`{ a: 1 }` vs `[1, 2]`).
  template <class F>
  void List(Mode mode, bool space, bool pad, bool commas, F&& items) {
    size_t open = i_, close = toks_[open].match;
    bool expanded = Expanded(open);
    Emit(mode, space);
    if (expanded) {
      ++indent_;
      block_start_ = true;
      while (i_ != close) {
        items(kItem, false);
        if (commas) {
          if (Is(",")) {
            Attach(true);
          } else {
            Glue(",");
          }
        } else if (Is(",") || Is(";")) {
          Attach(false);
        }
      }
      EmitCloser();
      return;
    }
    bool first = true;
    while (i_ != close) {
      if (!first && !commas) Glue(",");  // only config blocks get here without source commas
      items(kInline, !first || pad);
      first = false;
      if (Is(",") || Is(";")) {
        bool last = i_ + 1 == close;
        Attach(commas && !last);
      }
    }
    Emit(kInline, pad && close != open + 1);
  }

  // --- the grammar ---

  void Decl() {
    if (Is("import")) {
      Emit(kItem, false);
      Emit(kInline, true);  // the path
      if (Is(";")) Attach(false);
    } else if (Is("template")) {
      Emit(kItem, false);
      Emit(kInline, true);  // name
      Emit(kInline, true);  // =
      Kind();
      if (Is("{")) Body();
    } else {  // topology
      Emit(kItem, false);
      Emit(kInline, true);  // name
      Block([this](Mode m, bool s) { TopologyItem(m, s); });
    }
  }

  // `{ items }` with no separators: statements, components.
  template <class F>
  void Block(F&& item) {
    size_t open = i_, close = toks_[open].match;
    bool expanded = Expanded(open);
    Emit(kInline, true);
    if (expanded) {
      ++indent_;
      block_start_ = true;
      while (i_ != close) {
        item(kItem, false);
        if (Is(";")) Attach(false);
      }
      EmitCloser();
      return;
    }
    while (i_ != close) {
      item(kInline, true);
      if (Is(";")) Attach(false);
    }
    Emit(kInline, close != open + 1);
  }

  void TopologyItem(Mode mode, bool space) {
    if (Is("config")) {
      Config(mode, space);
      return;
    }
    Emit(mode, space);     // spout | bolt
    Emit(kInline, true);   // id
    Emit(kInline, true);   // =
    Kind();
    if (Is("{")) Body();
  }

  void Kind() {
    if (Is("shell") && Is("[", 1)) {
      Emit(kInline, true);
      List(kInline, true, false, true, [this](Mode m, bool s) { Emit(m, s); });
    } else if ((Is("python") || Is("java")) && IsString(1)) {
      Emit(kInline, true);
      Emit(kInline, true);
      if (Is("(")) JavaArgs();
    } else {  // a template
      Emit(kInline, true);
      if (Is("(")) JavaArgs();
    }
  }

  void JavaArgs() { List(kInline, true, false, true, [this](Mode m, bool s) { Emit(m, s); }); }
  void FieldList(bool space_before) {
    List(kInline, space_before, false, true, [this](Mode m, bool s) { Emit(m, s); });
  }

  void Body() {
    Block([this](Mode m, bool s) { Statement(m, s); });
  }

  void Statement(Mode mode, bool space) {
    if (Is("output")) {
      Emit(mode, space);
      while (!Is("(")) Emit(kInline, true);  // [direct] [NAME]
      FieldList(true);
    } else if (Is("input")) {
      Emit(mode, space);
      Emit(kInline, true);  // source
      if (Is(".")) {
        Emit(kInline, false);
        Emit(kInline, false);
      }
      Grouping();
    } else if (Is("config")) {
      Config(mode, space);
    } else {  // parallelism | tasks N
      Emit(mode, space);
      Emit(kInline, true);
    }
  }

  void Grouping() {
    if ((Is("fields") || Is("partial-key")) && Is("(", 1)) {
      Emit(kInline, true);
      FieldList(false);
    } else if (Is("custom") && IsString(1)) {
      Emit(kInline, true);
      Emit(kInline, true);
      if (Is("(")) JavaArgs();
    } else {
      Emit(kInline, true);
    }
  }

  void Config(Mode mode, bool space) {
    Emit(mode, space);  // config
    List(kInline, true, true, false, [this](Mode m, bool s) { Entry(m, s); });
  }

  void Entry(Mode mode, bool space) {
    Key(mode, space);
    Emit(kInline, false);  // :
    Value();
  }

  void Key(Mode mode, bool space) {
    Emit(mode, space);
    while (Is(".")) {
      Emit(kInline, false);
      Emit(kInline, false);
    }
  }

  // A value after `key:` (mode kInline, a space before) or as a list item.
  void Value(Mode mode = kInline, bool space = true) {
    if (Is("[")) {
      List(mode, space, false, true, [this](Mode m, bool s) { Value(m, s); });
    } else if (Is("{")) {
      List(mode, space, true, true, [this](Mode m, bool s) { Entry(m, s); });
    } else {
      Emit(mode, space);
    }
  }

  std::vector<Tok> toks_;
  size_t i_ = 0;
  std::string out_;
  int indent_ = 0;
  std::vector<Comment> pending_;  // trailing comments not yet printed
  std::vector<Comment> carry_;    // comments for the next token's own lines
  bool must_break_ = false;       // a line comment ended the line
  bool block_start_ = false;      // just after an opening bracket's line break
  bool force_blank_ = false;      // a blank line before the next item
};

}  // namespace

std::optional<std::string> FormatFile(const SourceManager& sources, FileId file,
                                      DiagnosticEngine& diags) {
  ast::Arena arena;
  DiagnosticEngine local;
  parse::ParseFile(sources, file, arena, local);
  bool bad = local.ErrorCount() > 0;
  for (const Diagnostic& d : local.diagnostics()) diags.Report(d);
  if (bad) return std::nullopt;
  return Printer(Tokenize(sources.Contents(file))).Print();
}

std::optional<std::string> FormatText(std::string_view text) {
  SourceManager sources;
  FileId id = sources.AddFile("<text>", std::string(text));
  DiagnosticEngine diags;
  return FormatFile(sources, id, diags);
}

}  // namespace topoc::format
