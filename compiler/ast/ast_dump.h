// The AST as text: every node and field, spans included, one line each.
// For tests and the fuzzer, which compare the ASTs the two parsers build
// (compiler/parse/fast_parser.h); not a stable format.
#pragma once

#include <string>

#include "compiler/ast/ast.h"

namespace topoc::ast {

std::string Dump(const File& file);

}  // namespace topoc::ast
