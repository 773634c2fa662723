#include "compiler/driver/compilation.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <iostream>
#include <iterator>
#include <sstream>
#include <unordered_set>

#include "compiler/ast/ast.h"
#include "compiler/diag/diagnostic_kinds.h"
#include "compiler/driver/module_loader.h"
#include "compiler/driver/project.h"
#include "compiler/driver/python_src.h"
#include "compiler/sema/sema.h"

namespace topoc::driver {

namespace fs = std::filesystem;

namespace {

// --stdlib dirs, then TOPOC_PATH (colon-separated), then the built-in stdlib.
std::vector<fs::path> SearchDirs(const CompileOptions& options) {
  std::vector<fs::path> dirs = options.stdlib_dirs;
  if (const char* env = std::getenv("TOPOC_PATH"); env && *env) {
    std::string_view rest(env);
    while (true) {
      size_t colon = rest.find(':');
      std::string_view part = rest.substr(0, colon);
      if (!part.empty()) dirs.emplace_back(std::string(part));
      if (colon == std::string_view::npos) break;
      rest.remove_prefix(colon + 1);
    }
  }
  fs::path builtin = BuiltinStdlibDir();
  if (!builtin.empty()) dirs.push_back(builtin);
  return dirs;
}

}  // namespace

void Compile(const CompileOptions& options, Compilation& out) {
  // TOPOC_TIME_PASSES=1 prints the time of each phase to stderr.
  const bool time_passes = std::getenv("TOPOC_TIME_PASSES") != nullptr;
  auto t0 = std::chrono::steady_clock::now();
  std::clock_t c0 = std::clock();
  auto lap = [&](const char* what) {
    if (!time_passes) return;
    auto now = std::chrono::steady_clock::now();
    std::clock_t cnow = std::clock();
    std::fprintf(stderr, "topoc: %-8s %8.1f ms wall %8.1f ms cpu\n", what,
                 std::chrono::duration<double, std::milli>(now - t0).count(),
                 1000.0 * double(cnow - c0) / CLOCKS_PER_SEC);
    t0 = now;
    c0 = cnow;
  };
  out.program = std::make_unique<ir::Program>();
  // Shared: with keep_ast the language server holds the AST after Compile.
  auto arena_owner = std::make_shared<ast::Arena>();
  ast::Arena& arena = *arena_owner;
#ifdef TOPOC_FREE_AT_EXIT
  // Sanitizer builds (scripts/sanitize.sh) free everything, so
  // LeakSanitizer reports only real leaks.
  const bool leak = false;
#else
  const bool leak = options.disable_free;
#endif
  arena.set_leak(leak);
  out.leak_program = leak;
  ModuleLoader loader(out.sources, arena, out.diags, SearchDirs(options));
  loader.set_overlays(options.overlays);
  std::vector<const ast::File*> roots;
  for (size_t i = 0; i < options.inputs.size(); ++i) {
    const fs::path& path = options.inputs[i];
    std::string contents, error;
    std::string display = path.string();
    fs::path dir = path.parent_path();
    if (i == 0 && options.first_input_text) {
      contents = *options.first_input_text;
      if (contents.size() > kMaxFileSize) {
        out.diags.Report(diag::Make(diag::DiagKind::kFileTooLarge, Span{}, display, contents.size(),
                                    kMaxFileSize));
        continue;
      }
    // Imports of a buffer read from stdin resolve beside the name it is shown
    // under (the editor's file), not the current folder.
    } else if (i == 0 && options.stdin_filename) {
      contents.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
      display = *options.stdin_filename;
      dir = fs::path(display).parent_path();
      if (contents.size() > kMaxFileSize) {
        out.diags.Report(diag::Make(diag::DiagKind::kFileTooLarge, Span{}, display, contents.size(),
                                    kMaxFileSize));
        continue;
      }
    } else if (const std::string* overlay = loader.Overlay(path)) {
      contents = *overlay;
    } else if (uintmax_t too_large = 0; !ReadSourceFile(path, &contents, &error, &too_large)) {
      ReportReadFailure(out.diags, Span{}, display, error, too_large);
      // Exit code 2 (I/O) for a file that cannot be read, 1 for a file too large.
      if (!too_large) out.input_unreadable = true;  // too large: the input is wrong
      continue;
    }
    // A bare file name (x.topo) imports from the current folder.
    if (dir.empty()) dir = ".";
    FileId id = out.sources.AddFile(display, std::move(contents));
    roots.push_back(loader.LoadRoot(id, i == 0 && options.stdin_filename ? fs::path(display) : path, dir));
  }
  for (const auto& [display, contents] : options.texts) {
    fs::path dir = fs::path(display).parent_path();
    if (dir.empty()) dir = ".";
    FileId id = out.sources.AddFile(display, contents);
    roots.push_back(loader.LoadRoot(id, fs::path(display), dir));
  }
  if (options.inputs.empty() && options.stdin_filename) {
    // Only stdin: compile it under the given name.
    std::string contents(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>{});
    fs::path dir = fs::path(*options.stdin_filename).parent_path();
    if (dir.empty()) dir = ".";
    FileId id = out.sources.AddFile(*options.stdin_filename, std::move(contents));
    roots.push_back(loader.LoadRoot(id, fs::path(*options.stdin_filename), dir));
  }
  lap("parse");
  sema::ScopeOf scopes;
  // Every file that declares templates, plus the roots, gets its scope.
  for (const ast::File* f : roots) scopes[f->file] = &loader.Scope(f);
  // Imported files need scopes too: a template is resolved in the scope of
  // the file that declares it (its chain may use that file's imports).
  loader.ForEachFile([&](const ast::File* f) { scopes[f->file] = &loader.Scope(f); });
  // Files with syntax errors are not checked further (their AST is partial).
  std::vector<const ast::File*> checked;
  for (const ast::File* f : roots) {
    // Only roots are checked: topologies in imported files are not part of
    // the program (module_loader.h).
    if (!loader.HadSyntaxErrors(f)) checked.push_back(f);
  }
  sema::SemaOptions sema_options;
  std::optional<PythonSrcFolder> python_src;
  if (options.python_src) sema_options.python = &python_src.emplace(*options.python_src);
  sema::CheckProgram(checked, scopes, out.sources, sema_options, out.diags, *out.program);
  lap("sema");
  if (options.keep_ast) {
    out.ast_arena = std::move(arena_owner);
    // Roots first, then imports, once each (Compilation::ast_files).
    out.ast_files = roots;
    std::unordered_set<const ast::File*> seen(roots.begin(), roots.end());
    loader.ForEachFile([&](const ast::File* f) {
      if (seen.insert(f).second) out.ast_files.push_back(f);
    });
  }
}

}  // namespace topoc::driver
