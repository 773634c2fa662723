// Parses one .topo file into the AST: the entry point of compiler/parse/.
// ANTLR's generated classes are used only inside compiler/parse/; nothing
// outside sees them.
//
// Every problem is a diagnostic (E0001-E0008): lexical errors (unterminated
// strings and comments, stray characters, invalid UTF-8, bad escapes,
// numbers out of range) and syntax errors with the expected tokens. The
// parser recovers, so one run reports every error in a file (capped at
// kMaxErrorsPerFile per file). Brackets nested deeper than kMaxNesting are
// refused before parsing (E0006), which bounds the parser's recursion.
#pragma once

#include "compiler/ast/ast.h"
#include "compiler/diag/diagnostic.h"
#include "compiler/source/source_manager.h"

namespace topoc::parse {

// Parses file `file` of `sources`. Always returns a File (partial when the
// text had errors); nodes are allocated in `arena`.
//
// Two parsers, one language: a file is first parsed by FastParseFile
// (fast_parser.h), a hand-written parser that builds the AST directly and
// gives up at the first problem; only then does the ANTLR-generated parser
// (grammar/Topo.g4) parse it again, recovering and reporting every error.
// Both build the same AST for a clean file (fast_parser_test.cc).
const ast::File* ParseFile(const SourceManager& sources, FileId file, ast::Arena& arena,
                           DiagnosticEngine& diags);

}  // namespace topoc::parse
