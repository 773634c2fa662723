#include "deploy/jar.h"

#include <algorithm>
#include <cstdlib>
#include <ctime>
#include <map>
#include <memory>
#include <set>
#include <system_error>
#include <variant>

#include <fmt/format.h>

#include "backends/storm_launch.h"
#include "deploy/libzip_loader.h"

namespace topoc::deploy {

namespace fs = std::filesystem;

namespace {

constexpr const char* kManifest = "Manifest-Version: 1.0\r\nCreated-By: topoc\r\n\r\n";

// 1980-01-01 is the zip epoch; any fixed time keeps jars reproducible.
constexpr time_t kFixedMtime = 315532800 + 86400;

bool IsUnder(const fs::path& p, const fs::path& root) {
  auto rel = p.lexically_relative(root);
  return !rel.empty() && *rel.begin() != "..";
}

bool SkippedName(const fs::path& p, bool is_dir) {
  std::string n = p.filename().string();
  if (is_dir) return n == ".git" || n == ".hg" || n == ".svn" || n == "__pycache__";
  std::string ext = p.extension().string();
  return ext == ".pyc" || ext == ".pyo" || n == ".DS_Store";
}

struct Collector {
  fs::path root_real;  // files must resolve under this (empty: no check)
  std::map<std::string, fs::path> files;  // entry name -> file on disk
  std::set<fs::path> visited;
  JarReport* report;

  void Walk(const fs::path& dir, const std::string& prefix, int depth) {
    // Symlinked folders are followed, so the walk guards against loops: a depth
    // limit and each real folder visited once.
    if (depth > 64) return;
    std::error_code ec;
    fs::path real = fs::canonical(dir, ec);
    if (ec || !visited.insert(real).second) return;
    // A virtualenv inside src/ would put a whole interpreter in the jar; the
    // workers build their own (submit step 3).
    if (fs::exists(dir / "pyvenv.cfg", ec)) {
      report->warnings.push_back(fmt::format("skipped {}: it is a virtualenv", dir.string()));
      return;
    }
    std::vector<fs::directory_entry> entries;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) entries.push_back(*it);
    // Sorted: the same tree gives the same jar, byte for byte.
    std::sort(entries.begin(), entries.end(),
              [](const auto& a, const auto& b) { return a.path().filename() < b.path().filename(); });
    for (const auto& e : entries) {
      const fs::path& p = e.path();
      bool is_link = e.is_symlink(ec);
      fs::path target = is_link ? fs::canonical(p, ec) : p;
      if (is_link && ec) {
        report->warnings.push_back(fmt::format("skipped {}: broken symlink", p.string()));
        continue;
      }
      // A link out of the project could ship the user's home folder to the cluster.
      if (is_link && !root_real.empty() && !IsUnder(target, root_real)) {
        report->warnings.push_back(
            fmt::format("skipped {}: symlink to {} outside the project", p.string(), target.string()));
        continue;
      }
      bool is_dir = fs::is_directory(target, ec);
      if (SkippedName(p, is_dir)) continue;
      std::string name = prefix + p.filename().string();
      if (is_dir) {
        Walk(p, name + "/", depth + 1);
      } else if (fs::is_regular_file(target, ec)) {
        files.emplace(name, target);  // first wins
      }
    }
  }
};

}  // namespace

bool CollectJarContents(const JarInputs& inputs, JarContents* contents, JarReport* report,
                        std::string* error) {
  std::error_code ec;
  auto& entries = contents->entries;
  entries.clear();
  contents->executable.clear();
  entries["META-INF/MANIFEST.MF"] = std::string(kManifest);

  Collector runtime;
  runtime.report = report;
  if (!inputs.python_runtime_dir.empty()) {
    fs::path pkg = inputs.python_runtime_dir / "streamparse";
    if (!fs::is_directory(pkg, ec)) {
      *error = fmt::format("the Python runtime folder {} has no streamparse package", inputs.python_runtime_dir.string());
      return false;
    }
    runtime.Walk(pkg, backends::ResourcePath("streamparse/"), 0);
  }

  Collector project;
  project.report = report;
  project.root_real = fs::canonical(inputs.project_root, ec);
  if (ec) {
    *error = fmt::format("cannot read the project folder {}: {}", inputs.project_root.string(), ec.message());
    return false;
  }
  if (fs::exists(inputs.src_dir, ec)) {
    fs::path src_real = fs::canonical(inputs.src_dir, ec);
    if (!ec && !IsUnder(src_real, project.root_real) && src_real != project.root_real) {
      report->warnings.push_back(fmt::format("skipped {}: it points outside the project", inputs.src_dir.string()));
    } else {
      project.Walk(inputs.src_dir, backends::ResourcePath(""), 0);
    }
  }

  for (const auto& [name, path] : project.files) entries.emplace(name, path);
  // The bundled runtime wins over a streamparse/ copied into src/: the
  // launchers expect this version.
  for (const auto& [name, path] : runtime.files) {
    if (entries.count(name)) report->warnings.push_back(fmt::format("{} from src/ replaced by the topoc runtime", name));
    entries[name] = path;
  }
  // Generated: one launcher per python class, one wrapper per shell
  // command Storm could not run as written.
  std::set<std::string> classes(inputs.python_classes.begin(), inputs.python_classes.end());
  for (auto& f : backends::LaunchFiles(classes, inputs.shell_commands)) {
    std::string name = backends::ResourcePath(f.path);
    entries[name] = std::move(f.text);
    if (f.executable) contents->executable.insert(name);
  }
  return true;
}

