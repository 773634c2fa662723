#include "compiler/driver/module_loader.h"

#include <fstream>
#include <system_error>

#include <fmt/format.h>

#include "compiler/diag/diagnostic_kinds.h"
#include "compiler/parse/parse.h"

namespace topoc::driver {

namespace fs = std::filesystem;
using diag::DiagKind;

void ReportReadFailure(DiagnosticEngine& diags, Span span, const std::string& path,
                       const std::string& error, uintmax_t too_large) {
  if (too_large) {
    diags.Report(diag::Make(DiagKind::kFileTooLarge, span, path, too_large, kMaxFileSize));
  } else {
    diags.Report(diag::Make(DiagKind::kUnreadableFile, span, path, error));
  }
}

bool ReadSourceFile(const fs::path& path, std::string* contents, std::string* error,
                    uintmax_t* too_large) {
  if (too_large) *too_large = 0;
  std::error_code ec;
  if (fs::is_directory(path, ec)) {
    *error = "is a directory";
    return false;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    *error = fs::exists(path, ec) ? "permission denied or unreadable" : "no such file";
    return false;
  }
  uintmax_t size = fs::file_size(path, ec);
  // Refused before reading: a hostile multi-gigabyte file costs nothing.
  if (!ec && size > kMaxFileSize) {
    *error = fmt::format("file is too large ({} bytes; the limit is {})", size, kMaxFileSize);
    if (too_large) *too_large = size;
    return false;
  }
  // One read into a buffer of the file's size (a stringstream would grow
  // and copy its buffer several times); files that grow or whose size is
  // unknown (pipes) are read on in chunks.
  contents->clear();
  contents->resize(ec ? 0 : static_cast<size_t>(size));
  in.read(contents->data(), static_cast<std::streamsize>(contents->size()));
  contents->resize(static_cast<size_t>(in.gcount()));
  char chunk[65536];
  while (in && !in.eof()) {
    in.read(chunk, sizeof chunk);
    contents->append(chunk, static_cast<size_t>(in.gcount()));
    if (contents->size() > kMaxFileSize) break;
  }
  if (in.bad()) {
    *error = "read error";
    return false;
  }
  if (contents->size() > kMaxFileSize) {
    *error = fmt::format("file is too large (more than {} bytes)", kMaxFileSize);
    return false;
  }
  return true;
}

ModuleLoader::ModuleLoader(SourceManager& sources, ast::Arena& arena, DiagnosticEngine& diags,
                           std::vector<fs::path> search_dirs)
    : sources_(sources), arena_(arena), diags_(diags), search_dirs_(std::move(search_dirs)) {}

const ast::File* ModuleLoader::LoadRoot(FileId id, const fs::path& path, const fs::path& dir) {
  std::error_code ec;
  // Modules are keyed by canonical path, so "lib.topo" and "./x/../lib.topo"
  // are one module (read and parsed once). A root with no usable path (a
  // buffer) gets a made-up key no file can have.
  fs::path key = fs::weakly_canonical(fs::absolute(path, ec), ec);
  if (ec || path.empty()) key = fs::path("<root>") / std::to_string(id);
  return Load(id, key, dir);
}

const std::string* ModuleLoader::Overlay(const fs::path& path) const {
  if (overlays_ == nullptr || overlays_->empty()) return nullptr;
  std::error_code ec;
  fs::path key = fs::weakly_canonical(fs::absolute(path, ec), ec);
  auto it = overlays_->find(key.string());
  return it == overlays_->end() ? nullptr : &it->second;
}

std::optional<fs::path> ModuleLoader::Resolve(const std::string& import, const fs::path& dir) const {
  std::error_code ec;
  fs::path rel(import);
  // Anything that exists wins (a folder then fails to read: E0009).
  // An absolute import is taken as is: search folders do not apply.
  if (rel.is_absolute()) {
    if (fs::exists(rel, ec)) return rel;
    return std::nullopt;
  }
  if (fs::exists(dir / rel, ec)) return dir / rel;
  for (const fs::path& d : search_dirs_) {
    if (d.empty()) continue;
    if (fs::exists(d / rel, ec)) return d / rel;
  }
  return std::nullopt;
}

const ast::File* ModuleLoader::Load(FileId id, const fs::path& key, const fs::path& dir) {
  Module& m = modules_[key];
  // `loading` is set while this file's imports load: meeting it again below
  // means an import cycle (E0102). The AST is recorded even with syntax
  // errors, so its templates still resolve in other files.
  m.loading = true;
  m.dir = dir;
  size_t errors_before = diags_.ErrorCount();
  m.ast = parse::ParseFile(sources_, id, arena_, diags_);
  if (diags_.ErrorCount() != errors_before) broken_.insert(m.ast);
  by_file_[m.ast] = &m;
  for (const ast::Import& imp : m.ast->imports) {
    // `import ""` can name no file; reported without the search list.
    if (imp.path.empty()) {
      diags_.Report(diag::Make(DiagKind::kImportNotFound, imp.span, imp.path));
      continue;
    }
    auto found = Resolve(imp.path, dir);
    if (!found) {
      Diagnostic d = diag::Make(DiagKind::kImportNotFound, imp.span, imp.path);
      std::string where = "searched: " + dir.string();
      for (const fs::path& s : search_dirs_) where += ", " + s.string();
      d.notes.push_back(diag::Help(where));
      diags_.Report(std::move(d));
      continue;
    }
    std::error_code ec;
    fs::path child_key = fs::weakly_canonical(fs::absolute(*found, ec), ec);
    auto it = modules_.find(child_key);
    if (it != modules_.end()) {
      if (it->second.loading) {
        diags_.Report(diag::Make(DiagKind::kImportCycle, imp.span, imp.path));
      } else if (it->second.ast) {
        m.imports.push_back(it->second.ast);
      }
      continue;
    }
    std::string contents, error;
    uintmax_t too_large = 0;
    // An editor's unsaved buffer wins over the file on disk.
    if (const std::string* overlay = Overlay(child_key)) {
      contents = *overlay;
    } else if (!ReadSourceFile(*found, &contents, &error, &too_large)) {
      ReportReadFailure(diags_, imp.span, found->string(), error, too_large);
      continue;
    }
    FileId child = sources_.AddFile(found->lexically_normal().string(), std::move(contents));
    const ast::File* child_ast = Load(child, child_key, found->parent_path());
    // `m` may have moved? std::map nodes are stable, so the reference holds.
    m.imports.push_back(child_ast);
  }
  m.loading = false;
  return m.ast;
}

const sema::TemplateScope& ModuleLoader::Scope(const ast::File* file) {
  if (auto it = scopes_.find(file); it != scopes_.end()) return it->second;
  sema::TemplateScope scope;
  scoping_.insert(file);
  auto add = [&](const ast::Template* t) {
    auto [it, inserted] = scope.emplace(t->name.text, t);
    if (inserted || it->second == t) return;
    // The same pair meets again in every file that imports both: report once.
    if (!reported_dups_.insert({it->second, t}).second) return;
    Diagnostic d = diag::Make(DiagKind::kDuplicateTemplate, t->name.span, t->name.text);
    d.notes.push_back(diag::Note(it->second->name.span, fmt::format("'{}' first declared here", t->name.text)));
    diags_.Report(std::move(d));
  };
  for (const ast::Template* t : file->templates) add(t);
  if (auto m = by_file_.find(file); m != by_file_.end()) {
    for (const ast::File* imported : m->second->imports) {
      if (scoping_.count(imported)) continue;  // import cycles were reported already
      for (const auto& [name, t] : Scope(imported)) add(t);
    }
  }
  scoping_.erase(file);
  return scopes_[file] = std::move(scope);
}

}  // namespace topoc::driver
