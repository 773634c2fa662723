// The parser's bounds on hostile input, shared by both parsers.
#pragma once

#include <cstddef>

namespace topoc::parse {

// Brackets nested deeper are refused before parsing (E0006): bounds the
// recursion of both parsers.
inline constexpr int kMaxNesting = 100;
// Diagnostics reported per file before the parser stops.
inline constexpr int kMaxErrorsPerFile = 50;
// The ANTLR path (error recovery, only for files with errors) reads at
// most this many tokens: ANTLR keeps an object of about 250 bytes per token,
// so this caps its memory near 250 MB whatever the file's size. Errors
// past that point are not reported (a diagnostic says so).
inline constexpr size_t kMaxRecoveryTokens = 1'000'000;

}  // namespace topoc::parse
