// A topoc project on disk (the layout `topoc quickstart` makes):
//   config.json  topologies/*.topo  src/  virtualenvs/<topology>.txt
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace topoc::driver {

struct Project {
  std::filesystem::path root;                    // folder holding config.json
  // The folder of the .topo files: config.json's "topology_specs" (as in
  // streamparse, relative to the root), default topologies/.
  std::filesystem::path topologies_dir;
  // <topologies_dir>/*.topo, sorted; relative to the current folder when
  // under it (so diagnostics read topologies/x.topo), else absolute.
  std::vector<std::filesystem::path> topo_files;
  // Set when config.json cannot be read, is not JSON, or its
  // "topology_specs" is not a folder name: one line, "config.json:L:C: ...".
  // Commands refuse such a project (exit 1).
  std::string config_error;
  std::filesystem::path src_dir() const { return root / "src"; }
  std::filesystem::path logs_dir() const { return root / "logs"; }
};

// Walks up from `start` (a folder) to the first folder holding config.json
// or a topologies/ folder. Returns nullopt when none is found.
// config.json's "topology_specs" names the folder of the .topo files.
std::optional<Project> FindProject(const std::filesystem::path& start);

// Built-in stdlib directory (templates): $TOPOC_STDLIB, else the folder
// installed next to the binary (<prefix>/share/topoc/stdlib/topo), else the
// source tree's stdlib/topo.
std::filesystem::path BuiltinStdlibDir();

// The folder holding the streamparse Python runtime package, used by
// `topoc run` (PYTHONPATH) and `topoc submit` (the jar): $TOPOC_PYTHON_RUNTIME,
// else <prefix>/share/topoc/stdlib/python next to the installed binary, else
// the source tree's stdlib/python. Empty when the chosen folder holds no
// streamparse/ package.
std::filesystem::path BuiltinPythonRuntimeDir();

}  // namespace topoc::driver
