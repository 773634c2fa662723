#include "config/config.h"

#include <doctest/doctest.h>

using namespace topoc::config;

namespace {
bool Parse(std::string_view text, DeployConfig* c, std::string* err) {
  return ParseDeployConfig(text, "config.json", c, err);
}
}  // namespace

TEST_CASE("the seed's config.json is read") {
  DeployConfig c;
  std::string err;
  REQUIRE_MESSAGE(Parse(R"({
    "library": "", "topology_specs": "topologies/", "virtualenv_specs": "virtualenvs/",
    "envs": {
      "prod": {
        "user": "storm",
        "nimbus": "storm1.my-cluster.com",
        "workers": ["storm1.my-cluster.com", "storm2.my-cluster.com"],
        "log": {"path": "/var/log/storm/streamparse", "max_bytes": 100000, "backup_count": 10, "level": "INFO"},
        "virtualenv_root": "/data/virtualenvs/",
        "options": {"topology.workers": 3}
      },
      "dev": {"nimbus": "localhost:7000", "use_virtualenv": false, "ssh_port": 2222,
              "virtualenv_flags": "--system-site-packages -p python3", "pip_flags": ["--no-index"]}
    }})", &c, &err), err);
  REQUIRE(c.envs.size() == 2);
  const EnvConfig& prod = c.envs[0];
  CHECK(prod.name == "prod");
  CHECK(prod.nimbus_host == "storm1.my-cluster.com");
  CHECK(prod.nimbus_port == 6627);
  CHECK(prod.workers.size() == 2);
  CHECK(prod.user == "storm");
  CHECK(!prod.ssh_port);
  CHECK(prod.log.path == "/var/log/storm/streamparse");
  CHECK(*prod.log.max_bytes == 100000);
  CHECK(*prod.log.backup_count == 10);
  CHECK(*prod.log.level == "info");
  CHECK(prod.options["topology.workers"] == 3);
  CHECK(prod.PythonInterpreter("wordcount") == "/data/virtualenvs/wordcount/bin/python");
  CHECK(c.virtualenv_specs == "virtualenvs");
  const EnvConfig& dev = c.envs[1];
  CHECK(dev.nimbus_host == "localhost");
  CHECK(dev.nimbus_port == 7000);
  CHECK(*dev.ssh_port == 2222);
  CHECK(dev.PythonInterpreter("wordcount") == "python3");
  CHECK(dev.virtualenv_flags == std::vector<std::string>{"--system-site-packages", "-p", "python3"});
  CHECK(dev.pip_flags == std::vector<std::string>{"--no-index"});
}

TEST_CASE("JSON syntax errors give file:line:col") {
  DeployConfig c;
  std::string err;
  CHECK_FALSE(Parse("{\n  \"envs\": {\n    \"prod\": {\"nimbus\": \"a\",}\n  }\n}\n", &c, &err));
  CHECK_MESSAGE(err.rfind("config.json:3:", 0) == 0, err);
  CHECK(err.find("invalid JSON") != std::string::npos);
}

TEST_CASE("wrong types, missing nimbus and bad values are named by path") {
  DeployConfig c;
  std::string err;
  CHECK_FALSE(Parse(R"({"envs": {"prod": {"workers": ["a"], "virtualenv_root": "/v"}}})", &c, &err));
  CHECK_MESSAGE(err == "config.json:1:19: envs.prod: missing \"nimbus\" (the Nimbus host, host[:port])", err);
  c = {};
  CHECK_FALSE(Parse(R"({"envs": {"prod": {"nimbus": "n", "workers": "a", "virtualenv_root": "/v"}}})", &c, &err));
  CHECK_MESSAGE(err == "config.json:1:46: envs.prod.workers: expected a list of host names, found a string", err);
  c = {};
  CHECK_FALSE(Parse(R"({"envs": {"prod": {"nimbus": "n:99999", "virtualenv_root": "/v"}}})", &c, &err));
  CHECK_MESSAGE(err.find("bad port") != std::string::npos, err);
  c = {};
  CHECK_FALSE(Parse(R"({"envs": {"prod": {"nimbus": "n", "workers": ["-oProxyCommand=x"], "virtualenv_root": "/v"}}})", &c, &err));
  CHECK_MESSAGE(err.find("envs.prod.workers[0]: bad host name") != std::string::npos, err);
  c = {};
  CHECK_FALSE(Parse(R"({"envs": {"prod": {"nimbus": "n", "virtualenv_root": "/v", "log": {"level": "loud"}}}})", &c, &err));
  CHECK_MESSAGE(err.find("envs.prod.log.level: unknown level \"loud\"") != std::string::npos, err);
  c = {};
  CHECK_FALSE(Parse(R"({"envs": {"prod": {"nimbus": "n", "ssh_port": "22", "virtualenv_root": "/v"}}})", &c, &err));
  CHECK_MESSAGE(err == "config.json:1:47: envs.prod.ssh_port: expected an integer, found a string", err);
  c = {};
  CHECK_FALSE(Parse(R"({"envs": {"prod": {"nimbus": "n"}}})", &c, &err));
  CHECK_MESSAGE(err.find("virtualenv_root") != std::string::npos, err);
  c = {};
  CHECK_FALSE(Parse(R"([1, 2])", &c, &err));
  CHECK(err.find("expected a JSON object") != std::string::npos);
  c = {};
  // Without "envs" the file still reads (`topoc run` needs none); asking it
  // for an env (`topoc submit`) says what is missing.
  REQUIRE(Parse(R"({"library": ""})", &c, &err));
  CHECK(SelectEnv(c, "", &err) == nullptr);
  CHECK(err.find("no \"envs\"") != std::string::npos);
  c = {};
  CHECK_FALSE(Parse(R"({"log": {"level": "loud"}, "envs": {}})", &c, &err));
  CHECK_MESSAGE(err.find("config.json:1:19: log.level: unknown level \"loud\"") != std::string::npos, err);
  c = {};
  REQUIRE(Parse(R"({"log": {"level": "WARNING", "max_bytes": 10}})", &c, &err));
  REQUIRE(c.log.has_value());
  CHECK(c.log->level == "warning");
  CHECK(c.log->max_bytes == 10);
}

