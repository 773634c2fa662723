#include "compiler/parse/parse.h"

#include <doctest/doctest.h>
#include <fmt/format.h>

#include "compiler/diag/diagnostic_kinds.h"
#include "compiler/parse/limits.h"

namespace topoc::parse {

namespace {

struct Parsed {
  SourceManager sources;
  DiagnosticEngine diags;
  ast::Arena arena;
  const ast::File* file = nullptr;
  std::vector<std::string> codes() const {
    std::vector<std::string> out;
    for (const auto& d : diags.diagnostics()) out.push_back(d.code);
    return out;
  }
};

std::unique_ptr<Parsed> Parse(std::string text) {
  auto p = std::make_unique<Parsed>();
  FileId id = p->sources.AddFile("t.topo", std::move(text));
  p->file = ParseFile(p->sources, id, p->arena, p->diags);
  return p;
}

}  // namespace

TEST_CASE("parses the wordcount example") {
  auto p = Parse(R"(
// comment
topology wordcount {
    config {
        topology.workers: 2
        topology.message.timeout.secs: 30
        "my.key": {"a": [1, 2.5, true, null, "x\n"]}
    }
    spout word-spout = python "spouts.words.WordSpout" {
        output (word)
    }
    /* block */
    bolt count-bolt = python "bolts.wordcount.WordCounter" {
        input word-spout shuffle
        output (word, count)
        output direct errors (reason)
        parallelism 2
        tasks 4
    }
})");
  REQUIRE(p->diags.diagnostics().empty());
  REQUIRE(p->file->topologies.size() == 1);
  const ast::Topology* t = p->file->topologies[0];
  CHECK(t->name.text == "wordcount");
  REQUIRE(t->config.size() == 3);
  CHECK(t->config[0].key == "topology.workers");
  CHECK(t->config[0].value == 2);
  CHECK(t->config[2].key == "my.key");
  CHECK(t->config[2].value["a"][1] == 2.5);
  CHECK(t->config[2].value["a"][4] == "x\n");
  REQUIRE(t->components.size() == 2);
  const ast::Component* bolt = t->components[1];
  CHECK(bolt->role == ir::Role::kBolt);
  CHECK(bolt->id.text == "count-bolt");
  CHECK(p->sources.Text(bolt->id.span) == "count-bolt");
  CHECK(bolt->kind.python_class == "bolts.wordcount.WordCounter");
  REQUIRE(bolt->body.inputs.size() == 1);
  CHECK(bolt->body.inputs[0].source.text == "word-spout");
  REQUIRE(bolt->body.outputs.size() == 2);
  CHECK(bolt->body.outputs[1].direct);
  CHECK(bolt->body.outputs[1].name->text == "errors");
  CHECK(bolt->body.parallelism[0].value == 2);
  CHECK(bolt->body.tasks[0].value == 4);
}

TEST_CASE("parses every grouping, shell and java kinds, imports and templates") {
  auto p = Parse(R"(
import "kafka.topo"
template base = java "com.example.Spout" ("s", 1, 5000000000, 2L, 1.5, true)
topology t {
  spout a = shell ["node", "x.js"] { output (f) }
  spout b = base ("other") { output s (f, g) }
  bolt c = java "com.example.Bolt" {
    input a fields(f)
    input a all
    input b.s partial-key(f, g)
    input a global
    input a none
    input a direct
    input a local-or-shuffle
    input a custom "com.example.G" (3)
  }
})");
  REQUIRE(p->diags.diagnostics().empty());
  REQUIRE(p->file->imports.size() == 1);
  CHECK(p->file->imports[0].path == "kafka.topo");
  REQUIRE(p->file->templates.size() == 1);
  const auto& args = *p->file->templates[0]->kind.java_args;
  REQUIRE(args.size() == 6);
  CHECK(args[0].type == ir::JavaArg::Type::kString);
  CHECK(args[1].type == ir::JavaArg::Type::kInt);
  CHECK(args[2].type == ir::JavaArg::Type::kLong);
  CHECK(args[2].int_value == 5000000000);
  CHECK(args[3].type == ir::JavaArg::Type::kLong);
  CHECK(args[4].type == ir::JavaArg::Type::kDouble);
  CHECK(args[5].type == ir::JavaArg::Type::kBool);
  const ast::Topology* t = p->file->topologies[0];
  CHECK(t->components[0]->kind.shell_command == std::vector<std::string>{"node", "x.js"});
  CHECK(t->components[1]->kind.tag == ast::ComponentKind::Tag::kTemplate);
  CHECK(t->components[1]->kind.java_args->at(0).string_value == "other");
  const auto& inputs = t->components[2]->body.inputs;
  REQUIRE(inputs.size() == 8);
  using K = ir::GroupingKind;
  CHECK(inputs[0].grouping.kind == K::kFields);
  CHECK(inputs[1].grouping.kind == K::kAll);
  CHECK(inputs[2].grouping.kind == K::kPartialKey);
  CHECK(inputs[2].stream->text == "s");
  CHECK(inputs[3].grouping.kind == K::kGlobal);
  CHECK(inputs[4].grouping.kind == K::kNone);
  CHECK(inputs[5].grouping.kind == K::kDirect);
  CHECK(inputs[6].grouping.kind == K::kLocalOrShuffle);
  CHECK(inputs[7].grouping.kind == K::kCustom);
  CHECK(inputs[7].grouping.custom_class == "com.example.G");
}

TEST_CASE("syntax errors recover: every error in one run") {
  auto p = Parse(R"(topology t {
  spout a = python "m.A" { output (x }
  bolt b = python "m.B" { input a shufle }
  bolt c = = { }
})");
  auto codes = p->codes();
  CHECK(codes.size() >= 3);
  for (const auto& c : codes) CHECK(c == "E0001");
  CHECK(p->diags.diagnostics()[0].message.find("expected") != std::string::npos);
  // Recovery keeps the rest of the file.
  REQUIRE(p->file->topologies.size() == 1);
  CHECK(p->file->topologies[0]->components.size() >= 1);
}

TEST_CASE("lexical errors have their own codes") {
  CHECK(Parse("topology t { spout a = python \"m.A { } }")->codes().front() == "E0002");
  CHECK(Parse("topology t { } /* never closed")->codes() == std::vector<std::string>{"E0003"});
  CHECK(Parse("topology t { } @")->codes() == std::vector<std::string>{"E0004"});
  CHECK(Parse("topology t { } // \xff\xfe")->codes() == std::vector<std::string>{"E0005"});
  CHECK(Parse("topology \"a\\qb\" { }")->codes() == std::vector<std::string>{"E0007"});
  CHECK(Parse("topology t { spout a = python \"m.A\" { parallelism 99999999999999999999 } }")->codes() ==
        std::vector<std::string>{"E0008"});
}

TEST_CASE("deep nesting is refused before parsing") {
  std::string deep = "topology t { config { k: " + std::string(100000, '[') + " } }";
  auto p = Parse(deep);
  CHECK(p->codes() == std::vector<std::string>{"E0006"});
}

TEST_CASE("random bytes give diagnostics, not crashes, and are capped") {
  std::string junk;
  uint32_t x = 12345;
  for (int i = 0; i < 20000; ++i) {
    x = x * 1103515245 + 12345;
    junk.push_back(static_cast<char>(x >> 16));
  }
  auto p = Parse(junk);
  CHECK(!p->diags.diagnostics().empty());
  CHECK(p->diags.diagnostics().size() <= kMaxErrorsPerFile + 2);
}

TEST_CASE("spans are byte offsets even after multi-byte characters") {
  auto p = Parse("// \xC3\xA9\xC3\xA9\ntopology t { spout a = python \"m.A\" }");
  REQUIRE(p->diags.diagnostics().empty());
  const ast::Topology* t = p->file->topologies[0];
  CHECK(p->sources.Text(t->name.span) == "t");
  CHECK(p->sources.Text(t->components[0]->id.span) == "a");
}

}  // namespace topoc::parse

