#include "runtime/task_process.h"

#include <doctest/doctest.h>
#include <poll.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <sstream>

namespace topoc::runtime {

namespace {

namespace fs = std::filesystem;

double Clock() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

// Reads messages until `count` arrived or the pipe closed (5 s at most).
std::vector<std::string> Receive(TaskProcess* p, size_t count, bool* eof) {
  std::vector<std::string> got;
  *eof = false;
  double until = Clock() + 5;
  while (got.size() < count && !*eof && Clock() < until) {
    pollfd fd{p->child().stdout_fd, POLLIN, 0};
    if (poll(&fd, 1, 100) <= 0) continue;
    p->ReadStdout(Clock(), eof);
    std::string_view m;
    std::string error;
    while (p->reader().Next(&m, &error) == MessageReader::Status::kMessage) got.emplace_back(m);
    p->reader().Compact(&error);
  }
  return got;
}

std::string ReadFile(const fs::path& p) {
  std::ifstream f(p);
  std::stringstream s;
  s << f.rdbuf();
  return s.str();
}

fs::path TempDir() {
  char tmpl[] = "/tmp/topoc_task_process_XXXXXX";
  return fs::path(mkdtemp(tmpl));
}

}  // namespace

TEST_CASE("task process: what is sent reaches the child, what it writes comes back as messages") {
  size_t buffered = 0;
  TaskProcess p(3, "echoer", false, &buffered, stderr, false);
  support::SpawnSpec spec;
  spec.argv = {"sh", "-c", "while IFS= read -r l; do echo \"$l\"; done"};
  std::string error;
  REQUIRE(p.Start(spec, 1.0, &error));
  CHECK(p.state() == TaskProcess::State::kHandshake);
  uint64_t gen = p.generation();
  p.Send("{\"a\":1}\nend\n");
  p.Append([](std::string* out) { out->append("[2]\nend\n"); });
  CHECK(buffered == 20);
  CHECK(p.HasOutput());
  REQUIRE(p.Flush(&error));
  CHECK(buffered == 0);
  CHECK(!p.HasOutput());
  bool eof;
  auto got = Receive(&p, 2, &eof);
  REQUIRE(got.size() == 2);
  CHECK(got[0] == "{\"a\":1}");
  CHECK(got[1] == "[2]");
  CHECK(p.last_heard() > 1.0);
  p.CloseStdin();  // the loop ends: EOF on its stdout
  got = Receive(&p, 1, &eof);
  CHECK(eof);
  CHECK(p.reader().EofReason() == "process exited");
  std::string text = p.Kill("process exited");
  CHECK(text.find("component 'echoer' task 3 (pid ") == 0);
  CHECK(text.find("exit code 0") != std::string::npos);
  p.Reset();
  CHECK(p.state() == TaskProcess::State::kDown);
  CHECK(p.generation() > gen);
}

TEST_CASE("task process: death report carries the last stderr lines; the log keeps them across restarts") {
  fs::path dir = TempDir();
  size_t buffered = 0;
  TaskProcess p(4, "crasher", false, &buffered, stderr, false);
  p.OpenLog(dir / "t.log");
  support::SpawnSpec spec;
  spec.argv = {"sh", "-c", "echo first >&2; echo 'Traceback: boom' >&2; printf partial >&2; exit 3"};
  std::string error;
  REQUIRE(p.Start(spec, 0, &error));
  p.Send("queued but never read\nend\n");
  CHECK(buffered > 0);
  bool eof;
  Receive(&p, 1, &eof);
  CHECK(eof);
  std::string text = p.Kill("process exited");
  CHECK(text.find("[exit code 3]") != std::string::npos);
  CHECK(text.find("last lines of its stderr:\n    | first\n    | Traceback: boom\n    | partial") !=
        std::string::npos);
  p.Note(text);
  p.Reset();
  CHECK(buffered == 0);  // dropped with the process
  REQUIRE(p.Start(spec, 1, &error));
  p.ShellLog("WARN", "hello");
  Receive(&p, 1, &eof);
  p.Stop();
  std::string log = ReadFile(dir / "t.log");
  CHECK(log.find("---- topoc: started task 4 of 'crasher'") != std::string::npos);
  CHECK(log.find("first\nTraceback: boom\n") != std::string::npos);
  CHECK(log.find("---- topoc: component 'crasher' task 4") != std::string::npos);
  CHECK(log.find("ShellLog WARN task 4: hello") != std::string::npos);
  fs::remove_all(dir);
}

TEST_CASE("task process: a program that does not exist fails to start with a reason") {
  size_t buffered = 0;
  TaskProcess p(1, "ghost", false, &buffered, stderr, false);
  support::SpawnSpec spec;
  spec.argv = {"/nonexistent/topoc-no-such-program"};
  std::string error;
  CHECK(!p.Start(spec, 0, &error));
  CHECK(!error.empty());
  CHECK(p.state() == TaskProcess::State::kDown);
}

TEST_CASE("task process: a MessagePack task gets MessagePack and its replies read as JSON") {
  size_t buffered = 0;
  TaskProcess p(2, "mp", true, &buffered, stderr, false);
  support::SpawnSpec spec;
  spec.argv = {"cat"};
  std::string error;
  REQUIRE(p.Start(spec, 0, &error));
  p.Send("{\"command\":\"next\",\"id\":\"\"}\nend\n");
  REQUIRE(p.Flush(&error));
  CHECK(buffered == 0);
  bool eof;
  auto got = Receive(&p, 1, &eof);
  REQUIRE(got.size() == 1);
  CHECK(got[0] == "{\"command\":\"next\",\"id\":\"\"}");
  // Tuples are counted on the transcoded bytes too.
  p.Append([](std::string* out) { AppendTuple(out, 1, "\"s\"", "\"default\"", 3, "[\"x\"]"); }, true);
  CHECK(p.queued_tuples() == 1);
  REQUIRE(p.Flush(&error));
  CHECK(p.queued_tuples() == 0);
  got = Receive(&p, 1, &eof);
  REQUIRE(got.size() == 1);
  CHECK(got[0] == "{\"id\":\"1\",\"comp\":\"s\",\"stream\":\"default\",\"task\":3,\"tuple\":[\"x\"]}");
  p.Send("{not json}\nend\n");
  CHECK(!p.Flush(&error));
  CHECK(error.find("MessagePack") != std::string::npos);
  p.Stop();
}

}  // namespace topoc::runtime

