// runtime/cluster_setup.cc: what a run refuses before starting anything
// (CheckRunnable, folders it cannot create), the conf values it reads
// (ConfInt), and what each task is given: the log keys of its handshake and
// the python launcher. Runs use the raw-multilang components of
// tests/run/components/ (tests/run/run_helpers.h).
#include <doctest/doctest.h>

#include "backends/storm_launch.h"
#include "runtime/cluster.h"
#include "tests/run/run_helpers.h"

namespace topoc::runtime {

TEST_CASE("ConfInt: integers, floats truncated; missing, null or not a number is no value") {
  ir::Value conf = {{"i", 7}, {"f", 2.9}, {"n", nullptr}, {"s", "3"}, {"neg", -4}};
  int64_t v = 99;
  CHECK(cluster::ConfInt(conf, "i", &v));
  CHECK(v == 7);
  CHECK(cluster::ConfInt(conf, "f", &v));
  CHECK(v == 2);
  CHECK(cluster::ConfInt(conf, "neg", &v));
  CHECK(v == -4);
  v = 99;
  CHECK(!cluster::ConfInt(conf, "n", &v));
  CHECK(!cluster::ConfInt(conf, "s", &v));
  CHECK(!cluster::ConfInt(conf, "missing", &v));
  CHECK(v == 99);
}

TEST_CASE("CheckRunnable: java components, empty shell commands and custom groupings are refused by name") {
  std::string error;
  {
    Builder b("ok");
    auto* s = b.Add("s", ir::Role::kSpout, {"python3", "x.py"}, 1, {"w"});
    Builder::Input(b.Add("b", ir::Role::kBolt, {"perl", "y.pl"}, 1, {}), s, ir::Grouping::Kind::kAll);
    CHECK(CheckRunnable(*b.topo, &error));
  }
  {
    Builder b("empty");
    b.Add("s", ir::Role::kSpout, {}, 1, {"w"});
    CHECK(!CheckRunnable(*b.topo, &error));
    CHECK(error == "component 's' has an empty shell command");
  }
  {
    Builder b("custom");
    auto* s = b.Add("s", ir::Role::kSpout, {"python3", "x.py"}, 1, {"w"});
    auto* bolt = b.Add("b", ir::Role::kBolt, {"python3", "y.py"}, 1, {});
    Builder::Input(bolt, s, ir::Grouping::Kind::kCustom);
    bolt->inputs.back().grouping.custom_class = "com.example.MyGrouping";
    CHECK(!CheckRunnable(*b.topo, &error));
    CHECK(error == "component 'b' uses a custom grouping (com.example.MyGrouping), a Java class that only a real "
                   "Storm cluster can run");
  }
}

TEST_CASE("a log or staging folder that cannot be created ends the run before any task starts") {
  TempDir dir;
  std::ofstream(dir.File("a-file")) << "x";
  Builder b("folders");
  b.Add("spout", ir::Role::kSpout, Py("seq_spout.py", {dir.File("spout"), "1"}), 1, {"word", "n"});
  RunOptions o = Options(dir, 5, 0);
  o.logs_dir = dir.path / "a-file" / "logs";
  RunResult r = RunTopology(*b.topo, o);
  CHECK(r.exit_code == 1);
  CHECK(r.error.rfind("cannot create the log folder " + o.logs_dir.string() + ": ", 0) == 0);
  CHECK(r.components.empty());
  CHECK(!fs::exists(dir.File("spout.handshake.2")));

  o = Options(dir, 5, 0);
  o.staging_dir = dir.path / "a-file" / "stage";
  r = RunTopology(*b.topo, o);
  CHECK(r.exit_code == 1);
  CHECK(r.error.rfind("cannot create the staging folder " + o.staging_dir.string() + ": ", 0) == 0);
}

TEST_CASE("the handshake's log keys: the path, config.json's log settings, and --debug's level") {
  TempDir dir;
  Builder b("logkeys");
  b.Add("spout", ir::Role::kSpout, Py("seq_spout.py", {dir.File("spout"), "1"}), 1, {"word", "n"});
  RunOptions o = Options(dir, 30, 1.0);
  o.log_settings = {{"max_bytes", 1000}, {"backup_count", 2}, {"level", "warning"}, {"path", "/ignored"}};
  RunResult r = RunTopology(*b.topo, o);
  REQUIRE(r.exit_code == 0);
  // Task ids: __acker=1, spout=2.
  std::ifstream hf(dir.File("spout.handshake.2"));
  ir::Value conf = ir::Value::parse(hf)["conf"];
  CHECK(conf["streamparse.log.path"] == fs::absolute(dir.path / "logs").string());
  CHECK(conf["streamparse.log.max_bytes"] == 1000);
  CHECK(conf["streamparse.log.backup_count"] == 2);
  CHECK(conf["streamparse.log.level"] == "warning");

  o.debug = true;
  o.console = std::tmpfile();  // --debug echoes the components' stderr
  r = RunTopology(*b.topo, o);
  std::fclose(o.console);
  REQUIRE(r.exit_code == 0);
  std::ifstream hf2(dir.File("spout.handshake.2"));
  CHECK(ir::Value::parse(hf2)["conf"]["streamparse.log.level"] == "debug");
}

TEST_CASE("a python component gets its launcher in the staging folder, run by RunOptions::python") {
  TempDir dir;
  Builder b("launch");
  auto* spout = b.Add("spout", ir::Role::kSpout, {}, 1, {"word"});
  spout->kind = ir::Kind::kPython;
  spout->python_class = "spouts.words.WordSpout";
  RunOptions o = Options(dir, 10, 0);
  o.python = "/nonexistent/python3";  // nothing starts: the launcher stays
  o.max_start_failures = 1;
  RunResult r = RunTopology(*b.topo, o);
  CHECK(r.exit_code == 1);
  CHECK(Contains(r.problems, "cannot run the command: No such file or directory"));
  fs::path launcher = dir.path / "stage" / backends::PythonLauncherPath("spouts.words.WordSpout");
  REQUIRE(fs::exists(launcher));
  std::ifstream f(launcher);
  std::string text((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  CHECK(text == backends::PythonLauncherSource("spouts.words.WordSpout"));
}

}  // namespace topoc::runtime