TEST_CASE("SelectEnv: the only env, unknown env with did-you-mean, several envs") {
  DeployConfig c;
  std::string err;
  REQUIRE(Parse(R"({"envs": {"prod": {"nimbus": "n", "use_virtualenv": false},
                             "staging": {"nimbus": "m", "use_virtualenv": false}}})", &c, &err));
  CHECK(SelectEnv(c, "prod", &err) == &c.envs[0]);
  CHECK(SelectEnv(c, "", &err) == nullptr);
  CHECK_MESSAGE(err.find("several environments (prod, staging)") != std::string::npos, err);
  CHECK(SelectEnv(c, "prdo", &err) == nullptr);
  CHECK_MESSAGE(err == "config.json: unknown environment 'prdo' (known: prod, staging); did you mean 'prod'?", err);
  CHECK(SelectEnv(c, "qa", &err) == nullptr);
  CHECK(err.find("did you mean") == std::string::npos);
  c.envs.pop_back();
  CHECK(SelectEnv(c, "", &err) == &c.envs[0]);
}

TEST_CASE("LoadDeployConfig reports an unreadable file") {
  DeployConfig c;
  std::string err;
  CHECK_FALSE(LoadDeployConfig("/nonexistent/config.json", &c, &err));
  CHECK(err == "/nonexistent/config.json: cannot read the file");
}

TEST_CASE("every problem is reported in one run, each with line:column") {
  DeployConfig c;
  std::string err;
  CHECK_FALSE(Parse(R"({
  "topology_specs": 42,
  "virtualenv_specs": "",
  "envs": {
    "prod": {
      "nimbus": "n:0",
      "workers": ["a", 7],
      "ssh_port": 99999,
      "use_virtualenv": "yes",
      "log": {"level": "loud", "max_bytes": -1}
    }
  }
})", &c, &err));
  CHECK_MESSAGE(err.rfind("9 problems in config.json:\n", 0) == 0, err);
  for (const char* want : {"config.json:2:21: topology_specs: expected a string",
                           "config.json:3:23: virtualenv_specs: must not be empty",
                           "config.json:6:17: envs.prod.nimbus: bad port",
                           "config.json:7:24: envs.prod.workers[1]: expected a host name string",
                           "config.json:8:19: envs.prod.ssh_port: port 99999 is out of range",
                           "config.json:9:25: envs.prod.use_virtualenv: expected true or false",
                           "config.json:10:24: envs.prod.log.level: unknown level",
                           "config.json:10:45: envs.prod.log.max_bytes: must not be negative",
                           "config.json:5:13: envs.prod: missing \"virtualenv_root\""}) {
    CHECK_MESSAGE(err.find(want) != std::string::npos, want, "\n", err);
  }
}

TEST_CASE("topology_specs and virtualenv_specs are read as folders") {
  DeployConfig c;
  std::string err;
  REQUIRE_MESSAGE(Parse(R"({"topology_specs": "flows/", "virtualenv_specs": "reqs//"})", &c, &err), err);
  CHECK(c.topology_specs == "flows");
  CHECK(c.virtualenv_specs == "reqs");
  c = {};
  REQUIRE(Parse("{}", &c, &err));
  CHECK(c.topology_specs == "topologies");
  CHECK(c.virtualenv_specs == "virtualenvs");
}

TEST_CASE("a number too large for a double is an error, not a crash (found by fuzzing)") {
  DeployConfig c;
  std::string err;
  CHECK_FALSE(Parse(R"({"envs": {"prod": {"nimbus": "n", "ssh_port": 2e2222222211}}})", &c, &err));
  CHECK_MESSAGE(err.rfind("config.json: invalid JSON: number overflow", 0) == 0, err);
}
