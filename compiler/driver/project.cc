#include "compiler/driver/project.h"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <system_error>

#include <nlohmann/json.hpp>

#include <unistd.h>

namespace topoc::driver {

namespace fs = std::filesystem;

namespace {

// A file under the current folder, named relative to it (how diagnostics
// show a project's topologies: `topologies/x.topo:3:5`, like a compiler's
// output); others in full.
fs::path ShownPath(const fs::path& path) {
  std::error_code ec;
  fs::path cwd = fs::current_path(ec);
  if (ec) return path;
  fs::path rel = path.lexically_relative(cwd);
  if (rel.empty() || *rel.begin() == "..") return path;
  return rel;
}

// config.json's "topology_specs" (default "topologies"); sets `error` when
// the file cannot be read or parsed, or the value is not a folder name.
std::string TopologySpecs(const fs::path& config, std::string* error) {
  std::error_code ec;
  if (!fs::exists(config, ec)) return "topologies";
  std::ifstream in(config, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  if (!in) {
    *error = config.string() + ": cannot read the file";
    return "topologies";
  }
  std::string s = text.str();
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(s);
  } catch (const nlohmann::json::parse_error& e) {
    // e.byte: the 1-based offset of the offending byte.
    // nlohmann reports a byte offset only; turn it into line:col like a
    // compiler's message, so editors can jump to it.
    size_t at = std::min<size_t>(e.byte == 0 ? 0 : e.byte - 1, s.size());
    size_t line = 1 + std::count(s.begin(), s.begin() + at, '\n');
    size_t nl = at == 0 ? std::string::npos : s.rfind('\n', at - 1);
    size_t col = nl == std::string::npos ? at + 1 : at - nl;
    std::string what = e.what();
    auto p = what.find("syntax error");
    *error = config.string() + ":" + std::to_string(line) + ":" + std::to_string(col) + ": invalid JSON" +
             (p == std::string::npos ? std::string() : ": " + what.substr(p));
    return "topologies";
  } catch (const nlohmann::json::exception& e) {  // e.g. a number too large for a double
    *error = config.string() + ": invalid JSON: " + e.what();
    return "topologies";
  }
  if (!j.is_object()) return "topologies";  // the deploy reader says what is wrong
  auto it = j.find("topology_specs");
  if (it == j.end() || it->is_null()) return "topologies";
  std::string v = it->is_string() ? it->get<std::string>() : std::string();
  // "specs/" and "specs" name one folder; "/" alone is kept.
  while (v.size() > 1 && v.back() == '/') v.pop_back();
  if (v.empty()) {
    // Where: the key's line and column.
    size_t at = std::min(s.find("\"topology_specs\""), s.size());
    size_t line = 1 + std::count(s.begin(), s.begin() + at, '\n');
    size_t col = at - (s.rfind('\n', at) == std::string::npos ? size_t(-1) : s.rfind('\n', at));
    *error = config.string() + ":" + std::to_string(line) + ":" + std::to_string(col) +
             ": topology_specs: expected a string (a folder relative to the project), found " +
             (it->is_string() ? "an empty string" : std::string(it->type_name()));
    return "topologies";
  }
  return v;
}

}  // namespace

std::optional<Project> FindProject(const fs::path& start) {
  std::error_code ec;
  fs::path dir = fs::absolute(start, ec);
  if (ec) return std::nullopt;
  dir = dir.lexically_normal();
  while (true) {
    if (fs::is_regular_file(dir / "config.json", ec) || fs::is_directory(dir / "topologies", ec)) {
      Project p;
      p.root = dir;
      p.topologies_dir = dir / TopologySpecs(dir / "config.json", &p.config_error);
      for (fs::directory_iterator it(p.topologies_dir, ec), end; !ec && it != end; it.increment(ec)) {
        if (it->path().extension() == ".topo" && it->is_regular_file(ec)) p.topo_files.push_back(ShownPath(it->path()));
      }
      std::sort(p.topo_files.begin(), p.topo_files.end());
      return p;
    }
    fs::path parent = dir.parent_path();
    if (parent.empty() || parent == dir) return std::nullopt;
    dir = parent;
  }
}

namespace {

// <prefix>/share/topoc/stdlib/<sub> next to the installed binary when it
// exists, else the source tree's stdlib/<sub> (empty when neither is known).
fs::path StdlibSubdir(const char* sub) {
  std::error_code ec;
  // Installed layout first (bin/topoc, share/topoc/...), so an installed topoc
  // never reads the tree it was built from; then the source tree, for
  // binaries run from the build folder.
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    fs::path installed = exe.parent_path().parent_path() / "share" / "topoc" / "stdlib" / sub;
    if (fs::is_directory(installed, ec)) return installed;
  }
#ifdef TOPOC_SOURCE_DIR
  return fs::path(TOPOC_SOURCE_DIR) / "stdlib" / sub;
#else
  return {};
#endif
}

}  // namespace

fs::path BuiltinStdlibDir() {
  if (const char* env = std::getenv("TOPOC_STDLIB"); env && *env) return fs::path(env);
  return StdlibSubdir("topo");
}

fs::path BuiltinPythonRuntimeDir() {
  const char* env = std::getenv("TOPOC_PYTHON_RUNTIME");
  fs::path dir = env && *env ? fs::path(env) : StdlibSubdir("python");
  std::error_code ec;
  return !dir.empty() && fs::is_directory(dir / "streamparse", ec) ? dir : fs::path();
}

}  // namespace topoc::driver
