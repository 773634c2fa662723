// The reference parser on its own (ParseFile calls it only when the fast
// parser gives up): the AST it builds from valid text, and how it reports
// and recovers from every kind of bad input.
#include "compiler/parse/antlr_parser.h"

#include <doctest/doctest.h>

#include "compiler/ast/ast_dump.h"
#include "compiler/parse/fast_parser.h"
#include "compiler/parse/limits.h"

namespace topoc::parse {

namespace {

struct AntlrParsed {
  SourceManager sources;
  DiagnosticEngine diags;
  ast::Arena arena;
  const ast::File* file = nullptr;
  std::vector<std::string> codes() const {
    std::vector<std::string> out;
    for (const auto& d : diags.diagnostics()) out.push_back(d.code);
    return out;
  }
  const Diagnostic& first() const { return diags.diagnostics().front(); }
  std::string_view first_text() const { return sources.Text(first().primary); }
};

std::unique_ptr<AntlrParsed> ParseWithAntlr(std::string text) {
  auto p = std::make_unique<AntlrParsed>();
  FileId id = p->sources.AddFile("t.topo", std::move(text));
  p->file = ParseFileWithAntlr(p->sources, id, p->arena, p->diags);
  return p;
}

}  // namespace

TEST_CASE("ANTLR parser: a valid file, the same AST as the fast parser") {
  const std::string text = R"(import "lib.topo"
template base = python "m.Base" { output (x) }
topology t {
  config { topology.workers: 2 }
  spout a = base { parallelism 2 }
  bolt b = java "com.x.B" (1, 2L, 2.5, "s", true) {
    input a.default fields(x)
    input a partial-key(x)
    tasks 4
  }
}
)";
  auto p = ParseWithAntlr(text);
  CHECK(p->codes().empty());
  REQUIRE(p->file != nullptr);
  REQUIRE(p->file->topologies.size() == 1);
  const ast::Topology* t = p->file->topologies[0];
  CHECK(t->name.text == "t");
  REQUIRE(t->components.size() == 2);
  CHECK(t->components[1]->kind.java_args->size() == 5);
  CHECK(t->components[1]->body.inputs[1].grouping.kind == ir::GroupingKind::kPartialKey);
  ast::Arena arena;
  const ast::File* fast = FastParseFile(text, 0, arena);
  REQUIRE(fast != nullptr);
  CHECK(ast::Dump(*p->file) == ast::Dump(*fast));
}

TEST_CASE("ANTLR parser: syntax errors say what was found and what was expected, at its bytes") {
  auto p = ParseWithAntlr("topology t { spout a = python \"m.A\" { output (x } }");
  REQUIRE_FALSE(p->codes().empty());
  CHECK(p->first().code == "E0001");
  CHECK(p->first().message.find("unexpected '}'") == 0);
  CHECK(p->first().message.find("expected") != std::string::npos);
  CHECK(p->first_text() == "}");
}

TEST_CASE("ANTLR parser: recovers and reports every error in one run, keeping the rest") {
  auto p = ParseWithAntlr(R"(topology t {
  spout a = python "m.A" { output (x }
  bolt b = python "m.B" { input a shufle }
  bolt c = python "m.C" { }
}
topology u { spout s = python "m.S" }
)");
  CHECK(p->codes().size() >= 2);
  REQUIRE(p->file->topologies.size() == 2);
  CHECK(p->file->topologies[1]->name.text == "u");
  bool found_c = false;
  for (const ast::Component* c : p->file->topologies[0]->components) found_c = found_c || c->id.text == "c";
  CHECK(found_c);
}

TEST_CASE("ANTLR parser: every lexical error of the file, each with its code and bytes") {
  auto p = ParseWithAntlr("topology t { @ \x01 } /* open");
  CHECK(p->codes() == std::vector<std::string>{"E0004", "E0004", "E0003"});
  const auto& d = p->diags.diagnostics();
  CHECK(d[0].message == "unexpected character '@'");
  CHECK(d[1].message == "unexpected character 0x01");  // unprintable: shown as a byte
  CHECK(p->sources.Text(d[2].primary) == "/*");         // the comment's opening only
  auto s = ParseWithAntlr("topology t { spout a = python \"m.A }");
  CHECK(s->first().code == "E0002");
}

TEST_CASE("ANTLR parser: invalid UTF-8 is reported once, and parsing goes on over it") {
  auto p = ParseWithAntlr("// \xff\xfe\ntopology t { spout a = python \"m.A\" }");
  CHECK(p->codes() == std::vector<std::string>{"E0005"});
  CHECK(p->first().message == "invalid UTF-8 (byte 0xff)");
  CHECK(p->first().primary.begin == 3);
  REQUIRE(p->file->topologies.size() == 1);
  CHECK(p->sources.Text(p->file->topologies[0]->components[0]->id.span) == "a");
}

TEST_CASE("ANTLR parser: nesting deeper than kMaxNesting is one E0006 and an empty file") {
  std::string deep = "topology t { config { k: " + std::string(kMaxNesting + 5, '[') + " } }";
  auto p = ParseWithAntlr(deep);
  CHECK(p->codes() == std::vector<std::string>{"E0006"});
  CHECK(p->file->topologies.empty());
  // Exactly kMaxNesting levels (two of them the braces) are fine.
  std::string ok = "topology t { config { k: " + std::string(kMaxNesting - 2, '[') +
                   std::string(kMaxNesting - 2, ']') + " } }";
  CHECK(ParseWithAntlr(ok)->codes().empty());
}

TEST_CASE("ANTLR parser: stops after kMaxErrorsPerFile errors and says so") {
  std::string text;
  for (int i = 0; i < 3 * kMaxErrorsPerFile; ++i) text += "@ ";
  auto p = ParseWithAntlr(text);
  REQUIRE(p->codes().size() == kMaxErrorsPerFile + 1);
  CHECK(p->diags.diagnostics().back().message ==
        "too many errors in this file; stopping after " + std::to_string(kMaxErrorsPerFile));
}

TEST_CASE("ANTLR parser: numbers out of range are E0008 at the number") {
  auto p = ParseWithAntlr("topology t { spout a = python \"m.A\" { parallelism 99999999999999999999 } }");
  CHECK(p->codes() == std::vector<std::string>{"E0008"});
  CHECK(p->first_text() == "99999999999999999999");
}

}  // namespace topoc::parse
