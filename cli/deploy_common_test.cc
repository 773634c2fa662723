// cli/deploy_common.cc: finding config.json and the env, the --timeout it
// turns into Nimbus timeouts, and choosing the topology a cluster command
// acts on, each failure with its message and exit code.
#include "cli/cli_testing.h"
#include "cli/deploy_common.h"

namespace topoc::cli::testing {

namespace {

// A project: config.json with `envs` (JSON text) and the given topologies.
fs::path DeployProject(const fs::path& root, const std::string& envs, const std::vector<std::string>& topologies) {
  WriteFile(root / "config.json", "{\"envs\": " + envs + "}\n");
  for (const auto& t : topologies) WriteFile(root / "topologies" / (t + ".topo"), ShellTopology(t));
  fs::create_directories(root / "topologies");
  return root;
}

const char kTwoEnvs[] =
    R"({"prod": {"nimbus": "nimbus.example.com:6627", "workers": ["w1"], "use_virtualenv": false},
        "beta": {"nimbus": "beta.example.com", "use_virtualenv": false}})";

}  // namespace

TEST_CASE("LoadDeployContext: the project's config.json and the named env; --timeout sets both timeouts") {
  support::TempDir tmp("topoc-deploy-common-test");
  fs::path root = DeployProject(tmp.path() / "p", kTwoEnvs, {});
  fs::create_directories(root / "src/deep");
  ScopedCwd cwd(root / "src/deep");  // found walking up
  EnvArgs a;
  a.environment = "prod";
  a.timeout_secs = 2.5;
  DeployContext ctx;
  FdCapture err(STDERR_FILENO);
  REQUIRE(LoadDeployContext("list", a, &ctx) == 0);
  CHECK(err.Take().empty());
  CHECK(fs::equivalent(ctx.root, root));
  REQUIRE(ctx.env != nullptr);
  CHECK(ctx.env->name == "prod");
  CHECK(ctx.env->nimbus_host == "nimbus.example.com");
  CHECK(ctx.timeouts.io == std::chrono::milliseconds(2500));
  CHECK(ctx.timeouts.connect == std::chrono::milliseconds(2500));
  // Connecting never waits more than 10 s, however long the answers may take.
  a.timeout_secs = 600;
  REQUIRE(LoadDeployContext("list", a, &ctx) == 0);
  CHECK(ctx.timeouts.io == std::chrono::milliseconds(600000));
  CHECK(ctx.timeouts.connect == std::chrono::milliseconds(10000));
}

TEST_CASE("LoadDeployContext: no config.json is exit 2; a bad env or file is exit 1") {
  support::TempDir tmp("topoc-deploy-common-test");
  DeployContext ctx;
  EnvArgs a;
  {
    ScopedCwd cwd(tmp.path());
    FdCapture err(STDERR_FILENO);
    CHECK(LoadDeployContext("kill", a, &ctx) == 2);
    CHECK(err.Take() == "topoc kill: no config.json in this folder or above (run it inside a topoc project)\n");
  }
  {
    a.config_path = (tmp.path() / "missing.json").string();
    FdCapture err(STDERR_FILENO);
    CHECK(LoadDeployContext("kill", a, &ctx) == 2);
    CHECK(err.Take() == "topoc kill: --config " + a.config_path + ": no such file\n");
  }
  fs::path root = DeployProject(tmp.path() / "p", kTwoEnvs, {});
  ScopedCwd cwd(root);
  a.config_path.clear();
  {
    FdCapture err(STDERR_FILENO);
    CHECK(LoadDeployContext("list", a, &ctx) == 1);  // two envs, none named
    CHECK(err.Take() == "topoc list: error: " + (root / "config.json").string() +
                            ": several environments (prod, beta); choose one with --environment\n");
  }
  {
    a.environment = "prdo";
    FdCapture err(STDERR_FILENO);
    CHECK(LoadDeployContext("list", a, &ctx) == 1);
    std::string text = err.Take();
    CHECK(text.find(": unknown environment 'prdo' (known: ") != std::string::npos);
    CHECK(text.find("; did you mean 'prod'?\n") != std::string::npos);
  }
  {
    // --config names another file, read instead of the project's.
    WriteFile(tmp.path() / "other.json", "{\"envs\": {\"x\": {\"nimbus\": \"h:99999\", \"use_virtualenv\": false}}}");
    a.environment.clear();
    a.config_path = (tmp.path() / "other.json").string();
    FdCapture err(STDERR_FILENO);
    CHECK(LoadDeployContext("list", a, &ctx) == 1);
    CHECK(err.Take().find("bad port in \"h:99999\"") != std::string::npos);
  }
}

