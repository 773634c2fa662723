// The topology jar that `topoc submit` uploads to Nimbus. Storm's
// supervisors extract its resources/ folder and run shell components there
// (storm-facts.md §1.4), so the jar holds META-INF/MANIFEST.MF and
// resources/ laid out as backends/storm_launch.h describes: the project's
// src/ tree, the streamparse runtime, the python launchers and the shell
// wrappers.
// Never included: anything whose real path is outside the project (a
// symlink pointing out is skipped with a warning), .git/.hg/.svn,
// __pycache__ and *.pyc, and virtualenvs (folders holding pyvenv.cfg).
// Entries are sorted and carry a fixed timestamp, so the same inputs give
// the same bytes.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <variant>
#include <vector>

namespace topoc::deploy {

struct JarInputs {
  std::filesystem::path project_root;  // symlinks may not leave this folder
  std::filesystem::path src_dir;       // copied to resources/ (may be missing)
  // Folder holding the `streamparse` package (stdlib/python); empty: none.
  std::filesystem::path python_runtime_dir;
  std::vector<std::string> python_classes;  // "spouts.words.WordSpout"
  // Shell components: component id -> argv. Only those with
  // backends::NeedsShellWrapper(argv) get a wrapper; others need nothing.
  std::map<std::string, std::vector<std::string>> shell_commands;
};

struct JarReport {
  std::vector<std::string> entries;   // every file entry, in order
  std::vector<std::string> warnings;  // skipped symlinks and the like
  uint64_t bytes = 0;                 // size of the written jar
};

// Every entry of the jar before it is written: name -> the file on disk
// that holds its bytes, or the bytes themselves (generated text).
struct JarContents {
  std::map<std::string, std::variant<std::filesystem::path, std::string>> entries;
  std::set<std::string> executable;  // entries written with mode 0755
};

// Gathers the entries above (the walk of src/ and the runtime, the
// launchers and wrappers); warnings go to `report`. False with `error` when
// the project or runtime folder cannot be read. `topoc build -t clojure`
// uses it to lay out the same resources/ for `lein jar`.
bool CollectJarContents(const JarInputs& inputs, JarContents* contents, JarReport* report,
                        std::string* error);

// Writes the jar (a zip made with libzip) to `out`. Returns false with
// `error` on I/O failure.
bool WriteJar(const JarInputs& inputs, const std::filesystem::path& out, JarReport* report, std::string* error);

// Names of the files in a zip (for tests and `-v`); false with `error` when
// it cannot be read.
bool ListZip(const std::filesystem::path& zip, std::vector<std::string>* names, std::string* error);
// One entry's bytes.
bool ReadZipEntry(const std::filesystem::path& zip, const std::string& name, std::string* data, std::string* error);

}  // namespace topoc::deploy
