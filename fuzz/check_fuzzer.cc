// libFuzzer target for the whole front end: bytes -> a .topo file ->
// driver::Compile (lexer, parser, imports, templates, checker, lowering) ->
// both diagnostic renderers. Any crash, sanitizer report, leak or hang is a
// bug; diagnostics are the expected outcome for bad input.
//
// Compile takes files, so each input is written to one file in a private
// temporary folder (an empty folder: relative imports in the input find
// nothing but the input itself). Build and run: fuzz/run.sh.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "compiler/diag/renderer.h"
#include "compiler/driver/compilation.h"

namespace {

const std::filesystem::path& InputPath() {
  static const std::filesystem::path path = [] {
    std::string templ = (std::filesystem::temp_directory_path() / "topoc-fuzz-XXXXXX").string();
    if (mkdtemp(templ.data()) == nullptr) std::abort();
    return std::filesystem::path(templ) / "input.topo";
  }();
  return path;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  {
    std::ofstream out(InputPath(), std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  }
  topoc::driver::CompileOptions options;
  options.inputs.push_back(InputPath());
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
