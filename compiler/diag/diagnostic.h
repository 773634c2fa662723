// Diagnostics are data: a stable code, a severity, a primary span, labels,
// notes and fix-its. Passes report into a DiagnosticEngine; renderers
// (text, JSON) turn them into output. Nothing here throws on bad input.
#pragma once

#include <string>
#include <vector>

#include "compiler/source/source_manager.h"

namespace topoc {

enum class Severity { kError, kWarning, kNote, kHelp };

// A secondary span with a short text ("'word-spout' declares (word) here").
struct Label {
  Span span;
  std::string text;
};

enum class Applicability { kMachineApplicable, kMaybeIncorrect };

// A suggested edit: replace `range` with `replacement`.
struct FixIt {
  Span range;
  std::string replacement;
  Applicability applicability = Applicability::kMaybeIncorrect;
};

struct Diagnostic {
  std::string code;          // "E0201"; stable, never reused. Empty for notes.
  Severity severity = Severity::kError;
  Span primary;              // may be invalid for file-less diagnostics
  std::string primary_label; // short text under the primary span (optional)
  std::string message;
  std::vector<Label> labels;
  std::vector<Diagnostic> notes;  // children: notes and help lines
  std::vector<FixIt> fixits;
};

// Collects diagnostics in report order. Warnings count as errors when
// `werror` is set (they are still reported as warnings).
class DiagnosticEngine {
 public:
  void Report(Diagnostic d);

  bool HadErrors() const { return error_count_ > 0 || (werror_ && warning_count_ > 0); }
  size_t ErrorCount() const { return error_count_; }
  size_t WarningCount() const { return warning_count_; }
  const std::vector<Diagnostic>& diagnostics() const { return diagnostics_; }
  void set_werror(bool werror) { werror_ = werror; }
  bool werror() const { return werror_; }
  // Drops everything collected so far (counts included).
  void Clear();

 private:
  std::vector<Diagnostic> diagnostics_;
  size_t error_count_ = 0;
  size_t warning_count_ = 0;
  bool werror_ = false;
};

}  // namespace topoc