namespace topoc::runtime {

TEST_CASE("task process: tuples count as queued until the pipe takes them") {
  size_t buffered = 0;
  TaskProcess p(5, "slow", false, &buffered, stderr, false);
  support::SpawnSpec spec;
  spec.argv = {"sh", "-c", "sleep 1; cat >/dev/null"};
  std::string error;
  REQUIRE(p.Start(spec, 0, &error));
  std::string payload(1000, 'x');
  for (int i = 0; i < 200; ++i) {
    p.Append([&](std::string* out) { AppendTuple(out, static_cast<uint64_t>(i), "\"s\"", "\"default\"", 1,
                                                 "[\"" + payload + "\"]"); },
             true);
  }
  p.Send("[1]\nend\n");  // not a tuple
  CHECK(p.queued_tuples() == 200);
  REQUIRE(p.Flush(&error));
  // The pipe (64 KiB here) took some, not 200 KB of them.
  size_t after_first = p.queued_tuples();
  CHECK(after_first > 0);
  CHECK(after_first < 200);
  double until = Clock() + 5;
  while (p.HasOutput() && Clock() < until) {
    REQUIRE(p.Flush(&error));
    usleep(10000);
  }
  CHECK(p.queued_tuples() == 0);
  CHECK(buffered == 0);
  p.Stop();
}

}  // namespace topoc::runtime
