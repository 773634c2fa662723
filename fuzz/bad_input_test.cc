// Hostile input through the whole front end (driver::Compile + both
// renderers): unterminated strings and comments, invalid UTF-8, NUL bytes,
// deep nesting, huge files, random bytes, and the fuzzer's seed corpus.
// Each must end in clear diagnostics (stable codes, valid spans, JSON that
// parses), never a crash or a hang. The libFuzzer target (check_fuzzer.cc)
// explores further; this keeps the known-hostile shapes as a regression test
// in every ordinary build.
#include <doctest/doctest.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <set>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "compiler/diag/renderer.h"
#include "compiler/driver/compilation.h"

namespace {

namespace fs = std::filesystem;

struct Outcome {
  std::set<std::string> codes;  // codes of every error and warning
  size_t errors = 0;
  std::string text;             // TextRenderer output
  double seconds = 0;
};

const fs::path& TempDir() {
  static const fs::path dir = [] {
    std::string templ = (fs::temp_directory_path() / "topoc-bad-input-XXXXXX").string();
    REQUIRE(mkdtemp(templ.data()) != nullptr);
    return fs::path(templ);
  }();
  return dir;
}

// Compiles `bytes` as one .topo file and renders the diagnostics both ways,
// checking what every well-formed outcome must satisfy.
Outcome CompileBytes(const std::string& bytes) {
  fs::path path = TempDir() / "input.topo";
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << bytes;
  }
  auto start = std::chrono::steady_clock::now();
  topoc::driver::CompileOptions options;
  options.inputs.push_back(path);
  topoc::driver::Compilation c;
  topoc::driver::Compile(options, c);
  Outcome o;
  REQUIRE(c.program != nullptr);
  std::ostringstream text, json;
  topoc::diag::TextRenderer(c.sources, false).RenderAll(c.diags, text);
  topoc::diag::JsonRenderer(c.sources).RenderAll(c.diags, json);
  o.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  o.text = text.str();
  o.errors = c.diags.ErrorCount();
  for (const topoc::Diagnostic& d : c.diags.diagnostics()) {
    if (d.severity == topoc::Severity::kError || d.severity == topoc::Severity::kWarning) {
      CHECK_FALSE(d.code.empty());
      CHECK_FALSE(d.message.empty());
      o.codes.insert(d.code);
    }
    if (d.primary.valid()) {
      CHECK(d.primary.begin <= d.primary.end);
      CHECK(d.primary.end <= c.sources.Contents(d.primary.file).size());
    }
  }
  // One JSON object per line, each parseable, one per top-level diagnostic.
  std::istringstream lines(json.str());
  std::string line;
  size_t objects = 0;
  while (std::getline(lines, line)) {
    if (line.empty()) continue;
    auto parsed = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
    CHECK_MESSAGE(parsed.is_object(), "not a JSON object: " << line.substr(0, 200));
    ++objects;
  }
  CHECK(objects == c.diags.diagnostics().size());
  if (c.diags.ErrorCount() > 0) CHECK_FALSE(o.text.empty());
  return o;
}

}  // namespace

TEST_CASE("an unterminated string is reported, and the rest still parses") {
  Outcome o = CompileBytes(
      "topology t {\n  spout s = python \"spouts.S {\n    output (a)\n  }\n"
      "  bolt b = python \"bolts.B\" { input s shuffle }\n}\n");
  CHECK(o.codes.count("E0002") == 1);
  CHECK(o.text.find("unterminated string") != std::string::npos);
}

TEST_CASE("an unterminated block comment is reported") {
  Outcome o = CompileBytes("topology t { /* never closed\n spout s = python \"a.B\" { output (x) }");
  CHECK(o.codes.count("E0003") == 1);
}

