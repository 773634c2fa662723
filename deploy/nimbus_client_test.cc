// NimbusClient against the test Nimbus: uploads in 307,200-byte chunks,
// every call, every Nimbus exception, and the transport faults.
#include <fstream>
#include <random>

#include <doctest/doctest.h>

#include "deploy/nimbus_client.h"
#include "deploy/ssh.h"
#include "support/temp_dir.h"
#include "tests/deploy/test_nimbus.h"

using namespace topoc::deploy;
using namespace topoc::support;
using topoc::deploy::testing::Fault;
using topoc::deploy::testing::TestNimbus;
namespace fs = std::filesystem;

namespace {

NimbusTimeouts Quick() {
  NimbusTimeouts t;
  t.connect = std::chrono::milliseconds(2000);
  t.io = std::chrono::milliseconds(2000);
  return t;
}

std::string RandomBytes(size_t n) {
  std::mt19937 rng(42);
  std::string s(n, '\0');
  for (auto& c : s) c = static_cast<char>(rng());
  return s;
}

topoc::storm::StormTopology OneSpout() {
  topoc::storm::StormTopology t;
  topoc::storm::SpoutSpec spout;
  topoc::storm::ShellComponent shell;
  shell.__set_execution_command("python3");
  shell.__set_script("_topoc/spouts.words.WordSpout.py");
  spout.spout_object.__set_shell(shell);
  spout.common.__set_parallelism_hint(2);
  topoc::storm::StreamInfo si;
  si.output_fields = {"word"};
  si.direct = false;
  spout.common.streams["default"] = si;
  t.spouts["word-spout"] = spout;
  return t;
}

struct Fixture {
  TestNimbus nimbus;
  NimbusClient client;
  TempDir tmp{"topoc-nimbus-test"};
  std::string err;
  Fixture() {
    REQUIRE(nimbus.Start());
    REQUIRE_MESSAGE(client.Connect("127.0.0.1", nimbus.port(), Quick(), &err), err);
  }
  fs::path Jar(size_t bytes) {
    fs::path p = tmp.path() / "t.jar";
    std::ofstream(p, std::ios::binary) << RandomBytes(bytes);
    return p;
  }
};

}  // namespace

