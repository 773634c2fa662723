// libFuzzer target for the whole front end: bytes -> a .topo file ->
// driver::Compile (lexer, parser, imports, templates, checker, lowering) ->
// both diagnostic renderers. Any crash, sanitizer report, leak or hang is a
// bug; diagnostics are the expected outcome for bad input.
//
// It also holds the two parsers to each other (compiler/parse/fast_parser.h):
// the hand-written parser must accept exactly the inputs the ANTLR parser
// parses without a diagnostic, and build the same AST; any disagreement
// aborts.
//
// The input reaches Compile from memory (CompileOptions::first_input_text),
// named as a file in a private, empty temporary folder, so relative imports
// find nothing but the folder's emptiness; no file is written per input.
// Build and run: fuzz/run.sh.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <sstream>
#include <string>

#include "compiler/ast/ast_dump.h"
#include "compiler/diag/renderer.h"
#include "compiler/driver/compilation.h"
#include "compiler/parse/fast_parser.h"
#include "compiler/parse/parser.h"

namespace {

const std::filesystem::path& InputPath() {
  static const std::filesystem::path path = [] {
    std::string templ = (std::filesystem::temp_directory_path() / "topoc-fuzz-XXXXXX").string();
    if (mkdtemp(templ.data()) == nullptr) std::abort();
    return std::filesystem::path(templ) / "input.topo";
  }();
  return path;
}

// Aborts unless both parsers agree on `text`.
void CompareParsers(std::string text) {
  topoc::SourceManager sources;
  topoc::FileId id = sources.AddFile("input.topo", std::move(text));
  topoc::ast::Arena slow_arena, fast_arena;
  topoc::DiagnosticEngine diags;
  const topoc::ast::File* slow = topoc::parse::ParseFileWithAntlr(sources, id, slow_arena, diags);
  const topoc::ast::File* fast = topoc::parse::FastParseFile(sources.Contents(id), id, fast_arena);
  bool clean = diags.diagnostics().empty();
  if (clean != (fast != nullptr)) {
    std::fprintf(stderr, "parsers disagree: ANTLR %s, the fast parser %s\n", clean ? "clean" : "errors",
                 fast ? "accepted" : "gave up");
    std::abort();
  }
  if (fast && topoc::ast::Dump(*slow) != topoc::ast::Dump(*fast)) {
    std::fprintf(stderr, "parsers built different ASTs\n--- ANTLR\n%s--- fast\n%s",
                 topoc::ast::Dump(*slow).c_str(), topoc::ast::Dump(*fast).c_str());
    std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string input(reinterpret_cast<const char*>(data), size);
  CompareParsers(input);

  topoc::driver::CompileOptions options;
  options.inputs.push_back(InputPath());
  options.first_input_text = std::move(input);
  topoc::driver::Compilation compilation;
  topoc::driver::Compile(options, compilation);
  if (compilation.program == nullptr) std::abort();  // Compile's contract

  std::ostringstream sink;
  topoc::diag::TextRenderer text(compilation.sources, /*colour=*/true);
  text.RenderAll(compilation.diags, sink);
  topoc::diag::JsonRenderer json(compilation.sources);
  json.RenderAll(compilation.diags, sink);
  return 0;
}
