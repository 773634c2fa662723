// libFuzzer target for the whole front end: bytes -> a .topo file ->
// driver::Compile (lexer, parser, imports, templates, checker, lowering) ->
// both diagnostic renderers. Any crash, sanitizer report, leak or hang is a
// bug; diagnostics are the expected outcome for bad input.
//
// It also holds the two parsers to each other (compiler/parse/fast_parser.h):
// the hand-written parser must accept exactly the inputs the ANTLR parser
// parses without a diagnostic, and build the same AST; any disagreement
// aborts. Compile itself runs the fast parser first and the ANTLR parser
// only when the fast one gives up, so each input is parsed by ANTLR once:
//   - the fast parser accepts: ANTLR parses the input here (a clean input
//     is its cheap case) and must report nothing and build the same AST;
//   - it gives up: Compile's own ANTLR parse must report a lexical or
//     syntax diagnostic (E0001-E0008) in the input.
// (It used to parse every input with ANTLR here as well as in Compile, so
// for an input with errors, most of what the fuzzer makes, ANTLR's error
// recovery ran twice: a third of the target's time; docs/fuzzing.md.)
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
#include <ostream>
#include <streambuf>
#include <string>

#include "compiler/ast/ast_dump.h"
#include "compiler/diag/renderer.h"
#include "compiler/driver/compilation.h"
#include "compiler/parse/fast_parser.h"
#include "compiler/parse/antlr_parser.h"

namespace {

const std::filesystem::path& InputPath() {
  static const std::filesystem::path path = [] {
    std::string templ = (std::filesystem::temp_directory_path() / "topoc-fuzz-XXXXXX").string();
    if (mkdtemp(templ.data()) == nullptr) std::abort();
    return std::filesystem::path(templ) / "input.topo";
  }();
  return path;
}

// The fast parser accepted `text`: aborts unless ANTLR parses it without a
// diagnostic and builds the same AST, spans included.
void CompareWithAntlr(const std::string& text, const topoc::ast::File& fast) {
  topoc::SourceManager sources;
  topoc::FileId id = sources.AddFile("input.topo", text);
  topoc::ast::Arena arena;
  topoc::DiagnosticEngine diags;
  const topoc::ast::File* slow = topoc::parse::ParseFileWithAntlr(sources, id, arena, diags);
  if (!diags.diagnostics().empty()) {
    std::fprintf(stderr, "parsers disagree: the fast parser accepted, ANTLR reported %s\n",
                 diags.diagnostics().front().message.c_str());
    std::abort();
  }
  if (topoc::ast::Dump(*slow) != topoc::ast::Dump(fast)) {
    std::fprintf(stderr, "parsers built different ASTs\n--- ANTLR\n%s--- fast\n%s",
                 topoc::ast::Dump(*slow).c_str(), topoc::ast::Dump(fast).c_str());
    std::abort();
  }
}

// A lexical or syntax diagnostic (the ANTLR path's codes, E0001-E0008) in
// file `file`.
bool HasParseError(const topoc::DiagnosticEngine& diags, topoc::FileId file) {
  for (const topoc::Diagnostic& d : diags.diagnostics()) {
    if (d.primary.file == file && d.code.size() == 5 && d.code.compare(0, 4, "E000") == 0 &&
        d.code[4] >= '1' && d.code[4] <= '8') {
      return true;
    }
  }
  return false;
}

// A stream buffer that accepts and drops everything.
class DiscardBuf : public std::streambuf {
 protected:
  int overflow(int c) override { return traits_type::not_eof(c); }
  std::streamsize xsputn(const char*, std::streamsize n) override { return n; }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string input(reinterpret_cast<const char*>(data), size);
  bool fast_accepted;
  {
    topoc::ast::Arena arena;
    const topoc::ast::File* fast = topoc::parse::FastParseFile(input, 0, arena);
    fast_accepted = fast != nullptr;
    if (fast) CompareWithAntlr(input, *fast);
  }

  topoc::driver::CompileOptions options;
  options.inputs.push_back(InputPath());
  options.first_input_text = std::move(input);
  topoc::driver::Compilation compilation;
  topoc::driver::Compile(options, compilation);
  if (compilation.program == nullptr) std::abort();  // Compile's contract
  // The input is the first file Compile reads (imports come after it).
  if (compilation.sources.FileCount() == 0 || compilation.sources.Path(0) != InputPath().string()) {
    std::abort();
  }
  if (!fast_accepted && !HasParseError(compilation.diags, 0)) {
    std::fprintf(stderr, "parsers disagree: the fast parser gave up, ANTLR reported no error\n");
    std::abort();
  }

  // The rendered bytes are not kept: a stream that drops them (a growing
  // string stream cost a page fault per new page under ASan's allocator).
  static DiscardBuf discard;
  std::ostream sink(&discard);
  topoc::diag::TextRenderer text(compilation.sources, /*colour=*/true);
  text.RenderAll(compilation.diags, sink);
  topoc::diag::JsonRenderer json(compilation.sources);
  json.RenderAll(compilation.diags, sink);
  return 0;
}
