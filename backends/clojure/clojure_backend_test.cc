#include "backends/clojure/clojure_backend.h"

#include <iostream>

#include <doctest/doctest.h>

#include "backends/testing/sample_ir.h"

namespace topoc::backends::clojure {
namespace {

std::map<std::string, std::string> Gen(const ir::Program& program, BackendOptions options = {}) {
  MemorySink sink;
  DiagnosticEngine diags;
  bool ok = ClojureBackend().Generate(program, options, sink, diags);
  for (const auto& d : diags.diagnostics()) MESSAGE(d.code << " " << d.message);
  REQUIRE(ok);
  return sink.Files();
}

TEST_CASE("dump") {
  auto files = Gen(*testing::MakeEveryFeature());
  for (auto& [k, v] : files) std::cout << "=== " << k << "\n" << v;
  BackendOptions o;
  o.extra["dialect"] = "streamparse";
  auto f2 = Gen(*testing::MakeSentences(), o);
  for (auto& [k, v] : f2) std::cout << "=== " << k << "\n" << v;
}

}  // namespace
}  // namespace topoc::backends::clojure