bool WriteJar(const JarInputs& inputs, const fs::path& out, JarReport* report, std::string* error) {
  std::error_code ec;
  JarReport local;
  if (!report) report = &local;
  *report = JarReport{};
  JarContents contents;  // its generated text stays alive until zip_close has read it
  if (!CollectJarContents(inputs, &contents, report, error)) return false;
  const auto& entries = contents.entries;
  const auto& executable = contents.executable;

  fs::create_directories(out.parent_path().empty() ? fs::path(".") : out.parent_path(), ec);
  const LibZip* z = LoadLibZip(error);
  if (!z) return false;
  int zerr = 0;
  zip_t* za = z->zip_open(out.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &zerr);
  if (!za) {
    zip_error_t ze;
    z->zip_error_init_with_code(&ze, zerr);
    *error = fmt::format("cannot create {}: {}", out.string(), z->zip_error_strerror(&ze));
    z->zip_error_fini(&ze);
    return false;
  }
  auto fail = [&](const std::string& what) {
    *error = fmt::format("cannot write {}: {}: {}", out.string(), what, z->zip_strerror(za));
    z->zip_discard(za);
    return false;
  };
  // META-INF first (jar convention), then the rest sorted.
  std::vector<std::string> order;
  order.push_back("META-INF/MANIFEST.MF");
  for (const auto& [name, _] : entries)
    if (name != "META-INF/MANIFEST.MF") order.push_back(name);
  for (const auto& name : order) {
    const auto& src = entries.at(name);
    zip_source_t* zs = nullptr;
    if (std::holds_alternative<fs::path>(src)) {
      // libzip reads the files (and the buffers) only at zip_close.
      zs = z->zip_source_file(za, std::get<fs::path>(src).c_str(), 0, -1);
    } else {
      const std::string& text = std::get<std::string>(src);
      zs = z->zip_source_buffer(za, text.data(), text.size(), 0);
    }
    if (!zs) return fail(name);
    zip_int64_t idx = z->zip_file_add(za, name.c_str(), zs, ZIP_FL_ENC_UTF_8 | ZIP_FL_OVERWRITE);
    if (idx < 0) {
      z->zip_source_free(zs);
      return fail(name);
    }
    // No file times in the jar: rebuilding an unchanged project gives the same
    // bytes (Nimbus and caches see no change).
    z->zip_file_set_mtime(za, static_cast<zip_uint64_t>(idx), kFixedMtime, 0);
    if (executable.count(name) &&
        // Storm extracts resources/ keeping the mode bits: the shell wrappers must
        // be executable there.
        z->zip_file_set_external_attributes(za, static_cast<zip_uint64_t>(idx), 0, ZIP_OPSYS_UNIX,
                                            static_cast<zip_uint32_t>(0100755) << 16) != 0) {
      return fail(name);
    }
    report->entries.push_back(name);
  }
  if (z->zip_close(za) != 0) return fail("closing");
  report->bytes = fs::file_size(out, ec);
  return true;
}

// Opens `zip` read-only; nullptr with *error set when it is no zip.
static zip_t* OpenForReading(const LibZip& z, const fs::path& zip, std::string* error) {
  int zerr = 0;
  zip_t* za = z.zip_open(zip.c_str(), ZIP_RDONLY, &zerr);
  if (!za) *error = fmt::format("cannot open {} as a zip (libzip error {})", zip.string(), zerr);
  return za;
}

bool ListZip(const fs::path& zip, std::vector<std::string>* names, std::string* error) {
  const LibZip* z = LoadLibZip(error);
  if (!z) return false;
  zip_t* za = OpenForReading(*z, zip, error);
  if (!za) return false;
  zip_int64_t n = z->zip_get_num_entries(za, 0);
  for (zip_int64_t i = 0; i < n; ++i) names->push_back(z->zip_get_name(za, static_cast<zip_uint64_t>(i), 0));
  z->zip_discard(za);
  return true;
}

bool ReadZipEntry(const fs::path& zip, const std::string& name, std::string* data, std::string* error) {
  const LibZip* z = LoadLibZip(error);
  if (!z) return false;
  zip_t* za = OpenForReading(*z, zip, error);
  if (!za) return false;
  zip_stat_t st;
  zip_file_t* zf = nullptr;
  if (z->zip_stat(za, name.c_str(), 0, &st) != 0 || !(zf = z->zip_fopen(za, name.c_str(), 0))) {
    *error = fmt::format("{} has no entry {}", zip.string(), name);
    z->zip_discard(za);
    return false;
  }
  data->resize(st.size);
  zip_int64_t got = z->zip_fread(zf, data->data(), st.size);
  z->zip_fclose(zf);
  z->zip_discard(za);
  if (got < 0 || static_cast<zip_uint64_t>(got) != st.size) {
    *error = fmt::format("cannot read {} from {}", name, zip.string());
    return false;
  }
  return true;
}

}  // namespace topoc::deploy
