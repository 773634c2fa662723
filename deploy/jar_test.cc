#include "deploy/jar.h"

#include <algorithm>
#include <fstream>

#include <doctest/doctest.h>

#include "backends/storm_launch.h"
#include "support/process.h"
#include "support/temp_dir.h"

using namespace topoc::deploy;
using namespace topoc::support;
namespace fs = std::filesystem;

namespace {
void Write(const fs::path& p, const std::string& text) {
  fs::create_directories(p.parent_path());
  std::ofstream(p) << text;
}
bool Has(const std::vector<std::string>& v, const std::string& s) { return std::find(v.begin(), v.end(), s) != v.end(); }
}  // namespace

TEST_CASE("the jar holds src/, the runtime and the launchers, and nothing else") {
  TempDir tmp("topoc-jar-test");
  fs::path root = tmp.path() / "project";
  fs::path outside = tmp.path() / "outside";
  Write(root / "config.json", "{}");
  Write(root / "src/spouts/words.py", "class WordSpout: pass\n");
  Write(root / "src/bolts/__init__.py", "");
  Write(root / "src/bolts/__pycache__/x.cpython-311.pyc", "junk");
  Write(root / "src/bolts/old.pyc", "junk");
  Write(root / "src/.git/config", "secret");
  Write(root / "src/venv/pyvenv.cfg", "home = /usr\n");
  Write(root / "src/venv/lib/site.py", "");
  Write(root / "src/data/words.txt", "dog\ncat\n");
  Write(root / "virtualenvs/wordcount.txt", "requests\n");
  Write(outside / "secret.txt", "do not ship\n");
  fs::create_symlink(outside / "secret.txt", root / "src/leak.txt");
  fs::create_directory_symlink(outside, root / "src/leakdir");
  fs::create_symlink(root / "src/data/words.txt", root / "src/alias.txt");  // inside: kept
  fs::create_directory_symlink(root / "src", root / "src/data/loop");      // a cycle
  Write(tmp.path() / "runtime/streamparse/__init__.py", "# runtime\n");
  Write(tmp.path() / "runtime/streamparse/run.py", "def main(c): pass\n");
  Write(tmp.path() / "runtime/streamparse/__pycache__/run.pyc", "junk");

  JarInputs in;
  in.project_root = root;
  in.src_dir = root / "src";
  in.python_runtime_dir = tmp.path() / "runtime";
  in.python_classes = {"spouts.words.WordSpout", "bolts.wordcount.WordCounter"};
  JarReport report;
  std::string err;
  fs::path jar = tmp.path() / "_build/wordcount.jar";
  REQUIRE_MESSAGE(WriteJar(in, jar, &report, &err), err);

  std::vector<std::string> names;
  REQUIRE(ListZip(jar, &names, &err));
  CHECK(names == report.entries);
  CHECK(names.front() == "META-INF/MANIFEST.MF");
  CHECK(Has(names, "resources/spouts/words.py"));
  CHECK(Has(names, "resources/bolts/__init__.py"));
  CHECK(Has(names, "resources/data/words.txt"));
  CHECK(Has(names, "resources/alias.txt"));
  CHECK(Has(names, "resources/streamparse/__init__.py"));
  CHECK(Has(names, "resources/streamparse/run.py"));
  CHECK(Has(names, "resources/_topoc/spouts.words.WordSpout.py"));
  CHECK(Has(names, "resources/_topoc/bolts.wordcount.WordCounter.py"));
  for (const auto& n : names) {
    CHECK_MESSAGE(n.find("__pycache__") == std::string::npos, n);
    CHECK_MESSAGE(n.find(".pyc") == std::string::npos, n);
    CHECK_MESSAGE(n.find(".git") == std::string::npos, n);
    CHECK_MESSAGE(n.find("venv") == std::string::npos, n);
    CHECK_MESSAGE(n.find("leak") == std::string::npos, n);
    CHECK_MESSAGE(n.find("loop/loop") == std::string::npos, n);
  }
  CHECK(std::count_if(report.warnings.begin(), report.warnings.end(),
                      [](const std::string& w) { return w.find("outside the project") != std::string::npos; }) == 2);

  std::string launcher;
  REQUIRE(ReadZipEntry(jar, "resources/_topoc/spouts.words.WordSpout.py", &launcher, &err));
  CHECK(launcher.find("main(\"spouts.words.WordSpout\")") != std::string::npos);
  std::string words;
  REQUIRE(ReadZipEntry(jar, "resources/data/words.txt", &words, &err));
  CHECK(words == "dog\ncat\n");

  // The system unzip agrees (a real zip, not just readable by libzip).
  ProcessResult r = RunProcess({"unzip", "-l", jar.string()});
  REQUIRE(r.ok());
  CHECK(r.output.find("resources/spouts/words.py") != std::string::npos);

  // Same inputs, same bytes.
  fs::path jar2 = tmp.path() / "_build/again.jar";
  REQUIRE(WriteJar(in, jar2, nullptr, &err));
  std::ifstream a(jar, std::ios::binary), b(jar2, std::ios::binary);
  std::string sa((std::istreambuf_iterator<char>(a)), {}), sb((std::istreambuf_iterator<char>(b)), {});
  CHECK(sa == sb);
}

