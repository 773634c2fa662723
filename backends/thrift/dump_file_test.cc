// DumpStormTopologyFile: exit codes and messages for good, bad and missing files.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <unistd.h>

#include "backends/thrift/dump_file.h"
#include "backends/thrift/storm_codec.h"

namespace {

namespace fs = std::filesystem;
using topoc::backends::thrift::DumpStormTopologyFile;

struct TempDir {
  fs::path path;
  TempDir() {
    path = fs::temp_directory_path() / ("topoc-dump-test-" + std::to_string(::getpid()));
    fs::create_directories(path);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  fs::path Write(const std::string& name, const std::string& bytes) const {
    fs::path p = path / name;
    std::ofstream(p, std::ios::binary) << bytes;
    return p;
  }
};

topoc::storm::StormTopology DumpSample() {
  topoc::storm::StormTopology t;
  topoc::storm::SpoutSpec spout;
  topoc::storm::ShellComponent shell;
  shell.__set_execution_command("python3");
  shell.__set_script("_topoc/a.B.py");
  spout.spout_object.__set_shell(shell);
  spout.common.__set_json_conf("{}");
  t.spouts["s"] = spout;
  return t;
}

}  // namespace

TEST_CASE("dump prints the JSON view of a valid file") {
  TempDir dir;
  auto file = dir.Write("t.stormtopology",
                        topoc::backends::thrift::EncodeStormTopology(DumpSample()));
  std::ostringstream out, err;
  CHECK(DumpStormTopologyFile(file, out, err) == 0);
  CHECK(err.str().empty());
  CHECK(out.str() == topoc::backends::thrift::StormTopologyToJsonText(DumpSample()));
  CHECK(out.str().find("\"script\": \"_topoc/a.B.py\"") != std::string::npos);
}

TEST_CASE("dump of garbage, truncated and empty files exits 1 with one line") {
  TempDir dir;
  std::string good = topoc::backends::thrift::EncodeStormTopology(DumpSample());
  for (const auto& [name, bytes] :
       {std::pair<std::string, std::string>{"garbage", "PK\x03\x04 this is a zip?"},
        {"truncated", good.substr(0, good.size() / 2)},
        {"empty", ""}}) {
    auto file = dir.Write(name, bytes);
    std::ostringstream out, err;
    CHECK(DumpStormTopologyFile(file, out, err) == 1);
    CHECK(out.str().empty());
    CHECK(err.str().find("is not a Storm topology file") != std::string::npos);
    CHECK(err.str().find(name) != std::string::npos);
    CHECK(err.str().back() == '\n');
  }
}

TEST_CASE("dump of a missing file or a directory exits 2") {
  TempDir dir;
  std::ostringstream out, err;
  CHECK(DumpStormTopologyFile(dir.path / "nope.stormtopology", out, err) == 2);
  CHECK(err.str().find("cannot read") != std::string::npos);
  std::ostringstream out2, err2;
  CHECK(DumpStormTopologyFile(dir.path, out2, err2) == 2);
  CHECK(err2.str().find("is a directory") != std::string::npos);
}

TEST_CASE("dump names what a wrong file looks like") {
  TempDir dir;
  struct Case {
    std::string name, bytes, hint;
  };
  for (const Case& c : {Case{"a.jar", std::string("PK\x03\x04rest", 8), "zip or jar"},
                        Case{"a.json", "  {\"spouts\": {}}", "looks like JSON"},
                        Case{"a.topo", "// x\ntopology t {}", ".topo source"}}) {
    std::ostringstream out, err;
    CHECK(DumpStormTopologyFile(dir.Write(c.name, c.bytes), out, err) == 1);
    CHECK(err.str().find(c.hint) != std::string::npos);
  }
  std::ostringstream out, err;
  CHECK(DumpStormTopologyFile(dir.Write("x.bin", std::string("\x01\x02", 2)), out, err) == 1);
  CHECK(err.str().find("note:") == std::string::npos);
}