TEST_CASE("invalid UTF-8 and NUL bytes are reported, not crashed on") {
  Outcome o = CompileBytes(std::string("topology t\xff\xfe { spout \"\xc3\x28\" = python \"a.\xe2\x82\" { output (x) } }"));
  CHECK(o.codes.count("E0005") == 1);
  Outcome nul = CompileBytes(std::string("topology t {\0 spout s = python \"a.B\" {\0} }", 42));
  CHECK(nul.errors > 0);
}

TEST_CASE("deep nesting is refused before it can exhaust the stack") {
  for (std::string open : {"[", "{", "("}) {
    std::string close = open == "[" ? "]" : open == "{" ? "}" : ")";
    std::string deep = "topology t { config { k: ";
    for (int i = 0; i < 200000; ++i) deep += open;
    for (int i = 0; i < 200000; ++i) deep += close;
    deep += " } }";
    Outcome o = CompileBytes(deep);
    CAPTURE(open);
    CHECK(o.codes.count("E0006") == 1);
    CHECK(o.seconds < 10);
  }
}

TEST_CASE("a huge file of errors is capped, and fast") {
  std::string junk;
  for (int i = 0; i < 200000; ++i) junk += "spout } = ( \"x\n";
  Outcome o = CompileBytes(junk);
  CHECK(o.errors > 0);
  CHECK(o.errors <= 200);  // capped per file, not one per line
  CHECK(o.seconds < 20);
}

TEST_CASE("a huge valid topology compiles cleanly") {
  std::string topo = "topology big {\n  spout s = python \"spouts.S\" { output (k, v) }\n";
  const int kBolts = 20000;
  for (int i = 0; i < kBolts; ++i) {
    std::string prev = i == 0 ? "s" : "b" + std::to_string(i - 1);
    topo += "  bolt b" + std::to_string(i) + " = python \"bolts.B\" { input " + prev +
            " fields(k) output (k, v) }\n";
  }
  topo += "  bolt sink = python \"bolts.Sink\" { input b" + std::to_string(kBolts - 1) + " shuffle }\n}\n";
  Outcome o = CompileBytes(topo);
  CHECK(o.errors == 0);
  CHECK_MESSAGE(o.codes.empty(), o.text.substr(0, 2000));
  CHECK(o.seconds < 20);
}

TEST_CASE("random bytes and mangled topologies never crash") {
  std::mt19937 rng(20261124);
  const std::string base =
      "topology t {\n  config { topology.workers: 2 }\n"
      "  spout s = python \"spouts.S\" { output (a, b) output e (c) }\n"
      "  bolt b = python \"bolts.B\" { input s fields(a) input s.e all parallelism 2 }\n}\n";
  for (int round = 0; round < 300; ++round) {
    std::string input;
    if (round % 2 == 0) {
      size_t len = rng() % 2000;
      for (size_t i = 0; i < len; ++i) input += static_cast<char>(rng() & 0xff);
    } else {
      input = base;
      for (int edits = 1 + rng() % 8; edits > 0; --edits) {
        size_t at = rng() % (input.size() + 1);
        switch (rng() % 3) {
          case 0: input.insert(at, 1, "{}()[]\"\\/*.:,=-_\n\xff"[rng() % 18]); break;
          case 1: if (at < input.size()) input.erase(at, 1 + rng() % 10); break;
          default: input.insert(at, input.substr(rng() % input.size(), rng() % 40)); break;
        }
      }
    }
    CAPTURE(round);
    CompileBytes(input);
  }
}

TEST_CASE("the fuzzer's seed corpus and the examples compile without crashing") {
  const char* root = std::getenv("TOPOC_SOURCE_DIR");
  REQUIRE(root != nullptr);
  size_t files = 0;
  for (const char* dir : {"fuzz/corpus", "examples"}) {
    for (const auto& entry : fs::recursive_directory_iterator(fs::path(root) / dir)) {
      if (!entry.is_regular_file() || entry.path().extension() != ".topo") continue;
      std::ifstream in(entry.path(), std::ios::binary);
      std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      CAPTURE(entry.path().string());
      CompileBytes(bytes);
      ++files;
    }
  }
  CHECK(files >= 4);
}
