// The diagnostic catalogue (diagnostic_kinds.def) as data, and helpers that
// build Diagnostics from it. Report sites name a kind and give the format
// arguments; the code, severity and message text come from the catalogue.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include <fmt/format.h>

#include "compiler/diag/diagnostic.h"

namespace topoc::diag {

enum class DiagKind {
#define DIAG(CODE, SEVERITY, NAME, FORMAT) k##NAME,
#include "compiler/diag/diagnostic_kinds.def"
#undef DIAG
};

struct DiagInfo {
  std::string_view code;    // "E0201"
  Severity severity;
  std::string_view name;    // "UnknownComponent"
  std::string_view format;  // fmt format string
};

const DiagInfo& GetDiagInfo(DiagKind kind);
// The catalogue entry for a code ("E0201", case-insensitive), or nullptr.
const DiagInfo* FindDiagInfo(std::string_view code);
// Every entry, in catalogue order.
std::span<const DiagInfo> AllDiagInfos();

// A diagnostic of `kind` at `primary` whose message is the catalogue format
// applied to `args`.
template <class... Args>
Diagnostic Make(DiagKind kind, Span primary, const Args&... args) {
  const DiagInfo& info = GetDiagInfo(kind);
  Diagnostic d;
  d.code = std::string(info.code);
  d.severity = info.severity;
  d.primary = primary;
  d.message = fmt::format(fmt::runtime(info.format), args...);
  return d;
}

// A child note pointing at `span` ("'word-spout' declared here").
Diagnostic Note(Span span, std::string message);
// A child help line; with `replace`, also a suggested edit of `span`.
Diagnostic Help(std::string message, Span span = {},
                std::optional<std::string> replace = std::nullopt);

// Quotes a value for messages: 'x'.
inline std::string Quote(std::string_view s) { return "'" + std::string(s) + "'"; }

}  // namespace topoc::diag
