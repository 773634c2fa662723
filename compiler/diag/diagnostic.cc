#include "compiler/diag/diagnostic.h"

namespace topoc {

void DiagnosticEngine::Report(Diagnostic d) {
  if (d.severity == Severity::kError) ++error_count_;
  if (d.severity == Severity::kWarning) ++warning_count_;
  diagnostics_.push_back(std::move(d));
}

void DiagnosticEngine::Clear() {
  diagnostics_.clear();
  error_count_ = warning_count_ = 0;
}

}  // namespace topoc
