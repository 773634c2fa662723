// Renderers turn Diagnostics into text for people or JSON for editors. All
// output goes through the DiagnosticRenderer interface.
//
// Text (TextRenderer), like a compiler:
//   path:line:col: error[E0201]: unknown component 'word-spot'
//      12 |     input word-spot shuffle
//         |           ^~~~~~~~~
//   path:line:col: note: 'word-spout' declared here
//   ...
//   help: did you mean 'word-spout'?
// Colour (ANSI) only when asked for, i.e. when the caller writes to a tty.
//
// JSON (JsonRenderer): one object per line per top-level diagnostic; the
// format is documented in docs/diagnostics-json.md.
#pragma once

#include <ostream>
#include <string>

#include <nlohmann/json.hpp>

#include "compiler/diag/diagnostic.h"
#include "compiler/source/source_manager.h"

namespace topoc::diag {

// Bounded output whatever the input: a source line longer than
// kSnippetWidth bytes is shown as a window of that many bytes starting
// kSnippetContext bytes before the span, with "…" where text was cut; a
// message or label longer than kMaxMessageBytes keeps its start and end
// around a "…". Both renderers (the JSON "rendered" field is the text form).
inline constexpr size_t kSnippetWidth = 120;
inline constexpr size_t kSnippetContext = 40;
inline constexpr size_t kMaxMessageBytes = 400;

// `text` cut to at most about kMaxMessageBytes (on UTF-8 boundaries).
std::string Shorten(std::string_view text);

class DiagnosticRenderer {
 public:
  virtual ~DiagnosticRenderer() = default;
  // Renders one top-level diagnostic (with its children).
  virtual void Render(const Diagnostic& d, std::ostream& out) = 0;
  // Renders every diagnostic of `engine`, in report order, then a summary
  // (text only).
  virtual void RenderAll(const DiagnosticEngine& engine, std::ostream& out);
};

class TextRenderer : public DiagnosticRenderer {
 public:
  // `sources` must outlive the renderer.
  TextRenderer(const SourceManager& sources, bool colour) : sources_(sources), colour_(colour) {}
  void Render(const Diagnostic& d, std::ostream& out) override;
  void RenderAll(const DiagnosticEngine& engine, std::ostream& out) override;
  // Appends what Render writes for `d` to `out`.
  void RenderTo(const Diagnostic& d, std::string& out) const;

 private:
  void RenderSnippet(Span span, std::string_view label, bool primary, std::string& out) const;
  // The colour escape `code` / the reset, when colour is on.
  void Open(const char* code, std::string& out) const;
  void Close(std::string& out) const;

  std::string buffer_;  // Render's, reused

  const SourceManager& sources_;
  bool colour_;
};

class JsonRenderer : public DiagnosticRenderer {
 public:
  explicit JsonRenderer(const SourceManager& sources) : sources_(sources) {}
  void Render(const Diagnostic& d, std::ostream& out) override;
  // The JSON object of one diagnostic (children included). Render writes
  // the same text directly (Write), without building this tree.
  nlohmann::ordered_json ToJson(const Diagnostic& d, bool top_level) const;

 private:
  void Write(const Diagnostic& d, bool top_level, std::string& out);
  const SourceManager& sources_;
  std::string line_, text_;  // Render's and Write's, reused
};

// The plain (uncoloured) text form of one diagnostic.
std::string RenderText(const SourceManager& sources, const Diagnostic& d);

// "error", "warning", "note", "help".
std::string_view SeverityName(Severity severity);

}  // namespace topoc::diag
