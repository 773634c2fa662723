#include "deploy/ssh.h"

#include <cstdlib>
#include <fstream>

#include <doctest/doctest.h>

#include "support/temp_dir.h"

using namespace topoc::deploy;
using namespace topoc::support;

TEST_CASE("ssh argv: batch mode, config file, port, user, then -- host") {
  SshSettings s;
  s.user = "storm";
  s.port = 2222;
  s.config_file = "/tmp/cfg";
  auto argv = SshArgv(s, "w1", "echo hi");
  std::vector<std::string> want = {"ssh", "-F", "/tmp/cfg", "-o", "BatchMode=yes", "-o", "ConnectTimeout=10",
                                   "-p", "2222", "-l", "storm", "--", "w1", "echo hi"};
  CHECK(argv == want);
}

TEST_CASE("the log scripts run under sh and match only the topology's files") {
  TempDir tmp("topoc-ssh-test");
  std::string dir = (tmp.path() / "log dir $x").string();
  std::filesystem::create_directories(dir);
  auto touch = [&](const std::string& name, const std::string& text) {
    RunProcess({"sh", "-c", "printf %s " + ShellQuote(text) + " > " + ShellQuote(dir + "/" + name)});
  };
  touch("streamparse_wordcount_spout_1_100.log", "hello from spout\nERROR boom\n");
  touch("streamparse_wordcount_bolt_2_101.log", "hello from bolt\n");
  touch("streamparse_other_bolt_3_102.log", "other topology\n");

  ProcessResult r = RunProcess({"sh", "-c", TailScript(dir, "wordcount", false, 10, "", "")});
  REQUIRE_MESSAGE(r.ok(), r.output);
  CHECK(r.output.find("hello from spout") != std::string::npos);
  CHECK(r.output.find("hello from bolt") != std::string::npos);
  CHECK(r.output.find("other topology") == std::string::npos);

  r = RunProcess({"sh", "-c", TailScript(dir, "wordcount", false, 10, "", "ERROR")});
  REQUIRE(r.ok());
  CHECK(r.output == "ERROR boom\n");

  r = RunProcess({"sh", "-c", TailScript(dir, "nope", false, 10, "", "")});
  CHECK(r.exit_code == 4);
  r = RunProcess({"sh", "-c", TailScript(dir + "/missing", "wordcount", false, 10, "", "")});
  CHECK(r.exit_code == 3);

  // --pattern (sparse's): an extended regex on the file names.
  r = RunProcess({"sh", "-c", TailScript(dir, "wordcount", false, 10, "_bolt_[0-9]+_", "")});
  REQUIRE_MESSAGE(r.ok(), r.output);
  CHECK(r.output == "hello from bolt\n");
  r = RunProcess({"sh", "-c", TailScript(dir, "wordcount", false, 10, "no-such-file", "")});
  CHECK(r.exit_code == 4);
  CHECK_MESSAGE(r.output.find("no log files streamparse_wordcount_*.log matching no-such-file in ") != std::string::npos,
                r.output);
  r = RunProcess({"sh", "-c", RemoveLogsScript(dir, "wordcount", "spout")});
  REQUIRE(r.ok());
  CHECK(r.output == "removed 1 files\n");
  CHECK(std::filesystem::exists(dir + "/streamparse_wordcount_bolt_2_101.log"));
  r = RunProcess({"sh", "-c", RemoveLogsScript(dir, "wordcount", "nothing-matches")});
  CHECK(r.output == "removed 0 files\n");

  r = RunProcess({"sh", "-c", RemoveLogsScript(dir, "wordcount", "")});
  REQUIRE(r.ok());
  CHECK(r.output == "removed 1 files\n");
  CHECK(std::filesystem::exists(dir + "/streamparse_other_bolt_3_102.log"));
  CHECK(!std::filesystem::exists(dir + "/streamparse_wordcount_bolt_2_101.log"));
}

TEST_CASE("RunOnWorkers: --pool-size bounds the ssh connections open at once") {
  // A fake `ssh` (first on PATH) that records how many run at the same time.
  TempDir tmp("topoc-pool-test");
  std::string dir = tmp.path().string();
  std::ofstream(tmp.path() / "ssh") << "#!/bin/sh\n"
                                        "d=" << ShellQuote(dir) << "\n"
                                        "mkdir \"$d/lock.$$\"\n"
                                        "n=$(ls -d \"$d\"/lock.* | wc -l)\n"
                                        "echo $n >> \"$d/counts\"\n"
                                        "sleep 0.3\n"
                                        "rmdir \"$d/lock.$$\"\n";
  std::filesystem::permissions(tmp.path() / "ssh", std::filesystem::perms::owner_all);
  std::string old_path = std::getenv("PATH");
  setenv("PATH", (dir + ":" + old_path).c_str(), 1);
  SshSettings s;
  s.pool_size = 2;
  std::vector<std::string> hosts = {"a", "b", "c", "d", "e"};
  auto results = RunOnWorkers(s, hosts, [](const std::string&) { return "true"; }, RunOptions());
  setenv("PATH", old_path.c_str(), 1);
  REQUIRE(results.size() == 5);
  for (size_t i = 0; i < hosts.size(); ++i) {
    CHECK(results[i].host == hosts[i]);
    CHECK(results[i].result.ok());
  }
  std::ifstream in(tmp.path() / "counts");
  int n, max = 0, lines = 0;
  while (in >> n) {
    max = std::max(max, n);
    ++lines;
  }
  CHECK(lines == 5);
  CHECK(max <= 2);
}
