// A hand-written recursive-descent parser for files without errors: the
// fast path of ParseFile (parser.h).
//
// It reads the Lexer's tokens directly and builds the AST as it goes, with
// no token objects, no parse tree and no prediction: about ten times faster
// than the ANTLR-generated parser, which dominated checking large files. It
// accepts exactly the language of grammar/Topo.g4 and builds exactly the AST
// that parser.cc builds from ANTLR's parse tree; fast_parser_test.cc and
// the fuzzer (fuzz/check_fuzzer.cc) compare the two.
//
// It gives up, returning nullptr, at the first thing the ANTLR path would
// report: a syntax error, an unterminated string or comment, a stray
// character, invalid UTF-8, a bad escape, a number out of range or brackets
// nested deeper than kMaxNesting. ParseFile then parses the file again with
// ANTLR, whose error recovery reports every problem in one run. So the
// grammar stays the one specification and ANTLR the one error reporter.
// Internal to compiler/parse/.
#pragma once

#include <string_view>

#include "compiler/ast/ast.h"
#include "compiler/source/source_manager.h"

namespace topoc::parse {

// Parses `text` (the contents of `file`) into nodes in `arena`; nullptr
// when the file has any problem (see above). Never reports diagnostics.
const ast::File* FastParseFile(std::string_view text, FileId file, ast::Arena& arena);

}  // namespace topoc::parse
