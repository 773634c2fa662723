// cli/cmd_import.cc in process, on a copy of the seed project of
// tests/import/seed: the .topo written where it belongs and equal to the
// expected one, config.json's unused keys named, existing files kept unless
// --force, and every refusal (exit 2) or bad input (exit 1), nothing written.
#include "cli/cli_testing.h"

namespace topoc::cli::testing {

namespace {

fs::path SeedDir() {
  const char* src = std::getenv("TOPOC_SOURCE_DIR");
  return fs::path(src ? src : TOPOC_TEST_SOURCE_DIR) / "tests" / "import" / "seed";
}

// A copy of the seed project, without the expected output.
fs::path SeedCopy(const fs::path& tmp) {
  fs::path root = tmp / "seed";
  fs::copy(SeedDir(), root, fs::copy_options::recursive);
  fs::remove_all(root / "expected");
  return root;
}

// The topology's lines: no comment lines (the expected file's header says
// where it comes from, the import's that it was imported), no blank ones.
std::string Body(const std::string& text) {
  std::istringstream in(text);
  std::string out;
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line.rfind("//", 0) != 0) out += line + "\n";
  }
  return out;
}

}  // namespace

TEST_CASE("import: the seed project's .clj becomes topologies/<stem>.topo; unused config keys are named") {
  support::TempDir tmp("topoc-import-test");
  fs::path root = SeedCopy(tmp.path());
  CliResult r = RunCli(RegisterImport, {"import", root.string()});
  REQUIRE_MESSAGE(r.exit_code == 0, r.err);
  CHECK(Body(ReadFile(root / "topologies/sentences.topo")) == Body(ReadFile(SeedDir() / "expected/sentences.topo")));
  CHECK(r.err.find(" -> ") != std::string::npos);
  CHECK(r.err.find("(topology sentences, ") != std::string::npos);
  CHECK(r.err.find("\"library\" is not used by topoc: Clojure libraries are not used") != std::string::npos);
  CHECK(r.err.find("\"topology_specs\" is not used by topoc") != std::string::npos);

  // Again: the same text, nothing to replace.
  CHECK(RunCli(RegisterImport, {"import", root.string()}).exit_code == 0);
  // A .topo edited since is kept unless --force.
  WriteFile(root / "topologies/sentences.topo", "// mine\n");
  CliResult kept = RunCli(RegisterImport, {"import", root.string()});
  CHECK(kept.exit_code == 2);
  CHECK(kept.err.find("exists and differs from the import; --force replaces it") != std::string::npos);
  CHECK(ReadFile(root / "topologies/sentences.topo") == "// mine\n");
  CHECK(RunCli(RegisterImport, {"import", root.string(), "--force"}).exit_code == 0);
  CHECK(Body(ReadFile(root / "topologies/sentences.topo")) == Body(ReadFile(SeedDir() / "expected/sentences.topo")));
}

TEST_CASE("import -o: the .topo goes to the folder named; a msgpack project gets the serializer") {
  support::TempDir tmp("topoc-import-test");
  fs::path root = SeedCopy(tmp.path());
  std::string cfg = ReadFile(root / "config.json");
  WriteFile(root / "config.json", "{\"serializer\": \"msgpack\"," + cfg.substr(cfg.find('{') + 1));
  CliResult r = RunCli(RegisterImport, {"import", (root / "topologies/sentences.clj").string(), "-o",
                                        (tmp.path() / "out").string()});
  REQUIRE_MESSAGE(r.exit_code == 0, r.err);
  std::string topo = ReadFile(tmp.path() / "out/sentences.topo");
  CHECK(topo.find("org.apache.storm.multilang.MsgpackSerializer") != std::string::npos);
  CHECK(!fs::exists(root / "topologies/sentences.topo"));
}

TEST_CASE("import: refusals (exit 2) and a broken .clj (exit 1), nothing written") {
  support::TempDir tmp("topoc-import-test");
  std::string nope = (tmp.path() / "nope.clj").string();
  CliResult missing = RunCli(RegisterImport, {"import", nope});
  CHECK(missing.exit_code == 2);
  CHECK(missing.err == "topoc import: '" + nope + "' does not exist\n");

  WriteFile(tmp.path() / "notes.txt", "x");
  CliResult kind = RunCli(RegisterImport, {"import", (tmp.path() / "notes.txt").string()});
  CHECK(kind.exit_code == 2);
  CHECK(kind.err ==
        "topoc import: '" + (tmp.path() / "notes.txt").string() + "' is neither a .clj nor a .py topology\n");

  WriteFile(tmp.path() / "two/wc.clj", "(ns wc)");
  WriteFile(tmp.path() / "two/wc.py", "x = 1\n");
  CliResult both = RunCli(RegisterImport, {"import", (tmp.path() / "two/wc.clj").string(),
                                           (tmp.path() / "two/wc.py").string()});
  CHECK(both.exit_code == 2);
  CHECK(both.err.find("would both be written to") != std::string::npos);

  fs::create_directories(tmp.path() / "empty/topologies");
  WriteFile(tmp.path() / "empty/config.json", "{}");
  CliResult none = RunCli(RegisterImport, {"import", (tmp.path() / "empty").string()});
  CHECK(none.exit_code == 2);
  CHECK(none.err.find("no .clj or .py topologies in") != std::string::npos);

  WriteFile(tmp.path() / "bad/broken.clj", "(ns broken)\n(defn broken [options]\n  [{\"s\" (python-spout-spec\n");
  CliResult broken = RunCli(RegisterImport, {"import", (tmp.path() / "bad/broken.clj").string()});
  CHECK(broken.exit_code == 1);
  CHECK(broken.err.find("broken.clj") != std::string::npos);
  CHECK(!fs::exists(tmp.path() / "bad/broken.topo"));
}

}  // namespace topoc::cli::testing