namespace topoc::parse {

// Spans are byte offsets whether or not the file is pure ASCII (ASCII files
// skip the code point -> byte table; others go through it).
TEST_CASE("error spans are byte offsets in ASCII and non-ASCII files") {
  const std::string ascii = "// x\ntopology t { ) }\n";
  const std::string utf8 = "// \xc3\xa9\xc3\xa9\ntopology t { ) }\n";  // two 2-byte code points
  for (const std::string& text : {ascii, utf8}) {
    auto p = Parse(text);
    REQUIRE(!p->diags.diagnostics().empty());
    const Span& s = p->diags.diagnostics().front().primary;
    CHECK(s.begin == text.find(')'));
    CHECK(s.end == s.begin + 1);
  }
}

}  // namespace topoc::parse

namespace topoc::parse {

// Error recovery's messages, each kind: an unexpected token (mismatched
// input), an extra token (extraneous), a missing one (single-token
// insertion: its lookahead sets are remembered per thread, so every file
// is parsed twice, around the others, and must report the same both times).
TEST_CASE("syntax errors: messages of each recovery kind, the same on every parse") {
  // Expected: what ANTLR's stock error strategy reported (the messages
  // before the lighter strategy of antlr_parser.cc).
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"topology t { spout s = python \"a.B\" { output (x) ] }",
       "1:50: unexpected ']', expected '}', 'output', 'input', 'parallelism', 'tasks' or 'config'\n"
       "1:53: unexpected end of file, expected '}', 'spout', 'bolt' or 'config'\n"},
      {"topology t { config { a: 1 } } }",
       "1:32: unexpected '}', expected end of file, 'import', 'template' or 'topology'\n"},
      {"topology t { bolt b = python \"a.B\" { input s fields (x y) } }",
       "1:56: unexpected 'y', expected ',' or ')'\n"},
      {"topology t { spout = python \"a.B\" }",
       "1:20: unexpected '=', expected identifier or string\n"
       "1:29: missing '=' before '\"a.B\"'\n"},
      {"topology t { spout s python \"a.B\" }", "1:22: missing '=' before 'python'\n"},
      {"topology t { config { a 1 } }", "1:25: missing ':' before '1'\n"},
      {"topology t { bolt b = python \"a.B\" { input s.x.y shuffle } } topology u { config { k: {\"a\" 1} } }",
       "1:47: unexpected '.', expected 'direct', 'shuffle', 'fields', 'all', 'global', 'none', "
       "'local-or-shuffle', 'partial-key' or 'custom'\n"
       "1:92: missing ':' before '1'\n"},
      {"topology t spout s", "1:12: missing '{' before 'spout'\n1:19: unexpected end of file, expected '='\n"},
  };
  auto render = [](const Parsed& p) {
    std::string out;
    for (const auto& d : p.diags.diagnostics()) {
      LineCol lc = p.sources.GetLineCol(d.primary.file, d.primary.begin);
      out += fmt::format("{}:{}: {}\n", lc.line, lc.column, d.message);
    }
    return out;
  };
  std::vector<std::string> first;
  for (const auto& [text, expected] : cases) {
    auto p = Parse(text);
    first.push_back(render(*p));
    INFO(text);
    CHECK(first.back() == expected);
  }
  for (size_t i = 0; i < cases.size(); ++i) {
    auto p = Parse(cases[i].first);
    CHECK(render(*p) == first[i]);
  }
}

}  // namespace topoc::parse
