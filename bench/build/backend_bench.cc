// Times each backend in-process on one .topo file: compiles it once (timed),
// then runs every backend's Generate into a MemorySink `repeats` times and
// prints the best time. One JSON object per line on stdout:
//   {"step":"compile","seconds":0.12,"components":1000}
//   {"step":"clojure","seconds":0.004,"bytes":123456,"files":3}
// Usage: backend_bench FILE.topo [repeats]   (used by bench/build/run.py)
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "backends/clojure/clojure_backend.h"
#include "backends/dot/dot_backend.h"
#include "backends/flux/flux_backend.h"
#include "backends/json/json_backend.h"
#include "backends/thrift/thrift_backend.h"
#include "compiler/driver/compilation.h"

using namespace topoc;

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: backend_bench FILE.topo [repeats]\n");
    return 2;
  }
  int repeats = argc > 2 ? std::atoi(argv[2]) : 3;
  using Clock = std::chrono::steady_clock;
  auto seconds = [](Clock::time_point a, Clock::time_point b) {
    return std::chrono::duration<double>(b - a).count();
  };

  driver::CompileOptions options;
  options.inputs = {argv[1]};
  driver::Compilation compilation;
  auto t0 = Clock::now();
  driver::Compile(options, compilation);
  auto t1 = Clock::now();
  if (compilation.diags.HadErrors()) {
    std::fprintf(stderr, "backend_bench: %s has errors\n", argv[1]);
    return 1;
  }
  size_t components = 0;
  for (const auto& t : compilation.program->topologies) components += t->components.size();
  std::printf("%s\n", nlohmann::json{{"step", "compile"}, {"seconds", seconds(t0, t1)},
                                     {"components", components}}.dump().c_str());

  std::vector<std::unique_ptr<backends::Backend>> all;
  all.push_back(std::make_unique<backends::thrift::ThriftBackend>());
  all.push_back(std::make_unique<backends::clojure::ClojureBackend>());
  all.push_back(std::make_unique<backends::flux::FluxBackend>());
  all.push_back(std::make_unique<backends::dot::DotBackend>());
  all.push_back(std::make_unique<backends::json::JsonBackend>());
  for (const auto& backend : all) {
    double best = 1e9;
    size_t bytes = 0, files = 0;
    for (int i = 0; i < repeats; ++i) {
      backends::MemorySink sink;
      DiagnosticEngine diags;
      auto a = Clock::now();
      bool ok = backend->Generate(*compilation.program, {}, sink, diags);
      auto b = Clock::now();
      if (!ok) {
        std::fprintf(stderr, "backend_bench: %s failed\n", std::string(backend->Name()).c_str());
        return 1;
      }
      best = std::min(best, seconds(a, b));
      auto out = sink.Files();
      files = out.size();
      bytes = 0;
      for (const auto& [path, text] : out) bytes += text.size();
    }
    std::printf("%s\n", nlohmann::json{{"step", backend->Name()}, {"seconds", best},
                                       {"bytes", bytes}, {"files", files}}.dump().c_str());
  }
  return 0;
}
