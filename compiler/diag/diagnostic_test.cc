#include "compiler/diag/diagnostic.h"

#include <doctest/doctest.h>

namespace topoc {

namespace {

Diagnostic DiagnosticOf(Severity s) {
  Diagnostic d;
  d.severity = s;
  return d;
}

}  // namespace

TEST_CASE("DiagnosticEngine counts errors and warnings, not notes or help") {
  DiagnosticEngine diags;
  CHECK_FALSE(diags.HadErrors());
  diags.Report(DiagnosticOf(Severity::kNote));
  diags.Report(DiagnosticOf(Severity::kHelp));
  diags.Report(DiagnosticOf(Severity::kWarning));
  CHECK(diags.ErrorCount() == 0);
  CHECK(diags.WarningCount() == 1);
  CHECK_FALSE(diags.HadErrors());
  diags.Report(DiagnosticOf(Severity::kError));
  diags.Report(DiagnosticOf(Severity::kError));
  CHECK(diags.ErrorCount() == 2);
  CHECK(diags.HadErrors());
  REQUIRE(diags.diagnostics().size() == 5);  // all kept, in report order
  CHECK(diags.diagnostics()[0].severity == Severity::kNote);
  CHECK(diags.diagnostics()[4].severity == Severity::kError);
}

TEST_CASE("DiagnosticEngine: --werror makes a warning count as failure") {
  DiagnosticEngine diags;
  diags.set_werror(true);
  CHECK(diags.werror());
  CHECK_FALSE(diags.HadErrors());
  diags.Report(DiagnosticOf(Severity::kWarning));
  CHECK(diags.HadErrors());
  CHECK(diags.ErrorCount() == 0);
}

TEST_CASE("DiagnosticEngine::Clear drops diagnostics and counts, keeps --werror") {
  DiagnosticEngine diags;
  diags.set_werror(true);
  diags.Report(DiagnosticOf(Severity::kError));
  diags.Report(DiagnosticOf(Severity::kWarning));
  diags.Clear();
  CHECK(diags.diagnostics().empty());
  CHECK(diags.ErrorCount() == 0);
  CHECK(diags.WarningCount() == 0);
  CHECK_FALSE(diags.HadErrors());
  CHECK(diags.werror());
}

}  // namespace topoc
