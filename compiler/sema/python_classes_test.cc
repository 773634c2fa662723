#include <map>

#include <doctest/doctest.h>

#include "compiler/parse/parse.h"
#include "compiler/sema/sema.h"

namespace topoc::sema {

namespace {

// Python modules held in memory: what the checker sees of src/.
class FakeModules : public PythonModules {
 public:
  std::map<std::string, std::string, std::less<>> modules;
  mutable int reads = 0;
  std::optional<std::string> Read(std::string_view module) const override {
    ++reads;
    auto it = modules.find(module);
    if (it == modules.end()) return std::nullopt;
    return it->second;
  }
  std::string Where() const override { return "proj/src"; }
};

std::vector<std::string> Check(const std::string& text, const FakeModules& modules,
                               std::vector<Diagnostic>* out = nullptr) {
  SourceManager sources;
  DiagnosticEngine diags;
  ast::Arena arena;
  FileId id = sources.AddFile("t.topo", text);
  const ast::File* f = parse::ParseFile(sources, id, arena, diags);
  SemaOptions options;
  options.python = &modules;
  ir::Program program;
  CheckProgram({f}, ScopeOf{}, sources, options, diags, program);
  std::vector<std::string> codes;
  for (const auto& d : diags.diagnostics()) codes.push_back(d.code);
  if (out) *out = diags.diagnostics();
  return codes;
}

}  // namespace

TEST_CASE("python classes: module and class looked up through PythonModules") {
  FakeModules m;
  m.modules["spouts.words"] = "import x\n\nclass WordSpout(Spout):\n    pass\n  class Nested:\n";
  const std::string text = R"(topology t {
    spout a = python "spouts.words.WordSpout" { }
    spout b = python "spouts.words.Nested" { }
    spout c = python "spouts.words.Word" { }
    spout d = python "spouts.nope.X" { }
    spout e = python "spouts.nope.Y" { }
  })";
  std::vector<Diagnostic> diags;
  CHECK(Check(text, m, &diags) == std::vector<std::string>{"W0305", "W0304", "W0304"});
  CHECK(diags[1].message.find("proj/src") != std::string::npos);
  // Each module is read once, however many classes name it.
  CHECK(m.reads == 2);
}

}  // namespace topoc::sema
