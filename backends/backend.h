// The backend interface: each backend reads a checked ir::Program and writes
// files through an OutputSink. Backends are registered by hand in
// cli/cmd_build.cc; there is no static self-registration.
#pragma once

#include <map>
#include <memory>
#include <ostream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "backends/storm_version.h"
#include "compiler/diag/diagnostic.h"
#include "compiler/ir/ir.h"

namespace topoc::backends {

// Where generated files go. Paths are relative ("wordcount.clj").
class OutputSink {
 public:
  virtual ~OutputSink() = default;
  // Returns a stream for the file; valid until the next Open or the sink dies.
  virtual std::ostream& Open(std::string_view relative_path) = 0;
};

// Keeps files in memory (tests, and `topoc build` writes them out only when
// no backend reported an error).
class MemorySink : public OutputSink {
 public:
  std::ostream& Open(std::string_view relative_path) override {
    auto& s = files_[std::string(relative_path)];
    s = std::make_unique<std::ostringstream>();
    return *s;
  }
  // Sorted by path.
  std::map<std::string, std::string> Files() const {
    std::map<std::string, std::string> out;
    for (const auto& [path, s] : files_) out[path] = s->str();
    return out;
  }

 private:
  std::map<std::string, std::unique_ptr<std::ostringstream>> files_;
};

struct BackendOptions {
  StormVersion storm_version = kDefaultStormVersion;
  // Only this topology (empty: every topology of the program).
  std::string topology_name;
  // Python interpreter that Storm starts for python components (the
  // ShellComponent execution_command). On a cluster: the virtualenv's python.
  std::string python_interpreter = "python3";
  // --opt key=value pairs, for backend-specific options; a backend reports
  // an unknown key as a diagnostic.
  std::map<std::string, std::string> extra;
};

class Backend {
 public:
  virtual ~Backend() = default;
  virtual std::string_view Name() const = 0;         // "clojure"
  virtual std::string_view Description() const = 0;
  // Returns false (with diagnostics) on failure.
  virtual bool Generate(const ir::Program& program, const BackendOptions& options,
                        OutputSink& out, DiagnosticEngine& diags) const = 0;
};

}  // namespace topoc::backends