TEST_CASE("shell components of other than two strings get an executable wrapper that runs") {
  TempDir tmp("topoc-jar-shell-test");
  fs::path root = tmp.path() / "project";
  Write(root / "src/score.js", "// js\n");
  JarInputs in;
  in.project_root = root;
  in.src_dir = root / "src";
  in.shell_commands["fmt it"] = {"printf", "%s|", "a b", "it's", "$HOME"};
  in.shell_commands["two"] = {"node", "score.js"};  // runs as is: no wrapper
  JarReport report;
  std::string err;
  fs::path jar = tmp.path() / "t.jar";
  REQUIRE_MESSAGE(WriteJar(in, jar, &report, &err), err);

  std::string entry = "resources/" + topoc::backends::ShellWrapperPath("fmt it");
  std::vector<std::string> names;
  REQUIRE(ListZip(jar, &names, &err));
  CHECK(Has(names, entry));
  CHECK_FALSE(Has(names, "resources/" + topoc::backends::ShellWrapperPath("two")));
  CHECK(Has(names, "resources/score.js"));
  std::string text;
  REQUIRE(ReadZipEntry(jar, entry, &text, &err));
  CHECK(text == topoc::backends::ShellWrapperSource(in.shell_commands["fmt it"]));

  // External attributes: unix mode 0755 for the wrapper only (zipinfo view).
  ProcessResult info = RunProcess({"unzip", "-Z", jar.string(), entry});
  REQUIRE(info.ok());
  CHECK(info.output.find("-rwxr-xr-x") != std::string::npos);
  ProcessResult other = RunProcess({"unzip", "-Z", jar.string(), "resources/score.js"});
  REQUIRE(other.ok());
  CHECK(other.output.find("-rwxr-xr-x") == std::string::npos);

  // Extracted as Storm does, it runs from resources/ with /bin/sh, and is
  // executable on disk too.
  fs::path x = tmp.path() / "x";
  REQUIRE(RunProcess({"unzip", "-q", jar.string(), "-d", x.string()}).ok());
  fs::path script = x / entry;
  auto perms = fs::status(script).permissions();
  CHECK((perms & fs::perms::owner_exec) != fs::perms::none);
  ProcessResult run = RunProcess({"/bin/sh", "-c", "cd \"$1\" && /bin/sh \"$2\" extra", "sh",
                                  (x / "resources").string(), topoc::backends::ShellWrapperPath("fmt it")});
  REQUIRE(run.ok());
  CHECK(run.output == "a b|it's|$HOME|extra|");
}

TEST_CASE("project files keep their executable bit in the jar") {
  TempDir tmp("topoc-jar-mode-test");
  fs::path root = tmp.path() / "project";
  Write(root / "src/scorer", "#!/bin/sh\necho scored\n");
  Write(root / "src/data.txt", "plain\n");
  fs::permissions(root / "src/scorer", fs::perms::owner_all | fs::perms::group_read |
                                           fs::perms::group_exec | fs::perms::others_read |
                                           fs::perms::others_exec);
  JarInputs in;
  in.project_root = root;
  in.src_dir = root / "src";
  std::string err;
  fs::path jar = tmp.path() / "t.jar";
  REQUIRE_MESSAGE(WriteJar(in, jar, nullptr, &err), err);

  ProcessResult exe = RunProcess({"unzip", "-Z", jar.string(), "resources/scorer"});
  REQUIRE(exe.ok());
  CHECK(exe.output.find("-rwxr-xr-x") != std::string::npos);
  ProcessResult plain = RunProcess({"unzip", "-Z", jar.string(), "resources/data.txt"});
  REQUIRE(plain.ok());
  CHECK(plain.output.find("-rwxr-xr-x") == std::string::npos);

  // Extracted as a supervisor does, `./scorer` runs from resources/.
  fs::path x = tmp.path() / "x";
  REQUIRE(RunProcess({"unzip", "-q", jar.string(), "-d", x.string()}).ok());
  ProcessResult run = RunProcess({"/bin/sh", "-c", "cd \"$1\" && ./scorer", "sh", (x / "resources").string()});
  REQUIRE(run.ok());
  CHECK(run.output == "scored\n");
}

TEST_CASE("a runtime folder without streamparse is an error") {
  TempDir tmp("topoc-jar-test");
  JarInputs in;
  in.project_root = tmp.path();
  in.src_dir = tmp.path() / "src";
  in.python_runtime_dir = tmp.path();
  std::string err;
  CHECK_FALSE(WriteJar(in, tmp.path() / "x.jar", nullptr, &err));
  CHECK(err.find("no streamparse package") != std::string::npos);
}
