#include "backends/storm_launch.h"

#include <doctest/doctest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <unistd.h>

namespace topoc::backends {
namespace {

// Writes the wrapper for argv into a temp file, runs it with /bin/sh plus
// `extra` (appended, already quoted), returns stdout.
std::string RunWrapper(const std::vector<std::string>& argv, const std::string& extra = "") {
  auto path = std::filesystem::temp_directory_path() /
              ("topoc_wrapper_test_" + std::to_string(::getpid()) + ".sh");
  {
    std::ofstream f(path, std::ios::binary);
    f << ShellWrapperSource(argv);
  }
  std::string cmd = "/bin/sh " + path.string() + " " + extra;
  std::string out;
  if (FILE* p = ::popen(cmd.c_str(), "r")) {
    char buf[256];
    size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
    ::pclose(p);
  }
  std::filesystem::remove(path);
  return out;
}

TEST_CASE("only argv of exactly two strings runs without a wrapper") {
  CHECK(NeedsShellWrapper({"./scorer"}));
  CHECK(NeedsShellWrapper({"node", "score.js", "--group", "0"}));
  CHECK(NeedsShellWrapper({}));
  CHECK_FALSE(NeedsShellWrapper({"node", "score.js"}));
}

TEST_CASE("plain ids keep their name; others are sanitised with a stable hash") {
  CHECK(ShellWrapperName("count-bolt_2") == "count-bolt_2");
  CHECK(ShellWrapperPath("count") == "_topoc/count.sh");
  std::string odd = ShellWrapperName("my bolt/../x");
  CHECK(odd.rfind("my_bolt____x-", 0) == 0);
  CHECK(odd.size() == std::string("my_bolt____x-").size() + 8);
  CHECK(odd == ShellWrapperName("my bolt/../x"));  // stable
  // Ids that sanitise alike still differ.
  CHECK(ShellWrapperName("a b") != ShellWrapperName("a/b"));
  CHECK(ShellWrapperName("a b") != ShellWrapperName("a_b"));
  // Leading dot, empty, newline, non-ASCII, very long.
  CHECK(ShellWrapperName(".hidden").rfind("_hidden-", 0) == 0);
  CHECK(ShellWrapperName("").size() == 9);
  CHECK(ShellWrapperName("").front() == '-');
  std::string longid(300, 'a');
  CHECK(ShellWrapperName(longid).size() == 64 + 9);
  CHECK(ShellWrapperName(longid) != ShellWrapperName(longid + "b"));
  std::set<std::string> names;
  for (std::string id : {"x", "x\n", "x\t", "x'", "x\"", "x$", "é", "x y", "x.y", "..", "/"}) {
    std::string n = ShellWrapperName(id);
    for (char ch : n) {
      bool ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
                ch == '_' || ch == '-';
      CHECK_MESSAGE(ok, "id '" << id << "' gave '" << n << "'");
    }
    CHECK(names.insert(n).second);
  }
}

TEST_CASE("the wrapper is exec of the quoted argv plus \"$@\"") {
  std::string src = ShellWrapperSource({"node", "score.js", "--group", "0"});
  CHECK(src.rfind("#!/bin/sh\n", 0) == 0);
  CHECK(src.find("\nexec 'node' 'score.js' '--group' '0' \"$@\"\n") != std::string::npos);
}

TEST_CASE("the wrapper runs its argv under /bin/sh, with awkward characters intact") {
  CHECK(RunWrapper({"printf", "%s|", "a b", "it's", "$HOME", "`x`", "\"q\"", "*"}) ==
        "a b|it's|$HOME|`x`|\"q\"|*|");
  // Extra arguments given to the wrapper are passed on.
  CHECK(RunWrapper({"printf", "[%s]"}, "one 'two three'") == "[one][two three]");
  CHECK(RunWrapper({"printf", "x\ny"}) == "x\ny");
}

TEST_CASE("LaunchFiles: a launcher per class, a 0755 wrapper per shell argv that needs one") {
  auto files = LaunchFiles({"a.B", "c.D"}, {{"two", {"node", "x.js"}}, {"one", {"./run"}}});
  REQUIRE(files.size() == 3);
  CHECK(files[0].path == "_topoc/a.B.py");
  CHECK(files[0].text == PythonLauncherSource("a.B"));
  CHECK_FALSE(files[0].executable);
  CHECK(files[1].path == PythonLauncherPath("c.D"));
  CHECK(files[2].path == ShellWrapperPath("one"));
  CHECK(files[2].text == ShellWrapperSource({"./run"}));
  CHECK(files[2].executable);
  CHECK(LaunchFiles({}, {{"two", {"node", "x.js"}}}).empty());
  CHECK(ResourcePath(files[2].path) == "resources/_topoc/one.sh");
}

}  // namespace
}  // namespace topoc::backends