TEST_CASE("upload in 307200-byte chunks, then submit, list, activate, rebalance, kill") {
  Fixture f;
  size_t size = 2 * kUploadChunkBytes + 1234;
  fs::path jar = f.Jar(size);
  std::string location;
  std::vector<uint64_t> progress;
  REQUIRE_MESSAGE(f.client.UploadJar(jar, &location, [&](uint64_t sent, uint64_t) { progress.push_back(sent); }, &f.err), f.err);
  CHECK(progress == std::vector<uint64_t>{kUploadChunkBytes, 2 * kUploadChunkBytes, size});
  auto calls = f.nimbus.calls();
  CHECK(std::count(calls.begin(), calls.end(), "uploadChunk") == 3);
  auto uploads = f.nimbus.finished_uploads();
  REQUIRE(uploads.count(location));
  CHECK(uploads[location] == RandomBytes(size));

  REQUIRE_MESSAGE(f.client.SubmitTopology("wordcount", location, "{\"topology.name\":\"wordcount\"}", OneSpout(), false, &f.err), f.err);
  auto sub = f.nimbus.submitted();
  REQUIRE(sub.size() == 1);
  CHECK(sub[0].initial_status == topoc::storm::TopologyInitialStatus::INACTIVE);
  CHECK(sub[0].topology.spouts.at("word-spout").spout_object.shell.script == "_topoc/spouts.words.WordSpout.py");

  topoc::storm::ClusterSummary cs;
  REQUIRE(f.client.GetClusterInfo(&cs, &f.err));
  REQUIRE(cs.topologies.size() == 1);
  CHECK(cs.topologies[0].status == "INACTIVE");
  CHECK(cs.topologies[0].num_executors == 2);
  std::string table = FormatTopologyTable(cs.topologies);
  CHECK_MESSAGE(table.find("NAME       STATUS    WORKERS  EXECUTORS  TASKS  UPTIME") == 0, table);
  CHECK(table.find("wordcount  INACTIVE        1          2      2  0s") != std::string::npos);

  REQUIRE(f.client.Activate("wordcount", &f.err));
  CHECK(f.nimbus.topologies()[0].status == "ACTIVE");
  REQUIRE(f.client.Deactivate("wordcount", &f.err));
  CHECK(f.nimbus.topologies()[0].status == "INACTIVE");
  REQUIRE(f.client.Rebalance("wordcount", 4, 5, &f.err));
  CHECK(f.nimbus.last_rebalance_options()->num_workers == 4);
  CHECK(f.nimbus.last_rebalance_options()->wait_secs == 5);
  CHECK(f.nimbus.topologies()[0].num_workers == 4);
  REQUIRE(f.client.KillTopology("wordcount", 0, &f.err));
  CHECK(f.nimbus.last_kill_options()->wait_secs == 0);
  CHECK(f.nimbus.topologies().empty());

  // Submitting the same name twice: Nimbus's AlreadyAliveException, verbatim.
  REQUIRE(f.client.UploadJar(jar, &location, {}, &f.err));
  REQUIRE(f.client.SubmitTopology("wordcount", location, "{}", OneSpout(), true, &f.err));
  CHECK_FALSE(f.client.SubmitTopology("wordcount", location, "{}", OneSpout(), true, &f.err));
  CHECK(f.err == "Nimbus refused submitTopologyWithOpts: AlreadyAliveException: Topology with name `wordcount` already exists on cluster");
  // The connection is still usable after a Nimbus exception.
  CHECK_FALSE(f.client.Activate("nope", &f.err));
  CHECK(f.err == "Nimbus refused activate: NotAliveException: nope is not alive");
}

TEST_CASE("each Nimbus exception gives one line with its message") {
  Fixture f;
  f.nimbus.AddTopology("wordcount");
  struct Case {
    Fault fault;
    const char* kind;
  } cases[] = {{Fault::kInvalidTopology, "InvalidTopologyException"},
               {Fault::kAuthorization, "AuthorizationException"},
               {Fault::kNotAlive, "NotAliveException"}};
  for (const auto& c : cases) {
    f.nimbus.SetFault("rebalance", c.fault);
    CHECK_FALSE(f.client.Rebalance("wordcount", 2, {}, &f.err));
    CHECK(f.err == std::string("Nimbus refused rebalance: ") + c.kind + ": test nimbus: rebalance refused");
  }
  f.nimbus.SetFault("killTopologyWithOpts", Fault::kAuthorization);
  CHECK_FALSE(f.client.KillTopology("wordcount", {}, &f.err));
  CHECK(f.err == "Nimbus refused killTopologyWithOpts: AuthorizationException: test nimbus: killTopologyWithOpts refused");
  f.nimbus.SetFault("submitTopologyWithOpts", Fault::kAlreadyAlive);
  CHECK_FALSE(f.client.SubmitTopology("x", "/nowhere", "{}", OneSpout(), true, &f.err));
  CHECK(f.err == "Nimbus refused submitTopologyWithOpts: AlreadyAliveException: test nimbus: submitTopologyWithOpts refused");
  f.nimbus.SetFault("beginFileUpload", Fault::kAuthorization);
  std::string loc;
  CHECK_FALSE(f.client.UploadJar(f.Jar(10), &loc, {}, &f.err));
  CHECK(f.err == "Nimbus refused beginFileUpload: AuthorizationException: test nimbus: beginFileUpload refused");
}

