#include "backends/thrift/dump_file.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>
#include <string>
#include <system_error>

#include "backends/thrift/storm_codec.h"

namespace topoc::backends::thrift {

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
    return 1;
  }
  out << StormTopologyToJsonText(topology);
  return 0;
}

}  // namespace topoc::backends::thrift
