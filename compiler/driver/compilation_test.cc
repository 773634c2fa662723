#include "compiler/driver/compilation.h"

#include <cstdlib>
#include <fstream>

#include <unistd.h>

#include <doctest/doctest.h>

#include "compiler/driver/module_loader.h"

namespace topoc::driver {

namespace fs = std::filesystem;

namespace {

struct TempDir {
  fs::path path;
  TempDir() {
    path = fs::temp_directory_path() / ("topoc_compile_test_" + std::to_string(::getpid()));
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~TempDir() { fs::remove_all(path); }
  fs::path Write(const std::string& rel, const std::string& text) const {
    fs::path p = path / rel;
    fs::create_directories(p.parent_path());
    std::ofstream(p) << text;
    return p;
  }
};

std::vector<std::string> Codes(const Compilation& c) {
  std::vector<std::string> out;
  for (const auto& d : c.diags.diagnostics()) out.push_back(d.code);
  return out;
}

}  // namespace

TEST_CASE("imports resolve relative to the importing file, then --stdlib, then TOPOC_PATH") {
  TempDir tmp;
  tmp.Write("lib/base.topo", "import \"more.topo\"\ntemplate base = python \"a.B\" { output (x) }\n");
  tmp.Write("lib/more.topo", "template more = shell [\"node\", \"m.js\"] { output (y) }\n");
  tmp.Write("other/extra.topo", "template extra = java \"com.E\" { output (z) }\n");
  fs::path main = tmp.Write("proj/t.topo",
      "import \"base.topo\"\nimport \"extra.topo\"\n"
      "topology t { spout s = base { } spout m = more { } spout e = extra { }\n"
      " bolt b = python \"a.C\" { input s shuffle input m shuffle input e shuffle } }\n");
  ::setenv("TOPOC_PATH", ((tmp.path / "nowhere").string() + ":" + (tmp.path / "other").string()).c_str(), 1);
  CompileOptions options;
  options.inputs = {main};
  options.stdlib_dirs = {tmp.path / "lib"};
  Compilation c;
  Compile(options, c);
  ::unsetenv("TOPOC_PATH");
  CHECK(Codes(c).empty());
  REQUIRE(c.program->topologies.size() == 1);
  const ir::Topology& t = *c.program->topologies[0];
  CHECK(t.FindComponent("m")->kind == ir::Kind::kShell);
  CHECK(t.FindComponent("e")->kind == ir::Kind::kJava);
}

TEST_CASE("missing and cyclic imports are errors") {
  TempDir tmp;
  tmp.Write("a.topo", "import \"b.topo\"\n");
  tmp.Write("b.topo", "import \"a.topo\"\n");
  fs::path main = tmp.Write("main.topo", "import \"a.topo\"\nimport \"missing.topo\"\n");
  CompileOptions options;
  options.inputs = {main};
  Compilation c;
  Compile(options, c);
  CHECK(Codes(c) == std::vector<std::string>{"E0102", "E0101"});
}

TEST_CASE("an unreadable input is a diagnostic") {
  CompileOptions options;
  options.inputs = {"/nonexistent/x.topo"};
  Compilation c;
  Compile(options, c);
  CHECK(Codes(c) == std::vector<std::string>{"E0009"});
  CHECK(c.program != nullptr);
}

TEST_CASE("python classes are checked against src/ when given") {
  TempDir tmp;
  tmp.Write("src/spouts/words.py", "class WordSpout(Spout):\n    pass\n");
  fs::path main = tmp.Write("topologies/t.topo",
      "topology t { spout a = python \"spouts.words.WordSpout\" { }\n"
      " spout b = python \"spouts.words.Nope\" { }\n"
      " spout c = python \"spouts.nope.X\" { } }\n");
  CompileOptions options;
  options.inputs = {main};
  options.python_src = tmp.path / "src";
  Compilation c;
  Compile(options, c);
  CHECK(Codes(c) == std::vector<std::string>{"W0305", "W0304"});
}

}  // namespace topoc::driver

namespace topoc::driver {

TEST_CASE("the built-in stdlib templates import and check clean") {
  TempDir tmp;
  fs::path main = tmp.Write("t.topo",
      "import \"testing.topo\"\nimport \"python.topo\"\n"
      "topology t {\n spout words = test-word-spout\n spout py = word-spout\n"
      " bolt count = test-word-counter { input words fields(word) }\n"
      " bolt pycount = word-counter { input py fields(word) }\n}\n");
  CompileOptions options;
  options.inputs = {main};
  Compilation c;
  Compile(options, c);
  CHECK(Codes(c).empty());
  const ir::Component* words = c.program->topologies[0]->FindComponent("words");
  REQUIRE(words);
  CHECK(words->java_class == "org.apache.storm.testing.TestWordSpout");
  REQUIRE(words->java_args.size() == 1);
  CHECK(words->java_args[0].type == ir::JavaArg::Type::kBool);
  CHECK(c.program->topologies[0]->FindComponent("pycount")->parallelism == 2);
}

}  // namespace topoc::driver

namespace topoc::driver {

TEST_CASE("a file over the size limit is E0010, read or imported") {
  TempDir tmp;
  fs::path big = tmp.Write("big.topo", "");
  fs::resize_file(big, kMaxFileSize + 1);  // sparse: no disk space used
  fs::path main = tmp.Write("main.topo", "import \"big.topo\"\n");
  CompileOptions options;
  options.inputs = {big, main};
  Compilation c;
  Compile(options, c);
  CHECK(Codes(c) == std::vector<std::string>{"E0010", "E0010"});
}

}  // namespace topoc::driver
