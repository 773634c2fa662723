// Compilation: .topo files -> checked ir::Program. Shared by every
// subcommand (check, build, graph, run, submit).
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "compiler/diag/diagnostic.h"
#include "compiler/ir/ir.h"
#include "compiler/source/source_manager.h"

namespace topoc::ast {
class Arena;
struct File;
}  // namespace topoc::ast

namespace topoc::driver {

struct CompileOptions {
  // .topo files to compile, in order.
  std::vector<std::filesystem::path> inputs;
  // When set, the first input's text is read from standard input and shown
  // under this file name (editors lint unsaved buffers this way).
  std::optional<std::string> stdin_filename;
  // Sources given as text (display path, contents), compiled after
  // `inputs` as if read from that path (`topoc import` checks what it is
  // about to write before writing it).
  std::vector<std::pair<std::string, std::string>> texts;
  // When set, the first input's text is this (no file is read); it is
  // shown under inputs[0]'s name and imports resolve from its folder. For
  // the fuzzer (fuzz/check_fuzzer.cc) and tests: no temporary file.
  std::optional<std::string> first_input_text;
  // Extra import search directories (--stdlib DIR), searched after the
  // importing file's directory and before TOPOC_PATH and the built-in stdlib.
  std::vector<std::filesystem::path> stdlib_dirs;
  // The project's src/ folder, when known: python classes are checked
  // against it (missing module or class is a warning).
  std::optional<std::filesystem::path> python_src;
  // Never free the parse trees, the AST and (when the Compilation dies)
  // the IR, like clang's -disable-free: for one-shot commands that exit
  // soon after compiling, which skips freeing many small objects. Leaks
  // memory.
  bool disable_free = false;
  // Texts that stand in for files on disk (an editor's unsaved buffers),
  // keyed by the file's canonical path (fs::weakly_canonical of its
  // absolute path): used for the inputs and for every import.
  const std::map<std::string, std::string>* overlays = nullptr;
  // Keep the AST (Compilation::ast_arena, ast_files) for tools that walk it
  // after checking (the language server).
  bool keep_ast = false;
};

// Owns everything one compilation produced. `program` is always non-null
// after Compile; it is complete and satisfies the ir.h invariants only when
// `diags.HadErrors()` is false.
struct Compilation {
  Compilation() = default;
  Compilation(const Compilation&) = delete;
  Compilation& operator=(const Compilation&) = delete;
  ~Compilation() {
    if (leak_program) (void)program.release();  // CompileOptions::disable_free
  }

  SourceManager sources;
  DiagnosticEngine diags;
  std::unique_ptr<ir::Program> program;
  bool leak_program = false;
  // With CompileOptions::keep_ast: every file parsed, roots first (in input
  // order) then imports, and the arena that owns their nodes.
  std::shared_ptr<ast::Arena> ast_arena;
  std::vector<const ast::File*> ast_files;
  // An input file given to Compile (not an import) could not be read (it
  // is also an E0009 diagnostic): an I/O problem, exit code 2 (ExitCode).
  bool input_unreadable = false;

  // The exit code every command uses after compiling: 2 when an input
  // could not be read, 1 when there were errors, else 0.
  int ExitCode() const { return input_unreadable ? 2 : diags.HadErrors() ? 1 : 0; }
};

// Parses, resolves imports and templates, checks and lowers. Never throws
// on bad input: problems (including unreadable files) are diagnostics.
void Compile(const CompileOptions& options, Compilation& out);

}  // namespace topoc::driver
