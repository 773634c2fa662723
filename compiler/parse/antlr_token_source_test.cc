// The hand-written lexer must produce exactly the generated lexer's tokens.
#include "compiler/parse/antlr_token_source.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include <doctest/doctest.h>

#include "TopoLexer.h"

namespace topoc::parse {

namespace {

namespace fs = std::filesystem;

struct Tok {
  size_t type, channel, start, stop;
  bool operator==(const Tok&) const = default;
};

std::vector<Tok> Collect(antlr4::TokenSource& source) {
  std::vector<Tok> out;
  while (true) {
    auto t = source.nextToken();
    out.push_back(Tok{t->getType(), t->getChannel(), t->getStartIndex(), t->getStopIndex()});
    if (t->getType() == antlr4::Token::EOF || out.size() > 1000000) break;
  }
  return out;
}

// Compares both lexers on `text` (valid UTF-8); returns the first
// difference, or "" when they agree.
std::string Compare(const std::string& text) {
  antlr4::ANTLRInputStream a(text), b(text);
  gen::TopoLexer reference(&a);
  reference.removeErrorListeners();
  AntlrTokenSource fast(text, &b);
  // The generated lexer skips whitespace and line comments too.
  std::vector<Tok> want = Collect(reference), got = Collect(fast);
  for (size_t i = 0; i < std::max(want.size(), got.size()); ++i) {
    if (i >= want.size() || i >= got.size() || !(want[i] == got[i])) {
      std::ostringstream s;
      s << "token " << i;
      if (i < want.size()) s << " want type " << want[i].type << " [" << want[i].start << "," << want[i].stop << "]";
      if (i < got.size()) s << " got type " << got[i].type << " [" << got[i].start << "," << got[i].stop << "]";
      return s.str();
    }
  }
  return "";
}

}  // namespace

TEST_CASE("AntlrTokenSource agrees with the generated lexer on tricky inputs") {
  const char* cases[] = {
      "",
      "topology t { spout a-b = python \"m.C\" { output (x) } }",
      "1 -1 1L -2l 1.5 -1.5e3 2E+4 1e 1.5e 1.x 1.5.3 12abc 0.5L a-1 -x --1",
      "\"a\\\"b\" \"unterminated\n\"esc\\\n\"trail\\",
      "\"\\u00e9\" \"caf\xC3\xA9\" \xC3\xA9 \xF0\x9F\x98\x80 x",
      "// line\n/* block */ /* unterminated",
      "/*/ x */ /**/ //* still line\n",
      "local-or-shuffle local-or-shufflex partial-key( partial-keys custom \"c\" (1, 2L, 2.5, true)",
      "@ # $ % ^ & * ! ? ~ ` ' | \\ < > + -",
      "config { topology.max.spout.pending: 1, \"k\": [1, {\"a\": null}]; }",
      "\t\r\n\f x\r\ny",
      "a.b.c...:=;,()[]{}",
  };
  for (const char* c : cases) {
    INFO(c);
    CHECK(Compare(c) == "");
  }
}

TEST_CASE("AntlrTokenSource agrees on the golden cases, the examples and the stdlib") {
  const char* root = std::getenv("TOPOC_SOURCE_DIR");
  REQUIRE(root != nullptr);
  size_t files = 0;
  for (const char* dir : {"tests/check", "examples", "stdlib/topo"}) {
    fs::path base = fs::path(root) / dir;
    if (!fs::is_directory(base)) continue;
    for (const auto& e : fs::recursive_directory_iterator(base)) {
      if (e.path().extension() != ".topo") continue;
      std::ifstream in(e.path(), std::ios::binary);
      std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      if (e.path().filename().string().find("utf8") != std::string::npos) continue;  // invalid UTF-8
      INFO(e.path().string());
      CHECK(Compare(text) == "");
      ++files;
    }
  }
  CHECK(files > 20);
}

TEST_CASE("AntlrTokenSource agrees on random printable input") {
  const std::string alphabet = "ab-_1.e\"\\/*\n ({[]}):,;=L@\xC3\xA9";
  uint32_t x = 7;
  for (int round = 0; round < 300; ++round) {
    std::string text;
    for (int i = 0; i < 200; ++i) {
      x = x * 1103515245 + 12345;
      size_t k = (x >> 16) % alphabet.size();
      if (alphabet[k] == '\xC3') {
        text += "\xC3\xA9";
      } else if (alphabet[k] != '\xA9') {
        text.push_back(alphabet[k]);
      }
    }
    INFO(text);
    REQUIRE(Compare(text) == "");
  }
}

}  // namespace topoc::parse
