// The hand-written parser must accept exactly what the ANTLR-generated
// parser accepts without errors, and build exactly the same AST.
#include "compiler/parse/fast_parser.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include <doctest/doctest.h>

#include "compiler/ast/ast_dump.h"
#include "compiler/parse/antlr_parser.h"
#include "compiler/parse/limits.h"
#include "compiler/parse/parse.h"

namespace topoc::parse {

namespace {

namespace fs = std::filesystem;

// "" when the two parsers agree on `text`; else what differs.
std::string Agree(const std::string& text) {
  SourceManager sources;
  FileId id = sources.AddFile("t.topo", text);
  ast::Arena slow_arena, fast_arena;
  DiagnosticEngine diags;
  const ast::File* slow = ParseFileWithAntlr(sources, id, slow_arena, diags);
  const ast::File* fast = FastParseFile(sources.Contents(id), id, fast_arena);
  bool clean = diags.diagnostics().empty();
  if (clean && fast == nullptr) return "the fast parser gave up on a clean file";
  if (!clean && fast != nullptr) {
    return "the fast parser accepted a file with errors: " + diags.diagnostics()[0].message;
  }
  if (fast != nullptr) {
    std::string want = ast::Dump(*slow), got = ast::Dump(*fast);
    if (want != got) return "the ASTs differ\n--- ANTLR\n" + want + "--- fast\n" + got;
  }
  return "";
}

// A deterministic generator of random .topo files from the grammar, with
// every construct, and of random damage to them.
class Gen {
 public:
  explicit Gen(uint32_t seed) : x_(seed) {}

  uint32_t R(uint32_t n) {
    x_ = x_ * 1103515245u + 12345u;
    return (x_ >> 8) % n;
  }
  template <size_t N>
  const char* Pick(const char* const (&a)[N]) {
    return a[R(N)];
  }

  std::string File() {
    std::string s;
    for (uint32_t i = R(3); i > 0; --i) s += "import " + Str() + (R(2) ? ";" : "") + Ws();
    for (uint32_t i = R(3); i > 0; --i) s += "template " + Name() + " = " + Kind() + Ws() + (R(2) ? Body() : "") + Ws();
    for (uint32_t i = 1 + R(2); i > 0; --i) {
      s += "topology " + Name() + " {" + Ws();
      for (uint32_t j = R(5); j > 0; --j) {
        if (R(4) == 0) {
          s += Config();
        } else {
          s += std::string(R(2) ? "spout " : "bolt ") + Name() + " = " + Kind() + Ws() +
               (R(4) ? Body() : "") + Ws();
        }
      }
      s += "}" + Ws();
    }
    return s;
  }

  // Damages `text` a little: cut, insert or duplicate something.
  std::string Damage(std::string text) {
    static const char* const kBits[] = {
        "{", "}", "(", ")", "[", "]", ",", ";", ".", ":", "=", "\"", "\\", "/*", "*/", "//", " x ",
        "1", "1L", "2.5", "-3", "output", "input", "spout", "bolt", "config", "@", "\xC3\xA9",
        "\xFF", "\"\\q\"", "99999999999999999999", "1e999", "\"\\ud800\"", "true", "null", "\n",
        "direct", "fields", "\"unterminated\n", "/* x", "shell", "java \"J\" (1)"};
    for (uint32_t n = 1 + R(3); n > 0; --n) {
      size_t at = text.empty() ? 0 : R(static_cast<uint32_t>(text.size()));
      switch (R(3)) {
        case 0: text.erase(at, 1 + R(6)); break;
        case 1: text.insert(at, Pick(kBits)); break;
        default: text.insert(at, text.substr(R(static_cast<uint32_t>(text.size() + 1)), R(12))); break;
      }
    }
    return text;
  }

