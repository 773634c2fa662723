// Runner benchmark: tuples per second through spout -> bolt -> bolt.
//   bench_runtime [--secs S] [--native-dir DIR] [--skip-python]
// 1. native: the C++ multilang spout/bolts of bench/runtime (the runner's own
//    cost per tuple: the components do almost nothing), unreliable and
//    reliable (message ids, XOR acker, one ack round trip per tuple).
// 2. python: the same topology with streamparse components (JSON; then on
//    /usr/bin/python3, JSON and MessagePack).
// 3. python bolt alone: the relay bolt fed a recorded input (handshake and
//    N tuples) from a file, no runner, to show the Python runtime's own cost.
// "routed" counts tuple deliveries to bolt tasks (2 per spout tuple here).
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>

#include "backends/storm_launch.h"
#include "compiler/driver/project.h"
#include "runtime/local_cluster.h"

namespace fs = std::filesystem;
using namespace topoc;

namespace {

std::unique_ptr<ir::Topology> Topology(const std::string& name, ir::Kind kind,
                                       std::vector<std::vector<std::string>> argv,
                                       std::vector<std::string> classes) {
  auto t = std::make_unique<ir::Topology>();
  t->name = name;
  const char* ids[] = {"spout", "relay", "sink"};
  for (int i = 0; i < 3; ++i) {
    auto c = std::make_unique<ir::Component>();
    c->id = ids[i];
    c->role = i == 0 ? ir::Role::kSpout : ir::Role::kBolt;
    c->kind = kind;
    if (kind == ir::Kind::kShell) c->shell_command = argv[static_cast<size_t>(i)];
    else c->python_class = classes[static_cast<size_t>(i)];
    if (i < 2) {
      auto s = std::make_unique<ir::Stream>();
      s->id = "default";
      s->fields = {"word", "n"};
      s->owner = c.get();
      c->streams.push_back(std::move(s));
    }
    if (i > 0) {
      ir::Input in;
      in.source = t->components.back().get();
      in.stream = in.source->streams[0].get();
      in.grouping.kind = i == 1 ? ir::Grouping::Kind::kShuffle : ir::Grouping::Kind::kFields;
      if (i == 2) in.grouping.fields = {"word"};
      c->inputs.push_back(in);
    }
    t->components.push_back(std::move(c));
  }
  t->BuildIndex();
  return t;
}

double CpuSeconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);  // the runner only, not its children
  return double(u.ru_utime.tv_sec + u.ru_stime.tv_sec) + double(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

runtime::RunResult Measure(const char* label, const ir::Topology& t, const runtime::RunOptions& o) {
  double cpu0 = CpuSeconds();
  runtime::RunResult r = runtime::RunTopology(t, o);
  double cpu = CpuSeconds() - cpu0;
  const auto* spout = r.Find("spout");
  double secs = r.seconds;
  double ns = r.tuples_routed ? cpu * 1e9 / double(r.tuples_routed) : 0;
  std::printf("%-34s %10.0f routed/s  %10.0f spout tuples/s  runner CPU %.0f ns/routed tuple (%.2fM/s per core)"
              "  [%llu routed in %.1f s, %zu problems]\n",
              label, double(r.tuples_routed) / secs, double(spout ? spout->emitted : 0) / secs, ns,
              ns > 0 ? 1e3 / ns : 0.0, static_cast<unsigned long long>(r.tuples_routed), secs, r.problems.size());
  std::fflush(stdout);
  return r;
}

}  // namespace

