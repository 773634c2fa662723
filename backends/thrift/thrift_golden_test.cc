// Golden files for the thrift backend: tests/build/<case>.thrift.bin (the
// exact bytes of <topology>.stormtopology) and <case>.thrift.json (its
// `topoc dump` view, the readable twin for diffs).
//
// Cases go through the real front end (driver::Compile):
//   wordcount, sentences  examples/<name>/topologies/<name>.topo
//   every-feature         topology every-feature of tests/build/every-feature.topo
//                         (shared with the text backends: every grouping,
//                         stream kind, java arg and config value type,
//                         tasks, a template)
// Rewrite the files with: TOPOC_BLESS=1 thrift_backend_test
//   (then review the .json diff like code).
#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include <set>

#include "backends/storm_launch.h"
#include "backends/testing/sample_ir.h"
#include "compiler/driver/compilation.h"
#include "backends/thrift/storm_codec.h"
#include "backends/thrift/thrift_backend.h"

namespace {

namespace fs = std::filesystem;
using namespace topoc;

fs::path GoldenDir() {
  const char* root = std::getenv("TOPOC_SOURCE_DIR");
  REQUIRE_MESSAGE(root != nullptr, "TOPOC_SOURCE_DIR must point at the source tree");
  return fs::path(root) / "tests" / "build";
}

std::string ReadFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

void CheckGolden(const std::string& name, const ir::Program& program) {
  backends::thrift::ThriftBackend backend;
  backends::MemorySink sink;
  DiagnosticEngine diags;
  backends::BackendOptions options;
  options.topology_name = program.topologies.front()->name;
  options.extra["launchers"] = "false";
  REQUIRE(backend.Generate(program, options, sink, diags));
  auto files = sink.Files();
  REQUIRE(files.size() == 1);
  const std::string& bytes = files.begin()->second;

  topoc::storm::StormTopology decoded;
  std::string error;
  REQUIRE(backends::thrift::DecodeStormTopology(bytes, &decoded, &error));
  std::string json = backends::thrift::StormTopologyToJsonText(decoded);

  fs::path bin_path = GoldenDir() / (name + ".thrift.bin");
  fs::path json_path = GoldenDir() / (name + ".thrift.json");
  if (const char* bless = std::getenv("TOPOC_BLESS"); bless != nullptr && std::string(bless) == "1") {
    fs::create_directories(GoldenDir());
    std::ofstream(bin_path, std::ios::binary) << bytes;
    std::ofstream(json_path, std::ios::binary) << json;
    MESSAGE("blessed " << bin_path.string());
  }
  INFO("golden " << bin_path.string() << " (rewrite with TOPOC_BLESS=1)");
  REQUIRE(fs::exists(bin_path));
  CHECK(ReadFile(json_path) == json);
  CHECK(ReadFile(bin_path) == bytes);

  // The golden .bin itself dumps to the golden .json (the dumper is stable).
  topoc::storm::StormTopology from_file;
  REQUIRE(backends::thrift::DecodeStormTopology(ReadFile(bin_path), &from_file, &error));
  CHECK(backends::thrift::StormTopologyToJsonText(from_file) == ReadFile(json_path));
}

}  // namespace

namespace {

std::unique_ptr<driver::Compilation> CompileFile(const fs::path& topo) {
  auto c = std::make_unique<driver::Compilation>();
  driver::CompileOptions options;
  options.inputs.push_back(topo);
  driver::Compile(options, *c);
  for (const auto& d : c->diags.diagnostics()) {
    if (d.severity == Severity::kError) INFO(topo.string() << ": " << d.code << " " << d.message);
  }
  REQUIRE_FALSE(c->diags.HadErrors());
  REQUIRE(c->program != nullptr);
  REQUIRE_FALSE(c->program->topologies.empty());
  return c;
}

fs::path SourceRoot() { return GoldenDir().parent_path().parent_path(); }

}  // namespace

TEST_CASE("golden: examples/wordcount") {
  auto c = CompileFile(SourceRoot() / "examples/wordcount/topologies/wordcount.topo");
  CheckGolden("wordcount", *c->program);
}

TEST_CASE("golden: examples/sentences") {
  auto c = CompileFile(SourceRoot() / "examples/sentences/topologies/sentences.topo");
  CheckGolden("sentences", *c->program);
}

TEST_CASE("golden: every-feature") {
  auto c = CompileFile(GoldenDir() / "every-feature.topo");
  REQUIRE(c->program->topologies.front()->name == "every-feature");
  CheckGolden("every-feature", *c->program);
}

TEST_CASE("the shared sample IRs build; shell commands of other than two strings get wrappers") {
  for (auto make : {&backends::testing::MakeWordcount, &backends::testing::MakeSentences,
                    &backends::testing::MakeEveryFeature}) {
    auto program = make();
    std::set<std::string> wrappers;
    for (const auto& t : program->topologies) {
      for (const auto& c : t->components) {
        if (c->kind == ir::Kind::kShell && c->shell_command.size() != 2)
          wrappers.insert("resources/" + backends::ShellWrapperPath(c->id));
      }
    }
    backends::thrift::ThriftBackend backend;
    backends::MemorySink sink;
    DiagnosticEngine diags;
    REQUIRE(backend.Generate(*program, {}, sink, diags));
    CHECK(diags.ErrorCount() == 0);
    for (const auto& w : wrappers) CHECK_MESSAGE(sink.Files().count(w) == 1, w);
  }
}
