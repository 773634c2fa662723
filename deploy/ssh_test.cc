#include "deploy/ssh.h"

#include <doctest/doctest.h>

using namespace topoc::deploy;

TEST_CASE("ShellQuote survives sh for hostile strings") {
  for (std::string s : {"plain", "", "it's", "$(touch /tmp/pwned)", "`id`", "a b\tc\nd", "'\"\\$x'", "-rf"}) {
    ProcessResult r = RunProcess({"sh", "-c", "printf %s " + ShellQuote(s)});
    REQUIRE(r.ok());
    CHECK(r.output == s);
  }
}

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

  ProcessResult r = RunProcess({"sh", "-c", TailScript(dir, "wordcount", false, 10, "")});
  REQUIRE_MESSAGE(r.ok(), r.output);
  CHECK(r.output.find("hello from spout") != std::string::npos);
  CHECK(r.output.find("hello from bolt") != std::string::npos);
  CHECK(r.output.find("other topology") == std::string::npos);

  r = RunProcess({"sh", "-c", TailScript(dir, "wordcount", false, 10, "ERROR")});
  REQUIRE(r.ok());
  CHECK(r.output == "ERROR boom\n");

  r = RunProcess({"sh", "-c", TailScript(dir, "nope", false, 10, "")});
  CHECK(r.exit_code == 4);
  r = RunProcess({"sh", "-c", TailScript(dir + "/missing", "wordcount", false, 10, "")});
  CHECK(r.exit_code == 3);

  r = RunProcess({"sh", "-c", RemoveLogsScript(dir, "wordcount")});
  REQUIRE(r.ok());
  CHECK(r.output == "removed 2 files\n");
  CHECK(std::filesystem::exists(dir + "/streamparse_other_bolt_3_102.log"));
  CHECK(!std::filesystem::exists(dir + "/streamparse_wordcount_bolt_2_101.log"));
}

TEST_CASE("RunProcess: exit codes, stdin, timeouts, missing programs") {
  ProcessResult r = RunProcess({"sh", "-c", "cat; exit 3"}, [] { RunOptions o; o.stdin_data = "abc"; return o; }());
  CHECK(r.exit_code == 3);
  CHECK(r.output == "abc");
  RunOptions slow;
  slow.timeout = std::chrono::milliseconds(200);
  r = RunProcess({"sleep", "5"}, slow);
  CHECK(r.timed_out);
  r = RunProcess({"/nonexistent/program"});
  CHECK_FALSE(r.started);
  CHECK(r.error.find("No such file") != std::string::npos);
}
