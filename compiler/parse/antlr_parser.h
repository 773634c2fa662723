// The reference parser: ANTLR's generated parser (grammar/Topo.g4), with
// the listener that turns its syntax errors into diagnostics and the
// builder from its parse tree to the AST. ParseFile (parse.h) calls it
// when the fast parser (fast_parser.h) gives up; it recovers and reports
// every error of the file. Internal to compiler/parse/ (the tests and the
// fuzzer compare it with the fast parser).
#pragma once

#include "compiler/ast/ast.h"
#include "compiler/diag/diagnostic.h"
#include "compiler/source/source_manager.h"

namespace topoc::parse {

// Parses file `file` of `sources` with ANTLR alone. Always returns a File
// (partial when the text had errors); nodes are allocated in `arena`.
const ast::File* ParseFileWithAntlr(const SourceManager& sources, FileId file, ast::Arena& arena,
                                    DiagnosticEngine& diags);

}  // namespace topoc::parse