 private:
  std::string Ws() {
    static const char* const kWs[] = {" ", "\n", "  ", "\t", " // c\n", " /* c */ ", "\r\n", "\f"};
    return Pick(kWs);
  }
  std::string Str() {
    static const char* const kStr[] = {"\"a.B\"", "\"\"", "\"x\\n\\t\\\"q\\\\\"", "\"\\u00e9\\ud83d\\ude00\"",
                                       "\"caf\xC3\xA9\"", "\"spout\"", "\"a b\"", "\"/\\/\""};
    return Pick(kStr);
  }
  std::string Name() {
    // Keywords are ids wherever an id belongs (contextual keywords).
    static const char* const kNames[] = {"a", "word-spout", "_x1", "B-2-", "\"quoted id\"", "count", "\"bolt\"",
                                         "custom", "all", "direct", "output", "input", "python", "shell",
                                         "java", "fields", "config", "tasks", "null", "true", "spout"};
    return Pick(kNames);
  }
  std::string JavaArgs() {
    static const char* const kArgs[] = {"1", "-2", "2147483648", "-9223372036854775808", "3L", "4l",
                                        "2.5", "-1e3", "1.5E+2", "true", "false", "\"s\""};
    std::string s = "(";
    uint32_t n = R(4);
    for (uint32_t i = 0; i < n; ++i) s += std::string(i ? ", " : "") + Pick(kArgs);
    if (n && R(3) == 0) s += ",";
    return s + ")";
  }
  std::string Kind() {
    switch (R(4)) {
      case 0: return "python " + Str();
      case 1: {
        std::string s = "shell [";
        uint32_t n = R(4);
        for (uint32_t i = 0; i < n; ++i) s += std::string(i ? ", " : "") + Str();
        if (n && R(2)) s += ",";
        return s + "]";
      }
      case 2: return "java " + Str() + (R(2) ? " " + JavaArgs() : "");
      default: return Name() + (R(2) ? JavaArgs() : "");
    }
  }
  std::string Fields() {
    std::string s = "(";
    uint32_t n = R(4);
    for (uint32_t i = 0; i < n; ++i) s += std::string(i ? ", " : "") + Name();
    if (n && R(3) == 0) s += ",";
    return s + ")";
  }
  std::string Key() {
    static const char* const kKeys[] = {"topology.workers", "a", "\"k.k\"", "x.1.y", "config.true", "a-b._c", "7", "\"\""};
    return Pick(kKeys);
  }
  std::string Value(int depth) {
    static const char* const kScalars[] = {"1", "-7", "2.5", "-1.5e-3", "true", "false", "null", "\"v\"", "\"\\u0041\""};
    uint32_t k = depth > 3 ? 9 : R(12);
    if (k == 10 || k == 11) {
      bool list = k == 10;
      std::string s = list ? "[" : "{";
      uint32_t n = R(4);
      for (uint32_t i = 0; i < n; ++i) {
        s += std::string(i ? ", " : "") + (list ? "" : Key() + ": ") + Value(depth + 1);
      }
      if (n && R(3) == 0) s += ",";
      return s + (list ? "]" : "}");
    }
    return kScalars[k % 9];
  }
  std::string Config() {
    std::string s = "config {" + Ws();
    static const char* const kSep[] = {"", ",", ";", "\n"};
    for (uint32_t n = R(4); n > 0; --n) s += Key() + ": " + Value(0) + Pick(kSep) + Ws();
    return s + "}" + Ws();
  }
  std::string Grouping() {
    static const char* const kSimple[] = {"shuffle", "all", "global", "none", "direct", "local-or-shuffle"};
    switch (R(4)) {
      case 0: return "fields " + Fields();
      case 1: return "partial-key " + Fields();
      case 2: return "custom " + Str() + (R(2) ? JavaArgs() : "");
      default: return Pick(kSimple);
    }
  }
  std::string Body() {
    std::string s = "{" + Ws();
    for (uint32_t n = R(6); n > 0; --n) {
      std::string semi = R(2) ? ";" : "";
      switch (R(5)) {
        case 0: s += "output " + std::string(R(3) == 0 ? "direct " : "") + (R(2) ? Name() + " " : "") + Fields() + semi; break;
        case 1: s += "input " + Name() + (R(2) ? "." + Name() : "") + " " + Grouping() + semi; break;
        case 2: s += "parallelism " + std::to_string(R(5)) + semi; break;
        case 3: s += "tasks " + std::to_string(R(9)) + semi; break;
        default: s += Config(); break;
      }
      s += Ws();
    }
    return s + "}";
  }

