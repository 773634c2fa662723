#include "compiler/parse/parse.h"

#include "compiler/parse/antlr_parser.h"
#include "compiler/parse/fast_parser.h"

namespace topoc::parse {

const ast::File* ParseFile(const SourceManager& sources, FileId file, ast::Arena& arena,
                           DiagnosticEngine& diags) {
  if (const ast::File* fast = FastParseFile(sources.Contents(file), file, arena)) return fast;
  return ParseFileWithAntlr(sources, file, arena, diags);
}

}  // namespace topoc::parse
