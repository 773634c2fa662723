// `topoc submit` steps 2-6 and the cluster commands end to end, in process:
// a real sshd on 127.0.0.1 (workers are ssh aliases of it), virtualenvs
// built by pip from a local sdist (--no-index), the jar uploaded to the test
// Nimbus and inspected, hooks run, and faults reported by name.
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include <doctest/doctest.h>

#include "deploy/cluster.h"
#include "deploy/jar.h"
#include "deploy/submit.h"
#include "tests/deploy/sshd_fixture.h"
#include "tests/deploy/test_nimbus.h"
#include "support/process.h"
#include "support/temp_dir.h"

using namespace topoc;
using namespace topoc::config;
using namespace topoc::deploy;
using namespace topoc::support;
using topoc::deploy::testing::Fault;
using topoc::deploy::testing::SshdFixture;
using topoc::deploy::testing::TestNimbus;
namespace fs = std::filesystem;
using json = nlohmann::ordered_json;

namespace {

void Write(const fs::path& p, const std::string& text, bool exec = false) {
  fs::create_directories(p.parent_path());
  std::ofstream(p) << text;
  if (exec) fs::permissions(p, fs::perms::owner_all | fs::perms::group_read | fs::perms::others_read);
}

std::string Read(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Captures what a FILE* receives.
struct Capture {
  char* buf = nullptr;
  size_t len = 0;
  std::FILE* f = open_memstream(&buf, &len);
  ~Capture() {
    if (f) std::fclose(f);
    std::free(buf);
  }
  std::string str() {
    std::fflush(f);
    return std::string(buf, len);
  }
};

std::unique_ptr<ir::Topology> WordcountIr() {
  auto t = std::make_unique<ir::Topology>();
  t->name = "wordcount";
  t->config.push_back({"topology.message.timeout.secs", 30, {}, {}});
  t->config.push_back({"topology.workers", 1, {}, {}});
  auto spout = std::make_unique<ir::Component>();
  spout->id = "word-spout";
  spout->role = ir::Role::kSpout;
  spout->python_class = "spouts.words.WordSpout";
  auto bolt = std::make_unique<ir::Component>();
  bolt->id = "count-bolt";
  bolt->python_class = "bolts.wordcount.WordCounter";
  t->components.push_back(std::move(spout));
  t->components.push_back(std::move(bolt));
  return t;
}

topoc::storm::StormTopology WordcountThrift(const std::string& python) {
  topoc::storm::StormTopology t;
  topoc::storm::SpoutSpec spout;
  topoc::storm::ShellComponent shell;
  shell.__set_execution_command(python);
  shell.__set_script("_topoc/spouts.words.WordSpout.py");
  spout.spout_object.__set_shell(shell);
  spout.common.__set_parallelism_hint(2);
  t.spouts["word-spout"] = spout;
  return t;
}

// A project, its workers (ssh aliases of one sshd) and a Nimbus.
struct World {
  TestNimbus nimbus;
  SshdFixture sshd;
  TempDir tmp{"topoc-submit-test"};
  fs::path root, venvs, wheels, logs;
  std::unique_ptr<ir::Topology> topology = WordcountIr();
  topoc::storm::StormTopology storm;
  DeployConfig config;
  std::string err;

  World() {
    REQUIRE(nimbus.Start());
    REQUIRE_MESSAGE(sshd.Start({"worker-a", "worker-b"}, {"worker-dead"}, &err), err);
    setenv("TOPOC_SSH_CONFIG", sshd.client_config().c_str(), 1);
    root = tmp.path() / "project dir";  // a space: paths must be quoted
    venvs = tmp.path() / "venv root $HOME 'q'";  // must survive the remote shell
    wheels = tmp.path() / "wheels";
    logs = tmp.path() / "logs";
    Write(root / "src/spouts/words.py", "from streamparse import Spout\nclass WordSpout(Spout):\n    pass\n");
    Write(root / "src/bolts/wordcount.py", "from streamparse import Bolt\nclass WordCounter(Bolt):\n    pass\n");
    Write(root / "virtualenvs/wordcount.txt", "topoc-testpkg==1.0\n");
    // A tiny wheel, installable without an index and without a build step
    // (pip then needs neither setuptools nor wheel on the worker).
    fs::create_directories(wheels);
    ProcessResult whl = RunProcess(
        {"python3", "-c",
         "import sys, zipfile\n"
         "with zipfile.ZipFile(sys.argv[1], 'w') as z:\n"
         "    z.writestr('topoc_testpkg/__init__.py', 'VALUE = 42\\n')\n"
         "    d = 'topoc_testpkg-1.0.dist-info/'\n"
         "    z.writestr(d + 'METADATA', 'Metadata-Version: 2.1\\nName: topoc-testpkg\\nVersion: 1.0\\n')\n"
         "    z.writestr(d + 'WHEEL', 'Wheel-Version: 1.0\\nGenerator: topoc-test\\nRoot-Is-Purelib: true\\nTag: py3-none-any\\n')\n"
         "    z.writestr(d + 'RECORD', 'topoc_testpkg/__init__.py,,\\n' + d + 'METADATA,,\\n' + d + 'WHEEL,,\\n' + d + 'RECORD,,\\n')\n",
         (wheels / "topoc_testpkg-1.0-py3-none-any.whl").string()});
    REQUIRE_MESSAGE(whl.ok(), whl.output);
  }

  // config.json with one env "prod".
  const EnvConfig* Env(const std::vector<std::string>& workers, bool ssh_nimbus = false) {
    json env = {
        {"nimbus", fmt_nimbus(ssh_nimbus)},
        {"workers", workers},
        {"use_ssh_for_nimbus", ssh_nimbus},
        {"virtualenv_root", venvs.string()},
        {"pip_flags", json::array({"--no-index", "--find-links", wheels.string(), })},
        {"log", {{"path", logs.string()}, {"max_bytes", 1000}, {"backup_count", 3}, {"level", "warning"}}},
        {"options", {{"topology.workers", 2}, {"topology.max.spout.pending", 100}}},
    };
    json cfg = {{"envs", {{"prod", env}}}};
    Write(root / "config.json", cfg.dump(2));
    config = DeployConfig{};
    REQUIRE_MESSAGE(LoadDeployConfig(root / "config.json", &config, &err), err);
    storm = WordcountThrift(config.envs[0].PythonInterpreter("wordcount"));
    return &config.envs[0];
  }
  std::string fmt_nimbus(bool ssh_nimbus) {
    // Through the tunnel, "localhost" is resolved on worker-a (this machine).
    return (ssh_nimbus ? std::string("worker-a") : std::string("127.0.0.1")) + ":" + std::to_string(nimbus.port());
  }

  SubmitRequest Request(const EnvConfig* env) {
    SubmitRequest q;
    q.project_root = root;
    q.config = &config;
    q.env = env;
    q.topology = topology.get();
    q.storm_topology = &storm;
    q.python_runtime_dir = fs::path(std::getenv("TOPOC_SOURCE_DIR") ? std::getenv("TOPOC_SOURCE_DIR") : ".") /
                           "stdlib" / "python";
    q.timeouts.connect = std::chrono::seconds(5);
    q.timeouts.io = std::chrono::seconds(10);
    return q;
  }
};

}  // namespace

TEST_CASE("submit: hooks, virtualenv over ssh, jar, upload, submit with conf") {
  World w;
  // Two workers, one host: both build the same folder, in turns (flock).
  const EnvConfig* env = w.Env({"worker-a", "worker-b"});
  Write(w.root / "hooks/pre_submit",
        "#!/bin/sh\nprintf '%s\\n' \"$1\" \"$2\" \"$3\" > \"$(pwd)/pre_submit.args\"\n", true);
  Write(w.root / "tasks.py",
        "import json\n"
        "def post_submit(topo_name, env_name, env_config):\n"
        "    with open('post_submit.args', 'w') as f:\n"
        "        f.write(topo_name + ' ' + env_name + ' ' + env_config['nimbus'])\n");
  SubmitRequest q = w.Request(env);
  q.overrides = {"topology.max.spout.pending=5000", "my.flag=true", "my.name=hello"};
  Capture out, err;
  int rc = RunSubmit(q, out.f, err.f);
  INFO(out.str());
  INFO(err.str());
  REQUIRE(rc == 0);

  // pre_submit got name, env and the env's JSON; post_submit ran from tasks.py.
  std::string pre = Read(w.root / "pre_submit.args");
  CHECK(pre.find("wordcount\nprod\n{") == 0);
  CHECK(json::parse(pre.substr(pre.find('{')))["virtualenv_root"] == w.venvs.string());
  CHECK(Read(w.root / "post_submit.args") == "wordcount prod " + env->raw["nimbus"].get<std::string>());

  // The virtualenv exists on the worker and has the requirement installed.
  ProcessResult py = RunProcess({(w.venvs / "wordcount/bin/python").string(), "-c",
                                 "import topoc_testpkg; print(topoc_testpkg.VALUE)"});
  CHECK(py.output == "42\n");
  CHECK(out.str().find("worker-a") != std::string::npos);
  CHECK(out.str().find("worker-b") != std::string::npos);

  // The jar Nimbus received.
  auto uploads = w.nimbus.finished_uploads();
  REQUIRE(uploads.size() == 1);
  fs::path got = w.tmp.path() / "uploaded.jar";
  std::ofstream(got, std::ios::binary) << uploads.begin()->second;
  std::vector<std::string> names;
  REQUIRE(ListZip(got, &names, &w.err));
  auto has = [&](const std::string& n) { return std::find(names.begin(), names.end(), n) != names.end(); };
  CHECK(has("resources/spouts/words.py"));
  CHECK(has("resources/bolts/wordcount.py"));
  CHECK(has("resources/_topoc/spouts.words.WordSpout.py"));
  CHECK(has("resources/_topoc/bolts.wordcount.WordCounter.py"));
  CHECK(has("resources/streamparse/__init__.py"));
  CHECK(has("resources/streamparse/run.py"));
  for (const auto& n : names) CHECK_MESSAGE(n.find("virtualenvs") == std::string::npos, n);
  ProcessResult unzip = RunProcess({"unzip", "-t", got.string()});
  CHECK_MESSAGE(unzip.ok(), unzip.output);

  // The submission.
  auto sub = w.nimbus.submitted();
  REQUIRE(sub.size() == 1);
  CHECK(sub[0].name == "wordcount");
  CHECK(sub[0].jar_location == uploads.begin()->first);
  CHECK(sub[0].initial_status == topoc::storm::TopologyInitialStatus::ACTIVE);
  CHECK(sub[0].topology.spouts.at("word-spout").spout_object.shell.execution_command ==
        (w.venvs / "wordcount/bin/python").string());
  json conf = json::parse(sub[0].json_conf);
  CHECK(conf["topology.message.timeout.secs"] == 30);
  CHECK(conf["topology.workers"] == 2);                 // env options over topology config
  CHECK(conf["topology.max.spout.pending"] == 5000);    // -o over env options
  CHECK(conf["my.flag"] == true);
  CHECK(conf["my.name"] == "hello");
  CHECK(conf["streamparse.log.path"] == w.logs.string());
  CHECK(conf["streamparse.log.max_bytes"] == 1000);
  CHECK(conf["streamparse.log.backup_count"] == 3);
  CHECK(conf["streamparse.log.level"] == "warning");
  CHECK(conf["topology.name"] == "wordcount");

  // Second submit of the same name: Nimbus says AlreadyAlive, one line.
  Capture out2, err2;
  CHECK(RunSubmit(q, out2.f, err2.f) == 1);
  CHECK(err2.str() == "topoc submit: error: topology 'wordcount' is already on the cluster (status ACTIVE); "
                      "use --force to kill and replace it\n");
  CHECK(w.nimbus.finished_uploads().size() == 1);  // refused before uploading again

  // --force kills it, waits until it is gone, and submits; --inactive.
  w.nimbus.set_kill_linger_ms(500);
  q.force = true;
  q.inactive = true;
  q.debug = true;
  Capture out3, err3;
  REQUIRE_MESSAGE(RunSubmit(q, out3.f, err3.f) == 0, err3.str());
  auto calls = w.nimbus.calls();
  CHECK(std::count(calls.begin(), calls.end(), "killTopologyWithOpts") == 1);
  sub = w.nimbus.submitted();
  REQUIRE(sub.size() == 2);
  CHECK(sub[1].initial_status == topoc::storm::TopologyInitialStatus::INACTIVE);
  conf = json::parse(sub[1].json_conf);
  CHECK(conf["streamparse.log.level"] == "debug");
  CHECK(conf["topology.debug"] == true);
  CHECK(out3.str().find("Killing running topology wordcount (--force)") != std::string::npos);
}

TEST_CASE("submit: a dead worker is named, its output shown, and nothing is submitted") {
  World w;
  const EnvConfig* env = w.Env({"worker-a", "worker-dead"});
  Capture out, err;
  int rc = RunSubmit(w.Request(env), out.f, err.f);
  CHECK(rc == 1);
  INFO(out.str());
  CHECK_MESSAGE(err.str().find("failed on 1 of 2 worker(s): worker-dead") != std::string::npos, err.str());
  CHECK(out.str().find("virtualenv on worker worker-dead failed: ssh could not connect (exit 255)") != std::string::npos);
  CHECK(out.str().find("Connection refused") != std::string::npos);
  CHECK(w.nimbus.calls() == std::vector<std::string>{"getClusterInfo"});  // the early check only
}

TEST_CASE("submit: a failing pre_submit hook stops everything") {
  World w;
  const EnvConfig* env = w.Env({});
  Write(w.root / "hooks/pre_submit", "#!/bin/sh\necho 'not today' >&2\nexit 7\n", true);
  Capture out, err;
  CHECK(RunSubmit(w.Request(env), out.f, err.f) == 1);
  CHECK(err.str() == "topoc submit: error: hooks/pre_submit failed (exit 7); not submitting\n");
  CHECK(w.nimbus.calls().empty());
}

TEST_CASE("submit through an ssh tunnel to Nimbus (use_ssh_for_nimbus)") {
  World w;
  const EnvConfig* env = w.Env({}, /*ssh_nimbus=*/true);
  Capture out, err;
  int rc = RunSubmit(w.Request(env), out.f, err.f);
  INFO(out.str());
  REQUIRE_MESSAGE(rc == 0, err.str());
  CHECK(w.nimbus.submitted().size() == 1);
}

TEST_CASE("submit: Nimbus down, and Nimbus closing mid-upload") {
  World w;
  const EnvConfig* env = w.Env({});
  // A big enough src/ for several chunks.
  std::string blob(3 * kUploadChunkBytes, 'x');  // incompressible, so the jar stays big
  uint32_t x = 12345;
  for (auto& c : blob) c = static_cast<char>((x = x * 1103515245u + 12345u) >> 24);
  Write(w.root / "src/data/blob.bin", blob);
  w.nimbus.SetFault("uploadChunk", Fault::kCloseConnection, 1);
  Capture out, err;
  CHECK(RunSubmit(w.Request(env), out.f, err.f) == 1);
  CHECK_MESSAGE(err.str().find("failed during uploadChunk (at 307200 of ") != std::string::npos, err.str());
  CHECK(err.str().find("Nimbus closed the connection") != std::string::npos);
  CHECK(w.nimbus.submitted().empty());

  w.nimbus.Stop();
  Capture out2, err2;
  CHECK(RunSubmit(w.Request(env), out2.f, err2.f) == 1);
  CHECK_MESSAGE(err2.str().find("cannot connect to Nimbus at 127.0.0.1:") != std::string::npos, err2.str());
  CHECK(err2.str().find("connection refused") != std::string::npos);
}

TEST_CASE("cluster commands: list, activate, deactivate, rebalance, kill, tail, remove-logs") {
  World w;
  const EnvConfig* env = w.Env({"worker-a", "worker-b"});
  ClusterOptions o;
  o.env = env;
  o.timeouts.io = std::chrono::seconds(5);
  {
    Capture out, err;
    CHECK(RunList(o, out.f, err.f) == 0);
    CHECK(out.str() == "No topologies running on 127.0.0.1:" + std::to_string(w.nimbus.port()) + ".\n");
  }
  w.nimbus.AddTopology("wordcount", "ACTIVE", 2, 5, 7, 3725);
  w.nimbus.AddTopology("alpha", "INACTIVE", 1, 1, 1, 9);
  {
    Capture out, err;
    CHECK(RunList(o, out.f, err.f) == 0);
    CHECK(out.str() ==
          "NAME       STATUS    WORKERS  EXECUTORS  TASKS  UPTIME\n"
          "alpha      INACTIVE        1          1      1  9s\n"
          "wordcount  ACTIVE          2          5      7  1h 2m\n");
  }
  Capture out, err;
  CHECK(RunActivate(o, "alpha", true, out.f, err.f) == 0);
  CHECK(RunActivate(o, "wordcount", false, out.f, err.f) == 0);
  CHECK(RunRebalance(o, "wordcount", 3, 10, out.f, err.f) == 0);
  CHECK(w.nimbus.last_rebalance_options()->num_workers == 3);
  CHECK(RunKill(o, "alpha", 0, out.f, err.f) == 0);
  CHECK(out.str() == "Activated alpha\nDeactivated wordcount\nRebalancing wordcount onto 3 worker(s)\n"
                     "Killed alpha (workers stop after 0 s)\n");
  CHECK(err.str().empty());
  Capture out2, err2;
  CHECK(RunKill(o, "nope", {}, out2.f, err2.f) == 1);
  CHECK(err2.str() == "topoc kill: error: Nimbus refused killTopologyWithOpts: NotAliveException: nope is not alive\n");

  // tail and remove-logs over real ssh, on the seed's file names.
  Write(w.logs / "streamparse_wordcount_word-spout_3_1234.log", "INFO spout started\nERROR spout broke\n");
  Write(w.logs / "streamparse_wordcount_count-bolt_5_1240.log", "INFO bolt started\n");
  Write(w.logs / "streamparse_other_x_1_1.log", "INFO another topology\n");
  Capture t_out, t_err;
  CHECK(RunTail(o, "wordcount", false, 10, "", "ERROR", t_out.f, t_err.f) == 0);
  CHECK(t_out.str() == "worker-a: ERROR spout broke\nworker-b: ERROR spout broke\n");
  Capture a_out, a_err;
  CHECK(RunTail(o, "wordcount", false, 10, "", "", a_out.f, a_err.f) == 0);
  CHECK(a_out.str().find("worker-b: INFO bolt started") != std::string::npos);
  CHECK(a_out.str().find("another topology") == std::string::npos);

  o.env = w.Env({"worker-a", "worker-dead"});
  Capture d_out, d_err;
  CHECK(RunTail(o, "wordcount", false, 10, "", "", d_out.f, d_err.f) == 1);
  CHECK_MESSAGE(d_err.str().find("topoc tail: error: worker worker-dead: ssh could not connect (exit 255)") == 0, d_err.str());
  CHECK(d_out.str().find("worker-a: INFO spout started") != std::string::npos);

  o.env = w.Env({"worker-a"});
  Capture r_out, r_err;
  CHECK(RunRemoveLogs(o, "wordcount", "", r_out.f, r_err.f) == 0);
  CHECK(r_out.str() == "worker-a: removed 2 files\n");
  CHECK(fs::exists(w.logs / "streamparse_other_x_1_1.log"));
  CHECK(!fs::exists(w.logs / "streamparse_wordcount_count-bolt_5_1240.log"));
}
