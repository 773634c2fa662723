#include "compiler/diag/renderer.h"

#include <sstream>

#include <fmt/format.h>

namespace topoc::diag {

namespace {

constexpr const char* kBold = "\033[1m";
constexpr const char* kRed = "\033[1;31m";
constexpr const char* kYellow = "\033[1;33m";
constexpr const char* kCyan = "\033[1;36m";
constexpr const char* kGreen = "\033[1;32m";
constexpr const char* kBlue = "\033[1;34m";

// Length of the valid UTF-8 sequence at s[i] (2-4 bytes), or 0.
size_t MultiByteLength(std::string_view s, size_t i) {
  auto c = static_cast<unsigned char>(s[i]);
  size_t n = (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
  if (n == 0 || i + n > s.size()) return 0;
  for (size_t k = 1; k < n; ++k) {
    if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return 0;
  }
  return n;
}

// Source text shown to a terminal: control bytes and invalid UTF-8 become
// '?' (one per byte, so columns still line up) and random input cannot
// drive the terminal; tabs are kept so the underline lines up.
std::string Printable(std::string_view line) {
  std::string out;
  out.reserve(line.size());
  for (size_t i = 0; i < line.size();) {
    auto c = static_cast<unsigned char>(line[i]);
    if (c >= 0x80) {
      size_t n = MultiByteLength(line, i);
      if (n == 0) {
        out.push_back('?');
        ++i;
      } else {
        out.append(line.substr(i, n));
        i += n;
      }
      continue;
    }
    out.push_back((c < 0x20 && c != '\t') || c == 0x7f ? '?' : static_cast<char>(c));
    ++i;
  }
  return out;
}

}  // namespace

std::string_view SeverityName(Severity severity) {
  switch (severity) {
    case Severity::kError: return "error";
    case Severity::kWarning: return "warning";
    case Severity::kNote: return "note";
    case Severity::kHelp: return "help";
  }
  return "error";
}

void DiagnosticRenderer::RenderAll(const DiagnosticEngine& engine, std::ostream& out) {
  for (const Diagnostic& d : engine.diagnostics()) Render(d, out);
}

std::string TextRenderer::Paint(std::string_view text, const char* code) const {
  if (!colour_) return std::string(text);
  return std::string(code) + std::string(text) + "\033[0m";
}

void TextRenderer::RenderSnippet(Span span, std::string_view label, bool primary,
                                 std::ostream& out) const {
  if (!span.valid() || span.file >= sources_.FileCount()) return;
  LineCol start = sources_.GetLineCol(span.file, span.begin);
  LineCol end = sources_.GetLineCol(span.file, span.end);
  std::string_view line = sources_.GetLine(span.file, start.line);
  std::string shown = Printable(line);
  std::string number = std::to_string(start.line);
  std::string gutter(number.size() + 2, ' ');
  out << Paint(" " + number + " |", kBlue) << " " << shown << "\n";
  // Underline: from the start column to the end column on the same line, or
  // to the end of the line when the span runs on.
  size_t from = start.column - 1;
  size_t to = end.line == start.line ? end.column - 1 : line.size();
  if (from > line.size()) from = line.size();
  if (to > line.size()) to = line.size();
  std::string pad;
  for (size_t i = 0; i < from; ++i) pad.push_back(line[i] == '\t' ? '\t' : ' ');
  std::string mark;
  if (primary) {
    mark = "^";
    if (to > from + 1) mark += std::string(to - from - 1, '~');
  } else {
    mark = std::string(to > from ? to - from : 1, '-');
  }
  if (!label.empty()) mark += " " + std::string(label);
  out << Paint(gutter + "|", kBlue) << " " << pad << Paint(mark, primary ? kGreen : kBlue) << "\n";
}

void TextRenderer::RenderOne(const Diagnostic& d, std::ostream& out) const {
  std::string head;
  if (d.primary.valid() && d.primary.file < sources_.FileCount() && d.severity != Severity::kHelp) {
    LineCol lc = sources_.GetLineCol(d.primary.file, d.primary.begin);
    head = Paint(fmt::format("{}:{}:{}: ", sources_.Path(d.primary.file), lc.line, lc.column), kBold);
  }
  const char* colour = kRed;
  if (d.severity == Severity::kWarning) colour = kYellow;
  if (d.severity == Severity::kNote) colour = kCyan;
  if (d.severity == Severity::kHelp) colour = kGreen;
  std::string level(SeverityName(d.severity));
  if (!d.code.empty()) level += "[" + d.code + "]";
  out << head << Paint(level, colour) << Paint(": " + d.message, kBold) << "\n";
  if (d.severity != Severity::kHelp) {
    RenderSnippet(d.primary, d.primary_label, true, out);
    for (const Label& l : d.labels) RenderSnippet(l.span, l.text, false, out);
  }
  for (const Diagnostic& child : d.notes) RenderOne(child, out);
}

void TextRenderer::Render(const Diagnostic& d, std::ostream& out) { RenderOne(d, out); }

void TextRenderer::RenderAll(const DiagnosticEngine& engine, std::ostream& out) {
  DiagnosticRenderer::RenderAll(engine, out);
  size_t errors = engine.ErrorCount(), warnings = engine.WarningCount();
  if (errors == 0 && warnings == 0) return;
  std::string summary;
  if (errors) summary += fmt::format("{} error{}", errors, errors == 1 ? "" : "s");
  if (errors && warnings) summary += ", ";
  if (warnings) summary += fmt::format("{} warning{}", warnings, warnings == 1 ? "" : "s");
  out << summary << " emitted\n";
}

std::string RenderText(const SourceManager& sources, const Diagnostic& d) {
  std::ostringstream out;
  TextRenderer(sources, false).Render(d, out);
  return out.str();
}

nlohmann::ordered_json JsonRenderer::ToJson(const Diagnostic& d, bool top_level) const {
  using J = nlohmann::ordered_json;
  auto span_json = [&](Span span, bool primary, std::string_view label,
                       const std::string* replacement) {
    J s;
    s["file_name"] = sources_.Path(span.file);
    s["byte_start"] = span.begin;
    s["byte_end"] = span.end;
    LineCol a = sources_.GetLineCol(span.file, span.begin);
    LineCol b = sources_.GetLineCol(span.file, span.end);
    s["line_start"] = a.line;
    s["column_start"] = a.column;
    s["line_end"] = b.line;
    s["column_end"] = b.column;
    s["is_primary"] = primary;
    s["label"] = label.empty() ? J(nullptr) : J(std::string(label));
    s["suggested_replacement"] = replacement ? J(*replacement) : J(nullptr);
    return s;
  };
  J j;
  j["level"] = std::string(SeverityName(d.severity));
  j["code"] = d.code.empty() ? J(nullptr) : J(d.code);
  j["message"] = d.message;
  J spans = J::array();
  auto usable = [&](Span s) { return s.valid() && s.file < sources_.FileCount(); };
  const std::string* primary_replacement = nullptr;
  for (const FixIt& f : d.fixits) {
    if (f.range.file == d.primary.file && f.range.begin == d.primary.begin &&
        f.range.end == d.primary.end) {
      primary_replacement = &f.replacement;
    }
  }
  if (usable(d.primary)) spans.push_back(span_json(d.primary, true, d.primary_label, primary_replacement));
  for (const Label& l : d.labels) {
    if (usable(l.span)) spans.push_back(span_json(l.span, false, l.text, nullptr));
  }
  for (const FixIt& f : d.fixits) {
    if (&f.replacement == primary_replacement || !usable(f.range)) continue;
    spans.push_back(span_json(f.range, false, "", &f.replacement));
  }
  j["spans"] = std::move(spans);
  J children = J::array();
  for (const Diagnostic& c : d.notes) children.push_back(ToJson(c, false));
  j["children"] = std::move(children);
  j["rendered"] = top_level ? J(RenderText(sources_, d)) : J(nullptr);
  return j;
}

void JsonRenderer::Render(const Diagnostic& d, std::ostream& out) {
  // Source text may hold invalid UTF-8: replace it rather than throw.
  out << ToJson(d, true).dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace)
      << "\n";
}

}  // namespace topoc::diag