  uint32_t x_;
};

}  // namespace

TEST_CASE("fast parser: same AST as the ANTLR path on every construct") {
  const char* cases[] = {
      "",
      "// only a comment\n/* and a block */",
      "import \"a.topo\"; import \"b.topo\"\n"
      "template t = java \"com.x.T\" (1, 2L, 2.5, true, \"s\", 2147483648) { parallelism 2 }\n"
      "topology \"my top\" {\n"
      "  config { topology.workers: 2, \"k\": {\"a\": [1, 2.5, null, true, \"x\\n\"], b.c: {}}; x: [] }\n"
      "  spout s = python \"m.S\" { output (a, b,) output direct errs (r); }\n"
      "  bolt b = shell [\"python3\", \"b.py\",] { input s.errs fields (r) ; tasks 4 }\n"
      "  bolt c = t(3) { input s custom \"g.G\" (1) input b partial-key (x) input s.\"default\" none }\n"
      "  bolt d = \"t\" { input s all input s global input s direct input s local-or-shuffle input s shuffle; }\n"
      "}\n",
      "topology t { spout s = java \"J\" bolt b = shell [] }",
      "topology t { bolt b = python \"\\u00e9\\ud83d\\ude00 caf\xC3\xA9\" { config { 1.2: 3 } } }",  // FLOAT key: error
      "topology t { bolt b = python \"m.B\" { output (x) } } extra",
      "topology t { bolt b = python \"m.B\" { parallelism 99999999999999999999 } }",
      "topology t { bolt b = java \"J\" (1e999) }",
      "topology t { bolt b = python \"bad \\q escape\" }",
      "topology t { bolt b = python \"unterminated }\n}",
      "topology t { bolt b = python \"m.B\" } /* unterminated",
      "topology t { bolt b = python \"m.B\" } @",
      "topology t { bolt b = python \"m.B\" } \xFF",
      "topology t { config { a: 1L } }",
      "topology t { spout spout = python \"m.S\" }",
  };
  for (const char* c : cases) {
    INFO(c);
    CHECK(Agree(c) == "");
  }
}

TEST_CASE("keywords are ids in every id position, in both parsers") {
  // Every keyword, in every place the grammar takes an id.
  const char* const kWords[] = {"import", "template", "topology", "spout", "bolt", "python", "shell",
                                "java", "output", "direct", "input", "parallelism", "tasks", "config",
                                "shuffle", "fields", "all", "global", "none", "local-or-shuffle",
                                "partial-key", "custom", "true", "false", "null"};
  for (const char* w : kWords) {
    std::string k = w;
    std::string text = "template " + k + " = python \"m.T\" { output " + k + " (" + k + ") }\n" +
                       "topology " + k + " {\n" +
                       "  spout " + k + " = " + k + " { output (" + k + ", x) }\n" +
                       "  bolt b = " + k + " (1) { input " + k + "." + k + " fields(" + k + ") input " + k +
                       " partial-key(x, " + k + ") }\n" +
                       "  bolt c = python \"m.C\" { output direct " + k + " (" + k + ") input " + k + " " +
                       "shuffle }\n"
                       "}\n";
    INFO(text);
    CHECK(Agree(text) == "");
    SourceManager sources;
    FileId id = sources.AddFile("t.topo", text);
    ast::Arena arena;
    DiagnosticEngine diags;
    const ast::File* f = ParseFile(sources, id, arena, diags);
    REQUIRE(diags.diagnostics().empty());
    CHECK(f->templates[0]->name.text == k);
    if (k != "direct") CHECK(f->templates[0]->body.outputs[0].name->text == k);  // else the direct flag
    CHECK(f->topologies[0]->name.text == k);
    const ast::Component* s = f->topologies[0]->components[0];
    CHECK(s->id.text == k);
    CHECK(s->kind.tag == ast::ComponentKind::Tag::kTemplate);
    CHECK(s->kind.template_name.text == k);
    const ast::Component* b = f->topologies[0]->components[1];
    CHECK(b->body.inputs[0].source.text == k);
    CHECK(b->body.inputs[0].stream->text == k);
    CHECK(b->body.inputs[0].grouping.fields[0].text == k);
    CHECK(b->body.inputs[1].grouping.fields[1].text == k);
    const ast::Component* c = f->topologies[0]->components[2];
    CHECK(c->body.outputs[0].direct);
    CHECK(c->body.outputs[0].name->text == k);
  }
  // Where both readings fit, the keyword's wins.
  SourceManager sources;
  FileId id = sources.AddFile("t.topo",
                              "topology t { spout s = python \"m.S\" { output direct (a) output direct direct (b) } "
                              "bolt p = python { input s.direct shuffle } bolt j = java bolt q = shell }");
  ast::Arena arena;
  DiagnosticEngine diags;
  const ast::File* f = ParseFile(sources, id, arena, diags);
  REQUIRE(diags.diagnostics().empty());
  const auto& outs = f->topologies[0]->components[0]->body.outputs;
  CHECK(outs[0].direct);
  CHECK_FALSE(outs[0].name.has_value());
  CHECK(outs[1].direct);
  CHECK(outs[1].name->text == "direct");
  CHECK(f->topologies[0]->components[1]->kind.tag == ast::ComponentKind::Tag::kTemplate);  // template `python`
  CHECK(f->topologies[0]->components[2]->kind.template_name.text == "java");
  CHECK(f->topologies[0]->components[3]->kind.template_name.text == "shell");
  CHECK(Agree(std::string(sources.Contents(id))) == "");
}

TEST_CASE("fast parser: nesting deeper than kMaxNesting is left to the ANTLR path") {
  std::string deep = "topology t { config { a: ";
  for (int i = 0; i < kMaxNesting; ++i) deep += "[";
  for (int i = 0; i < kMaxNesting; ++i) deep += "]";
  deep += " } }";
  CHECK(Agree(deep) == "");  // too deep for both: E0006
  ast::Arena arena;
  CHECK(FastParseFile(deep, 0, arena) == nullptr);
  std::string ok = "topology t { config { a: [[[1]]] } }";
  CHECK(Agree(ok) == "");
  CHECK(FastParseFile(ok, 0, arena) != nullptr);
}

TEST_CASE("fast parser: same result on the golden cases, the examples and the stdlib") {
  const char* root = std::getenv("TOPOC_SOURCE_DIR");
  REQUIRE(root != nullptr);
  size_t files = 0, clean = 0;
  for (const char* dir : {"tests/check", "tests/build", "examples", "stdlib/topo", "fuzz/corpus"}) {
    fs::path base = fs::path(root) / dir;
    if (!fs::is_directory(base)) continue;
    for (const auto& e : fs::recursive_directory_iterator(base)) {
      if (!e.is_regular_file()) continue;
      if (e.path().extension() != ".topo" && std::string(dir) != "fuzz/corpus") continue;
      std::ifstream in(e.path(), std::ios::binary);
      std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      INFO(e.path().string());
      CHECK(Agree(text) == "");
      ast::Arena arena;
      if (FastParseFile(text, 0, arena) != nullptr) ++clean;
      ++files;
    }
  }
  CHECK(files > 40);
  CHECK(clean > 10);
}

TEST_CASE("fast parser: same result on random files and random damage to them") {
  Gen gen(12345);
  size_t accepted = 0, refused = 0;
  for (int round = 0; round < 1500; ++round) {
    std::string text = gen.File();
    INFO(text);
    REQUIRE(Agree(text) == "");
    ast::Arena clean_arena;
    REQUIRE(FastParseFile(text, 0, clean_arena) != nullptr);  // the generator writes valid files
    std::string damaged = gen.Damage(text);
    INFO(damaged);
    REQUIRE(Agree(damaged) == "");
    ast::Arena arena;
    (FastParseFile(damaged, 0, arena) ? accepted : refused) += 1;
  }
  // The damage must exercise both outcomes.
  CHECK(accepted > 50);
  CHECK(refused > 500);
}

}  // namespace topoc::parse
