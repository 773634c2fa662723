// Loading .topo files and their imports.
//
// `import "path.topo"` resolves, in order, against: the importing file's
// folder; each --stdlib DIR; each folder of TOPOC_PATH (colon-separated);
// the built-in stdlib (BuiltinStdlibDir()). The first existing
// regular file wins. A missing import is E0101; an import of a file that is
// still being loaded (a cycle) is E0102. Each file is read and parsed once
// per compilation (keyed by its canonical path).
//
// Imports bring templates into scope, transitively: a file sees its own
// templates and every template visible in the files it imports.
// Topologies of imported files are not part of the program.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "compiler/ast/ast.h"
#include "compiler/diag/diagnostic.h"
#include "compiler/sema/sema.h"
#include "compiler/source/source_manager.h"

namespace topoc::driver {

// Largest .topo file read (bytes); larger ones are E0010. 64 MiB is ten
// times a 100,000-component topology, and bounds the memory of checking a
// hostile file (docs/benchmarks.md, "Hostile input": ~30 bytes per input
// byte at worst past the first million tokens).
inline constexpr uintmax_t kMaxFileSize = 64u << 20;

// Reads a whole file. On failure returns false and sets `error`; when the
// file is over kMaxFileSize, also sets `*too_large` to its size (else 0).
bool ReadSourceFile(const std::filesystem::path& path, std::string* contents, std::string* error,
                    uintmax_t* too_large = nullptr);

// Reports a failed ReadSourceFile as E0010 (too large) or E0009 at `span`.
void ReportReadFailure(DiagnosticEngine& diags, Span span, const std::string& path,
                       const std::string& error, uintmax_t too_large);

class ModuleLoader {
 public:
  // `search_dirs`: the directories searched after the importing file's own
  // (--stdlib dirs, then TOPOC_PATH entries, then the built-in stdlib).
  // All references must outlive the loader.
  ModuleLoader(SourceManager& sources, ast::Arena& arena, DiagnosticEngine& diags,
               std::vector<std::filesystem::path> search_dirs);

  // Parses the root file `id` (already in `sources`; `dir` is the folder its
  // imports are relative to) and loads its imports.
  const ast::File* LoadRoot(FileId id, const std::filesystem::path& path,
                            const std::filesystem::path& dir);

  // Templates visible in `file` (own + imported). Duplicate names are
  // reported once (E0104); the first declaration wins.
  const sema::TemplateScope& Scope(const ast::File* file);

  // True when parsing `file` reported an error (lexical or syntax). Such a
  // file is not checked further: its AST is partial and checks would
  // mostly report cascades.
  bool HadSyntaxErrors(const ast::File* file) const { return broken_.count(file) != 0; }

  // Texts that stand in for files on disk, by canonical path
  // (driver::CompileOptions::overlays); nullptr: none.
  void set_overlays(const std::map<std::string, std::string>* overlays) { overlays_ = overlays; }
  // The overlay text for `path`, or nullptr.
  const std::string* Overlay(const std::filesystem::path& path) const;

  // Calls `f` on every file loaded so far (roots and imports).
  template <class F>
  void ForEachFile(F&& f) const {
    for (const auto& [key, m] : modules_) {
      if (m.ast) f(m.ast);
    }
  }

 private:
  struct Module {
    const ast::File* ast = nullptr;
    std::filesystem::path dir;
    std::vector<const ast::File*> imports;  // resolved, in order
    bool loading = false;
  };
  const ast::File* Load(FileId id, const std::filesystem::path& key, const std::filesystem::path& dir);
  std::optional<std::filesystem::path> Resolve(const std::string& import, const std::filesystem::path& dir) const;

  SourceManager& sources_;
  ast::Arena& arena_;
  DiagnosticEngine& diags_;
  std::vector<std::filesystem::path> search_dirs_;
  const std::map<std::string, std::string>* overlays_ = nullptr;
  std::map<std::filesystem::path, Module> modules_;             // by canonical path
  std::unordered_map<const ast::File*, Module*> by_file_;
  std::unordered_map<const ast::File*, sema::TemplateScope> scopes_;
  std::unordered_set<const ast::File*> scoping_;
  std::unordered_set<const ast::File*> broken_;                // cycle guard
  std::set<std::pair<const ast::Template*, const ast::Template*>> reported_dups_;
};

}  // namespace topoc::driver
