// The files `topoc quickstart NAME` writes: a complete topoc project whose
// one topology, NAME, is the seed's wordcount (a WordSpout cycling words into
// a WordCounter). examples/wordcount is exactly the output for "wordcount";
// tests/quickstart checks that they never drift apart.
//
// Pure functions over strings: no file system access here (cmd_quickstart.cc
// writes the files), so tests can render a project in memory.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace topoc::cli {

// One file of the project: `path` is relative to the project folder and uses
// '/' separators; folders are implied by the paths.
struct QuickstartFile {
  std::string path;
  std::string contents;
};

// Why `name` cannot name a quickstart project, or nullopt when it can.
// A name must be a Storm topology name (non-empty, none of / . : \ —
// storm-facts §4) and a .topo identifier (a letter or '_', then letters,
// digits, '_' and '-'), since it names the folder, the topology and the
// virtualenv file. The message is a complete sentence fragment such as
// "it contains '.', which Storm refuses in topology names".
std::optional<std::string> InvalidProjectNameReason(std::string_view name);

// The project's files for a valid `name` (see InvalidProjectNameReason), in
// the order they are created and printed: top-level files first, then each
// folder's files, parents before children.
std::vector<QuickstartFile> RenderQuickstartFiles(std::string_view name);

}  // namespace topoc::cli
