// `topoc doctor --environment ENV` against the test Nimbus and a real sshd:
// a live cluster passes (getClusterInfo answered, the worker accepts SSH in
// BatchMode and says how it builds virtualenvs); a dead worker and a stopped
// Nimbus are reported as FAILED with exit 1, within the short timeout.
#include <chrono>
#include <cstdlib>
#include <fstream>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "tests/deploy/sshd_fixture.h"
#include "tests/deploy/test_nimbus.h"
#include "support/process.h"
#include "support/temp_dir.h"

using namespace topoc::deploy;
using namespace topoc::support;
using topoc::deploy::testing::SshdFixture;
using topoc::deploy::testing::TestNimbus;
namespace fs = std::filesystem;
using json = nlohmann::ordered_json;

namespace {

std::string Topoc() {
  const char* bin = std::getenv("TOPOC_BIN");
  return bin ? bin : "topoc";
}

const json* FindCheck(const json& doc, const std::string& name) {
  for (const json& c : doc["checks"]) {
    if (c["check"] == name) return &c;
  }
  return nullptr;
}

}  // namespace

TEST_CASE("topoc doctor -e: a live Nimbus and worker, then a dead worker and Nimbus") {
  TestNimbus nimbus;
  REQUIRE(nimbus.Start());
  SshdFixture sshd;
  std::string err;
  REQUIRE_MESSAGE(sshd.Start({"worker-a"}, {"worker-dead"}, &err), err);
  TempDir tmp{"topoc-doctor-env"};
  RunOptions q;
  q.cwd = tmp.path();
  ProcessResult r = RunProcess({Topoc(), "quickstart", "wc"}, q);
  REQUIRE_MESSAGE(r.ok(), r.output);
  fs::path root = tmp.path() / "wc";
  json cfg = {{"envs",
               {{"live",
                 {{"nimbus", "127.0.0.1:" + std::to_string(nimbus.port())},
                  {"workers", {"worker-a"}},
                  {"virtualenv_root", (tmp.path() / "venvs").string()}}},
                {"half",
                 {{"nimbus", "127.0.0.1:" + std::to_string(nimbus.port())},
                  {"workers", {"worker-a", "worker-dead"}},
                  {"virtualenv_root", (tmp.path() / "venvs").string()}}}}}};
  std::ofstream(root / "config.json") << cfg.dump(4);

  RunOptions o;
  o.cwd = root;
  o.timeout = std::chrono::seconds(60);
  o.env["TOPOC_SSH_CONFIG"] = sshd.client_config().string();
  o.env["TOPOC_PYTHON"] = "/usr/bin/python3";
  o.capture = true;

  r = RunProcess({Topoc(), "doctor", "-e", "live", "--format", "json", "--timeout", "3"}, o);
  json doc = json::parse(r.output.substr(r.output.find('{')), nullptr, false);
  REQUIRE_MESSAGE(!doc.is_discarded(), r.output);
  CHECK_MESSAGE(r.exit_code == 0, r.output);
  const json* n = FindCheck(doc, "nimbus 127.0.0.1:" + std::to_string(nimbus.port()));
  REQUIRE(n != nullptr);
  CHECK((*n)["ok"] == true);
  CHECK((*n)["detail"].get<std::string>().find("getClusterInfo answered") != std::string::npos);
  const json* w = FindCheck(doc, "ssh worker-a");
  REQUIRE(w != nullptr);
  CHECK_MESSAGE((*w)["ok"] == true, (*w)["detail"]);
  CHECK((*w)["detail"].get<std::string>().find("ssh ok; virtualenvs built with") != std::string::npos);

  // One dead worker: its row fails, the live one still passes; exit 1.
  auto start = std::chrono::steady_clock::now();
  r = RunProcess({Topoc(), "doctor", "-e", "half", "--timeout", "3"}, o);
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(30));
  CHECK_MESSAGE(r.exit_code == 1, r.output);
  CHECK(r.output.find("ssh worker-dead") != std::string::npos);
  CHECK(r.output.find("FAILED") != std::string::npos);
  CHECK(r.output.find("ssh could not connect or log in (BatchMode)") != std::string::npos);

  // Nimbus down.
  nimbus.Stop();
  r = RunProcess({Topoc(), "doctor", "-e", "live", "--timeout", "3"}, o);
  CHECK_MESSAGE(r.exit_code == 1, r.output);
  CHECK(r.output.find("connection refused (is Nimbus running there?)") != std::string::npos);
}
