// The formatter: its canonical layout, comments kept, idempotence, and the
// same AST before and after, over every .topo in the repository and over
// files with whitespace and comments thrown between every two tokens.
#include "compiler/format/format.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include <doctest/doctest.h>

#include "compiler/ast/ast_dump.h"
#include "compiler/parse/parse.h"
#include "compiler/parse/lexer.h"

namespace topoc::format {

namespace {

namespace fs = std::filesystem;

std::string Fmt(std::string_view text) {
  std::optional<std::string> out = FormatText(text);
  REQUIRE_MESSAGE(out.has_value(), "did not format:\n" << text);
  return *out;
}

// The AST dump of `text` with spans (which formatting moves) removed; ""
// when it does not parse.
std::string Ast(const std::string& text) {
  SourceManager sources;
  FileId id = sources.AddFile("t.topo", text);
  ast::Arena arena;
  DiagnosticEngine diags;
  const ast::File* f = parse::ParseFile(sources, id, arena, diags);
  if (diags.ErrorCount() > 0) return "";
  static const std::regex span("@[0-9]+:[0-9]+-[0-9]+");
  return std::regex_replace(ast::Dump(*f), span, "@");
}

// Every comment of `text`, in order.
std::vector<std::string> Comments(std::string_view text) {
  std::vector<std::string> out;
  parse::Lexer scanner(text);
  size_t prev = 0;
  while (true) {
    parse::RawToken t = scanner.Next();
    std::string_view gap = text.substr(prev, t.begin - prev);
    for (size_t at = gap.find("//"); at != std::string_view::npos; at = gap.find("//", at)) {
      size_t end = gap.find('\n', at);
      std::string c(gap.substr(at, end == std::string_view::npos ? gap.size() - at : end - at));
      while (!c.empty() && (c.back() == ' ' || c.back() == '\r' || c.back() == '\t')) c.pop_back();
      out.push_back(c);
      at = end == std::string_view::npos ? gap.size() : end;
    }
    if (t.type == parse::kEofType) break;
    if (t.hidden) out.emplace_back(text.substr(t.begin, t.end - t.begin));
    prev = t.end;
  }
  return out;
}

// "" when formatting `text` is sound; else what went wrong.
std::string Sound(const std::string& text) {
  std::string ast = Ast(text);
  if (ast.empty()) return "";  // not a clean file: nothing to check
  std::optional<std::string> once = FormatText(text);
  if (!once) return "a clean file did not format";
  std::optional<std::string> twice = FormatText(*once);
  if (!twice) return "the formatted text does not parse:\n" + *once;
  if (*twice != *once) return "not idempotent\n--- once\n" + *once + "--- twice\n" + *twice;
  if (Ast(*once) != ast) return "the AST changed\n--- formatted\n" + *once;
  if (Comments(*once) != Comments(text)) {
    std::string a, b;
    for (auto& c : Comments(text)) a += c + "|";
    for (auto& c : Comments(*once)) b += c + "|";
    return "comments changed\n" + a + "\n" + b + "\n--- formatted\n" + *once;
  }
  return "";
}

}  // namespace

TEST_CASE("fmt: the canonical layout") {
  CHECK(Fmt("topology t{spout s=python \"a.B\"{output(x,y);parallelism 2}\n"
            "bolt b = python \"a.C\" {\ninput s.default fields ( x ) ; input s  shuffle\n}}") ==
        "topology t {\n"
        "    spout s = python \"a.B\" { output (x, y) parallelism 2 }\n"
        "    bolt b = python \"a.C\" {\n"
        "        input s.default fields(x)\n"
        "        input s shuffle\n"
        "    }\n"
        "}\n");
  CHECK(Fmt("import \"a.topo\";\nimport \"b.topo\"\ntemplate t = java \"x.Y\"(1, 2L,)\n"
            "topology x {\n  config { a.b: 1; c: [1,2,] ,d: {\"k\": true} }\n\n\n"
            "  spout s = shell [\"a\" , \"b\"] { output direct d (e) }\n}\n") ==
        "import \"a.topo\"\n"
        "import \"b.topo\"\n"
        "\n"
        "template t = java \"x.Y\" (1, 2L)\n"
        "\n"
        "topology x {\n"
        "    config { a.b: 1, c: [1, 2], d: { \"k\": true } }\n"
        "\n"
        "    spout s = shell [\"a\", \"b\"] { output direct d (e) }\n"
        "}\n");
  CHECK(Fmt("topology x {\n config {\n  a: [\n1, 2]\n  b: {}\n }\n}") ==
        "topology x {\n"
        "    config {\n"
        "        a: [\n"
        "            1,\n"
        "            2,\n"
        "        ]\n"
        "        b: {}\n"
        "    }\n"
        "}\n");
  CHECK(Fmt("") == "");
  CHECK(Fmt("\n\n// only a comment\n\n") == "// only a comment\n");
}

TEST_CASE("fmt: comments stay where they were") {
  CHECK(Fmt("// head\n\n// about t\ntopology t { // opens\n"
            "  spout s = python \"a.B\" /* kind */ {\n"
            "    output (x,  // the x\n y)\n"
            "\n\n    // before parallelism\n    parallelism 2 ; // two\n"
            "    // at the end\n  }\n}\n// tail\n") ==
        "// head\n"
        "\n"
        "// about t\n"
        "topology t {  // opens\n"
        "    spout s = python \"a.B\" /* kind */ {\n"
        "        output (\n"
        "            x,  // the x\n"
        "            y,\n"
        "        )\n"
        "\n"
        "        // before parallelism\n"
        "        parallelism 2  // two\n"
        "        // at the end\n"
        "    }\n"
        "}\n"
        "// tail\n");
  // A comment inside a one-line construct gives it one item per line.
  CHECK(Fmt("topology t { spout s = python \"a.B\" { output (x) /* c */ } }") ==
        "topology t {\n"
        "    spout s = python \"a.B\" {\n"
        "        output (x) /* c */\n"
        "    }\n"
        "}\n");
  // Inside a statement: the statement continues on the next line.
  CHECK(Fmt("topology t { spout s = python \"a.B\" { output // why\n (x) } }") ==
        "topology t {\n"
        "    spout s = python \"a.B\" {\n"
        "        output  // why\n"
        "            (x)\n"
        "    }\n"
        "}\n");
}

TEST_CASE("fmt: text with errors is not formatted; the diagnostics say why") {
  SourceManager sources;
  FileId id = sources.AddFile("bad.topo", "topology t { spout = }");
  DiagnosticEngine diags;
  CHECK_FALSE(FormatFile(sources, id, diags).has_value());
  REQUIRE(diags.ErrorCount() > 0);
  CHECK(diags.diagnostics()[0].code == "E0001");
  CHECK_FALSE(FormatText("topology t { \"unterminated }").has_value());
  CHECK_FALSE(FormatText("/* open").has_value());
}

TEST_CASE("fmt: every .topo in the repository formats soundly, and examples/ and stdlib/ are formatted") {
  const char* root_env = std::getenv("TOPOC_SOURCE_DIR");
  REQUIRE(root_env != nullptr);
  fs::path root(root_env);
  size_t files = 0, clean = 0;
  for (const char* dir : {"examples", "stdlib", "tests", "fuzz", "bench", "docs"}) {
    std::error_code ec;
    for (fs::recursive_directory_iterator it(root / dir, ec), end; !ec && it != end; it.increment(ec)) {
      if (it->path().extension() != ".topo" || !it->is_regular_file()) continue;
      std::ifstream in(it->path(), std::ios::binary);
      std::stringstream ss;
      ss << in.rdbuf();
      std::string text = ss.str();
      ++files;
      INFO(it->path().string());
      CHECK(Sound(text) == "");
      if (Ast(text).empty()) continue;
      ++clean;
      std::string rel = it->path().lexically_relative(root).string();
      if (rel.rfind("examples/", 0) == 0 || rel.rfind("stdlib/", 0) == 0) {
        CHECK_MESSAGE(Fmt(text) == text, "not formatted: run `topoc fmt " << rel << "`");
      }
    }
  }
  CHECK(files > 40);
  CHECK(clean > 20);
}

TEST_CASE("fmt: random whitespace and comments between every two tokens") {
  const char* root_env = std::getenv("TOPOC_SOURCE_DIR");
  REQUIRE(root_env != nullptr);
  std::vector<std::string> seeds;
  for (const char* f : {"tests/build/every-feature.topo", "stdlib/topo/testing.topo",
                        "examples/sentences/topologies/sentences.topo"}) {
    std::ifstream in(fs::path(root_env) / f, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    seeds.push_back(ss.str());
    REQUIRE_MESSAGE(!Ast(seeds.back()).empty(), f);
  }
  const char* gaps[] = {" ", "\n", "\n\n\n", "  // c\n", " /* b */ ", "\n// own\n", "\n\n// own\n\n",
                        "/* multi\n line */\n", "\t", " // x\n\n// y\n"};
  uint32_t x = 12345;
  auto rnd = [&](uint32_t n) {
    x = x * 1103515245u + 12345u;
    return (x >> 8) % n;
  };
  for (int round = 0; round < 300; ++round) {
    const std::string& seed = seeds[round % seeds.size()];
    // Tokens of the seed, comments dropped, joined by random gaps.
    std::string text;
    parse::Lexer scanner(seed);
    while (true) {
      parse::RawToken t = scanner.Next();
      if (t.type == parse::kEofType) break;
      if (t.hidden) continue;
      text += seed.substr(t.begin, t.end - t.begin);
      text += rnd(3) == 0 ? gaps[rnd(std::size(gaps))] : " ";
    }
    INFO(text);
    REQUIRE_FALSE(Ast(text).empty());
    CHECK(Sound(text) == "");
  }
}

}  // namespace topoc::format