int main(int argc, char** argv) {
  double secs = 5;
  fs::path native_dir = fs::canonical("/proc/self/exe").parent_path();
  bool python = true;
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--secs") && i + 1 < argc) secs = std::atof(argv[++i]);
    else if (!std::strcmp(argv[i], "--native-dir") && i + 1 < argc) native_dir = argv[++i];
    else if (!std::strcmp(argv[i], "--skip-python")) python = false;
  }
  char tmpl[] = "/tmp/topoc-bench-XXXXXX";
  fs::path tmp = mkdtemp(tmpl);
  runtime::RunOptions o;
  o.src_dir = tmp;
  o.logs_dir = tmp / "logs";
  o.staging_dir = tmp / "stage";
  o.time_secs = secs;
  o.status_line = runtime::RunOptions::StatusLine::kOff;
  o.drain_secs = 0.5;
  std::string spout = (native_dir / "bench_multilang_spout").string();
  std::string bolt = (native_dir / "bench_multilang_bolt").string();

  auto t1 = Topology("native", ir::Kind::kShell, {{spout, "--batch", "1000"}, {bolt, "--emit"}, {bolt}}, {});
  Measure("native, unreliable", *t1, o);

  auto t2 = Topology("native-acked", ir::Kind::kShell, {{spout, "--batch", "1000", "--reliable"}, {bolt, "--emit"}, {bolt}},
                     {});
  t2->config.push_back({"topology.max.spout.pending", 20000, {}, {}});
  Measure("native, reliable (acked trees)", *t2, o);

  if (python) {
    fs::path src = fs::path(TOPOC_BENCH_SOURCE_DIR) / "bench" / "runtime" / "python";
    runtime::RunOptions po = o;
    po.src_dir = src;
    po.python_runtime_dir = driver::BuiltinPythonRuntimeDir();
    auto t3 = Topology("python", ir::Kind::kPython, {},
                       {"bench_components.BenchSpout", "bench_components.RelayBolt", "bench_components.SinkBolt"});
    Measure("python runtime (json)", *t3, po);

    // Debian's interpreter, which has python3-msgpack: JSON, then MessagePack
    // (topology.multilang.serializer) on the same interpreter.
    if (std::system("/usr/bin/python3 -c 'import msgpack' >/dev/null 2>&1") == 0) {
      runtime::RunOptions dp = po;
      dp.python = "/usr/bin/python3";
      Measure("python runtime (json, /usr/bin)", *t3, dp);
      auto t4 = Topology("python-msgpack", ir::Kind::kPython, {},
                         {"bench_components.BenchSpout", "bench_components.RelayBolt", "bench_components.SinkBolt"});
      t4->config.push_back({"topology.multilang.serializer", "org.apache.storm.multilang.MsgpackSerializer", {}, {}});
      Measure("python runtime (msgpack, /usr/bin)", *t4, dp);
    } else {
      std::printf("%-34s skipped: /usr/bin/python3 has no msgpack module (python3-msgpack)\n",
                  "python runtime (msgpack, /usr/bin)");
    }

    // The relay bolt alone on a recorded input.
    const int n = 200000;
    fs::path input = tmp / "recorded.txt";
    {
      std::ofstream f(input);
      f << "{\"conf\":{\"topology.name\":\"python\",\"streamparse.log.path\":\"" << (tmp / "logs").string()
        << "\"},\"pidDir\":\"" << tmp.string()
        << "\",\"context\":{\"taskid\":2,\"componentid\":\"relay\",\"task->component\":{\"2\":\"relay\"}}}\nend\n";
      for (int i = 0; i < n; ++i) {
        f << "{\"id\":\"" << (1000000 + i) << "\",\"comp\":\"spout\",\"stream\":\"default\",\"task\":3,\"tuple\":[\"w"
          << (i % 1000) << "\"," << i << "]}\nend\n";
      }
    }
    fs::create_directories(tmp / "stage" / "_topoc");
    fs::path launcher = tmp / "stage" / backends::PythonLauncherPath("bench_components.RelayBolt");
    std::ofstream(launcher) << backends::PythonLauncherSource("bench_components.RelayBolt");
    std::string cmd = "cd '" + src.string() + "' && PYTHONPATH='" + src.string() + ":" +
                      driver::BuiltinPythonRuntimeDir().string() + "' python3 '" + launcher.string() + "' < '" +
                      input.string() + "' > /dev/null 2>" + (tmp / "relay.err").string();
    auto start = std::chrono::steady_clock::now();
    int rc = std::system(cmd.c_str());
    double took = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::printf("%-34s %10.0f tuples/s  (%d tuples in %.1f s, exit %d)\n", "python relay bolt alone (no runner)",
                n / took, n, took, WEXITSTATUS(rc));
  }
  std::error_code ec;
  fs::remove_all(tmp, ec);
  return 0;
}