TEST_CASE("MergeNames: positional or --name, and both only when they agree") {
  std::string out;
  CHECK(MergeNames("kill", "wc", "", &out));
  CHECK(out == "wc");
  CHECK(MergeNames("kill", "", "wc", &out));
  CHECK(out == "wc");
  CHECK(MergeNames("kill", "wc", "wc", &out));
  FdCapture err(STDERR_FILENO);
  CHECK(!MergeNames("kill", "wc", "other", &out));
  CHECK(err.Take() == "topoc kill: error: two topology names ('wc' and --name 'other'); give one\n");
}

TEST_CASE("ChooseTopologyName: the given name, the project's only topology, or why not") {
  support::TempDir tmp("topoc-deploy-common-test");
  std::string out;
  CHECK(ChooseTopologyName("kill", "given", false, &out));
  CHECK(out == "given");

  fs::path one = DeployProject(tmp.path() / "one", kTwoEnvs, {"alpha"});
  {
    ScopedCwd cwd(one);
    CHECK(ChooseTopologyName("kill", "", false, &out));
    CHECK(out == "alpha");
  }
  fs::path two = DeployProject(tmp.path() / "two", kTwoEnvs, {"alpha", "beta"});
  {
    ScopedCwd cwd(two);
    FdCapture err(STDERR_FILENO);
    CHECK(!ChooseTopologyName("kill", "", false, &out));
    CHECK(err.Take() == "topoc kill: error: several topologies (alpha, beta); choose one with -n/--name\n");
    // Where every topology will do (tail, remove-logs): an empty name.
    out = "x";
    CHECK(ChooseTopologyName("tail", "", true, &out));
    CHECK(out.empty());
  }
  WriteFile(tmp.path() / "broken/topologies/b.topo", "topology b {\n");
  {
    ScopedCwd cwd(tmp.path() / "broken");
    FdCapture err(STDERR_FILENO);
    CHECK(!ChooseTopologyName("activate", "", false, &out));
    CHECK(err.Take() == "topoc activate: error: no topology named, and the project's topologies do not compile "
                        "(see topoc check); choose one with -n/--name\n");
  }
}

TEST_CASE("CompileProjectTopology: by name, the only one, or a message naming the project's") {
  support::TempDir tmp("topoc-deploy-common-test");
  fs::path two = DeployProject(tmp.path() / "two", kTwoEnvs, {"alpha", "beta"});
  {
    driver::Compilation c;
    const ir::Topology* t = CompileProjectTopology("submit", two, "beta", {}, c);
    REQUIRE(t != nullptr);
    CHECK(t->name == "beta");
    CHECK(t->components.size() == 2);
  }
  {
    driver::Compilation c;
    FdCapture err(STDERR_FILENO);
    CHECK(CompileProjectTopology("submit", two, "gamma", {}, c) == nullptr);
    CHECK(err.Take() == "topoc submit: error: no topology named 'gamma' (the project has: alpha, beta)\n");
  }
  {
    driver::Compilation c;
    FdCapture err(STDERR_FILENO);
    CHECK(CompileProjectTopology("jar", two, "", {}, c) == nullptr);
    CHECK(err.Take() == "topoc jar: error: several topologies (alpha, beta); choose one with --name\n");
  }
}

TEST_CASE("AddEnvOptions: --timeout and --pool-size must be positive; sparse's --pool_size is hidden") {
  for (const char* bad : {"--timeout=0", "--timeout=-3", "--pool-size=0"}) {
    CLI::App app;
    EnvArgs a;
    AddEnvOptions(&app, a, true);
    std::vector<std::string> args = {"x", bad};
    std::vector<char*> argv;
    for (auto& s : args) argv.push_back(s.data());
    CHECK_THROWS_AS(app.parse(static_cast<int>(argv.size()), argv.data()), CLI::ValidationError);
  }
  CLI::App app;
  EnvArgs a;
  AddEnvOptions(&app, a, true);
  app.parse("--env beta --pool_size 3 -v", false);
  CHECK(a.environment == "beta");
  CHECK(a.pool_size == 3);
  CHECK(a.verbose);
  CHECK(app.help().find("--pool_size") == std::string::npos);
  CHECK(app.help().find("--pool-size") != std::string::npos);
  CLI::App no_ssh;
  EnvArgs b;
  AddEnvOptions(&no_ssh, b, false);
  CHECK_THROWS_AS(no_ssh.parse("--pool-size 3", false), CLI::ExtrasError);
}

}  // namespace topoc::cli::testing