TEST_CASE("Nimbus down: connection refused") {
  int port = FreeLocalPort();
  NimbusClient c;
  std::string err;
  CHECK_FALSE(c.Connect("127.0.0.1", port, Quick(), &err));
  CHECK_MESSAGE(err == "cannot connect to Nimbus at 127.0.0.1:" + std::to_string(port) +
                           ": connection refused (is Nimbus running there?)", err);
  CHECK_FALSE(c.Activate("x", &err));
  CHECK(err == "not connected to Nimbus (activate)");
}

TEST_CASE("Nimbus closing the connection mid-upload") {
  Fixture f;
  f.nimbus.SetFault("uploadChunk", Fault::kCloseConnection, /*skip=*/1);
  std::string loc;
  CHECK_FALSE(f.client.UploadJar(f.Jar(3 * kUploadChunkBytes), &loc, {}, &f.err));
  CHECK_MESSAGE(f.err == "Nimbus at 127.0.0.1:" + std::to_string(f.nimbus.port()) +
                             " failed during uploadChunk (at 307200 of 921600 bytes): Nimbus closed the connection", f.err);
  CHECK(f.nimbus.finished_uploads().empty());
}

TEST_CASE("a slow Nimbus times out") {
  Fixture f;
  f.nimbus.set_slow_ms(5000);
  f.nimbus.SetFault("getClusterInfo", Fault::kSlow);
  NimbusClient c;
  NimbusTimeouts t = Quick();
  t.io = std::chrono::milliseconds(300);
  REQUIRE(c.Connect("127.0.0.1", f.nimbus.port(), t, &f.err));
  topoc::storm::ClusterSummary cs;
  auto start = std::chrono::steady_clock::now();
  CHECK_FALSE(c.GetClusterInfo(&cs, &f.err));
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(3));
  CHECK_MESSAGE(f.err.find("failed during getClusterInfo: no answer within 0.3 s") != std::string::npos, f.err);
}

TEST_CASE("a request frame over 1 MiB is refused before sending") {
  Fixture f;
  f.nimbus.AddTopology("other");
  std::string loc;
  REQUIRE(f.client.UploadJar(f.Jar(100), &loc, {}, &f.err));
  std::string conf = "{\"big\":\"" + std::string(1100000, 'x') + "\"}";
  CHECK_FALSE(f.client.SubmitTopology("big", loc, conf, OneSpout(), true, &f.err));
  CHECK_MESSAGE(f.err.find("submitTopologyWithOpts request is 1.05 MiB") == 0, f.err);
  CHECK(f.err.find("over Nimbus's 1.00 MiB frame limit") != std::string::npos);
  auto calls = f.nimbus.calls();
  CHECK(std::count(calls.begin(), calls.end(), "submitTopologyWithOpts") == 0);
  // Nothing was sent, so the connection still works.
  topoc::storm::ClusterSummary cs;
  REQUIRE(f.client.GetClusterInfo(&cs, &f.err));
  CHECK(cs.topologies.size() == 1);
}

TEST_CASE("WaitUntilGone waits for a killed topology to leave") {
  Fixture f;
  f.nimbus.AddTopology("wordcount");
  f.nimbus.set_kill_linger_ms(600);
  REQUIRE(f.client.KillTopology("wordcount", {}, &f.err));
  CHECK(f.nimbus.topologies().size() == 1);
  CHECK_FALSE(bool(f.nimbus.last_kill_options()->__isset.wait_secs));
  auto start = std::chrono::steady_clock::now();
  REQUIRE(f.client.WaitUntilGone("wordcount", std::chrono::seconds(5), &f.err));
  CHECK(std::chrono::steady_clock::now() - start >= std::chrono::milliseconds(400));
  CHECK(f.nimbus.topologies().empty());
}

TEST_CASE("FormatUptime") {
  CHECK(FormatUptime(5) == "5s");
  CHECK(FormatUptime(65) == "1m 5s");
  CHECK(FormatUptime(3 * 3600 + 120) == "3h 2m");
  CHECK(FormatUptime(2 * 86400 + 3600) == "2d 1h");
}
