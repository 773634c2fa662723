// `topoc dump FILE`: a .stormtopology file (TBinaryProtocol StormTopology)
// to the stable JSON view of storm_codec.h. The CLI subcommand is a thin
// wrapper (cli/cmd_dump.cc) so that this is testable without the binary.
#pragma once

#include <filesystem>
#include <ostream>

namespace topoc::backends::thrift {

// Reads `path` and writes its JSON view to `out`. Returns the exit code:
//   0  decoded and printed;
//   1  the file was read but is not a StormTopology (garbage, truncated,
//      trailing bytes, missing required fields): one line on `err` naming
//      the file and the reason, nothing on `out`;
//   2  the file cannot be read (missing, a directory, permissions).
// Never throws on bad input.
int DumpStormTopologyFile(const std::filesystem::path& path, std::ostream& out,
                          std::ostream& err);

}  // namespace topoc::backends::thrift
