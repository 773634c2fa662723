#include "compiler/diag/diagnostic_kinds.h"

#include <array>
#include <cctype>

namespace topoc::diag {

namespace {

// One entry per DIAG line of the catalogue, in DiagKind's order (the same
// X-macro builds the enum), so a kind indexes its entry directly.
constexpr DiagInfo kInfos[] = {
#define DIAG(CODE, SEVERITY, NAME, FORMAT) {#CODE, Severity::SEVERITY, #NAME, FORMAT},
#include "compiler/diag/diagnostic_kinds.def"
#undef DIAG
};

}  // namespace

const DiagInfo& GetDiagInfo(DiagKind kind) { return kInfos[static_cast<size_t>(kind)]; }

const DiagInfo* FindDiagInfo(std::string_view code) {
  for (const DiagInfo& info : kInfos) {
    if (info.code.size() != code.size()) continue;
    bool same = true;
    for (size_t i = 0; i < code.size() && same; ++i) {
      // Codes are upper case in the catalogue: `topoc explain e0201` works too.
      same = std::toupper(static_cast<unsigned char>(code[i])) == info.code[i];
    }
    if (same) return &info;
  }
  return nullptr;
}

std::span<const DiagInfo> AllDiagInfos() { return kInfos; }

Diagnostic Note(Span span, std::string message) {
  Diagnostic d;
  d.severity = Severity::kNote;
  d.primary = span;
  d.message = std::move(message);
  return d;
}

Diagnostic Help(std::string message, Span span, std::optional<std::string> replace) {
  Diagnostic d;
  d.severity = Severity::kHelp;
  d.primary = span;
  d.message = std::move(message);
  // A fix-it needs a place to apply: a suggestion without a span stays text.
  if (replace && span.valid()) {
    d.fixits.push_back(FixIt{span, *replace, Applicability::kMaybeIncorrect});
  }
  return d;
}

}  // namespace topoc::diag
