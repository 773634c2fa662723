// `topoc dump FILE`: decode a .stormtopology file (as written by the thrift
// backend) to readable, stable JSON on stdout. Exit 0 ok, 1 not a
// StormTopology, 2 unreadable file or usage error.
#include <iostream>
#include <string>

#include "backends/thrift/dump_file.h"
#include "cli/commands.h"

namespace topoc::cli {

void RegisterDump(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand(
      "dump", "Decode a .stormtopology file (Thrift binary StormTopology) to JSON");
  auto file = std::make_shared<std::string>();
  cmd->add_option("FILE", *file, "the .stormtopology file, e.g. _build/wordcount.stormtopology")
      ->required();
  cmd->callback([&exit_code, file] {
    exit_code = backends::thrift::DumpStormTopologyFile(*file, std::cout, std::cerr);
  });
}

}  // namespace topoc::cli
