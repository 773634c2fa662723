// The canonical .topo layout (`topoc fmt`, the language server's
// formatting, and any tool that writes .topo text).
//
// The formatter re-prints the file's tokens (the Lexer's, so strings and
// numbers keep their exact spelling) along the grammar with canonical
// whitespace: one declaration, statement or config entry per line, four
// spaces per level, blank lines between declarations, `;` and config
// separators dropped, `fields(a, b)`, `output (a)`, `java "C" (1)`. It keeps
// every comment (line and block, own-line or trailing) and at most one
// blank line where the author left some. A bracketed construct written on
// one line stays on one line (`{ input a shuffle }`, `[1, 2]`) unless it
// holds a comment; one written with a line break after its opening bracket
// gets one item per line. Formatting is idempotent and never changes what
// the file means: the formatted text parses to the same AST (spans aside);
// format_test.cc checks both over every .topo in the repository and over
// generated files.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "compiler/diag/diagnostic.h"
#include "compiler/source/source_manager.h"

namespace topoc::format {

// Formats file `file` of `sources`. A file with lexical or syntax errors is
// not formatted: its diagnostics go to `diags` and the result is nullopt.
std::optional<std::string> FormatFile(const SourceManager& sources, FileId file,
                                      DiagnosticEngine& diags);

// The same for text alone (e.g. text a tool generated); nullopt when it does
// not parse.
std::optional<std::string> FormatText(std::string_view text);

}  // namespace topoc::format
