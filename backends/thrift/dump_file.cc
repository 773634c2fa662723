#include "backends/thrift/dump_file.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>
#include <string>
#include <string_view>
#include <system_error>

#include "backends/thrift/storm_codec.h"

namespace topoc::backends::thrift {

namespace {

// A hint for files people commonly pass by mistake; empty when unsure.
std::string_view GuessKind(std::string_view bytes) {
  if (bytes.substr(0, 4) == std::string_view("PK\x03\x04", 4)) {
    return "it looks like a zip or jar (the topology jar?); pass <topology>.stormtopology";
  }
  size_t i = bytes.find_first_not_of(" \t\r\n");
  if (i != std::string_view::npos && (bytes[i] == '{' || bytes[i] == '[')) {
    return "it looks like JSON (a dump?); `topoc dump` reads the binary file";
  }
  if (bytes.find("topology ") != std::string_view::npos) {
    return "it looks like .topo source; build it first: topoc build --target thrift";
  }
  return {};
}

}  // namespace

int DumpStormTopologyFile(const std::filesystem::path& path, std::ostream& out,
                          std::ostream& err) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    err << "topoc dump: cannot read '" << path.string() << "': is a directory\n";
    return 2;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    err << "topoc dump: cannot read '" << path.string() << "': " << std::strerror(errno) << "\n";
    return 2;
  }
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) {
    err << "topoc dump: cannot read '" << path.string() << "': read error\n";
    return 2;
  }
  topoc::storm::StormTopology topology;
  std::string error;
  if (!DecodeStormTopology(bytes, &topology, &error)) {
    err << "topoc dump: '" << path.string() << "' is not a Storm topology file "
        << "(a TBinaryProtocol StormTopology, as written by `topoc build --target thrift`): "
        << error << "\n";
    std::string_view hint = GuessKind(bytes);
    if (!hint.empty()) err << "topoc dump: note: " << hint << "\n";
    return 1;
  }
  out << StormTopologyToJsonText(topology);
  return 0;
}

}  // namespace topoc::backends::thrift
