#include "compiler/diag/renderer.h"

#include <sstream>

#include <fmt/format.h>

#include "support/utf8.h"

namespace topoc::diag {

namespace {

constexpr const char* kBold = "\033[1m";
constexpr const char* kRed = "\033[1;31m";
constexpr const char* kYellow = "\033[1;33m";
constexpr const char* kCyan = "\033[1;36m";
constexpr const char* kGreen = "\033[1;32m";
constexpr const char* kBlue = "\033[1;34m";

// U+FFFD REPLACEMENT CHARACTER: how every invalid UTF-8 byte is shown.
constexpr std::string_view kReplacement = "\xEF\xBF\xBD";
constexpr std::string_view kEllipsis = "\xE2\x80\xA6";  // …

// Source text shown to a terminal, one display cell per code point: each
// byte of an invalid UTF-8 sequence (stray continuation bytes, truncated,
// overlong, surrogate or out-of-range sequences alike) becomes U+FFFD,
// control bytes become '?', so random input cannot drive the terminal;
// tabs are kept so the underline lines up.
std::string Printable(std::string_view line) {
  std::string out;
  out.reserve(line.size());
  for (size_t i = 0; i < line.size();) {
    auto c = static_cast<unsigned char>(line[i]);
    if (c >= 0x80) {
      size_t n = Utf8SequenceLength(line, i);
      if (n == 0) {
        out.append(kReplacement);
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

// The padding that puts the underline under byte `to` of `line`, counted
// from byte `from`: one space per displayed character (what Printable
// shows), a tab for a tab.
std::string Pad(std::string_view line, size_t from, size_t to) {
  std::string pad;
  for (size_t i = from; i < to;) {
    size_t n = static_cast<unsigned char>(line[i]) < 0x80 ? 1 : Utf8SequenceLength(line, i);
    pad.push_back(line[i] == '\t' ? '\t' : ' ');
    i += n == 0 ? 1 : n;
  }
  return pad;
}

// Displayed characters in line[from, to).
size_t Width(std::string_view line, size_t from, size_t to) { return Pad(line, from, to).size(); }

// Moves `at` back to the start of the UTF-8 sequence it is inside (at most
// three bytes), so a window never cuts a character in two.
size_t CharStart(std::string_view line, size_t at) {
  for (int k = 0; k < 3 && at > 0 && at < line.size() &&
                  (static_cast<unsigned char>(line[at]) & 0xC0) == 0x80;
       ++k) {
    --at;
  }
  return at;
}

}  // namespace

std::string Shorten(std::string_view text) {
  if (text.size() <= kMaxMessageBytes) return std::string(text);
  size_t keep = (kMaxMessageBytes - kEllipsis.size()) / 2;
  size_t head = CharStart(text, keep);
  size_t tail = CharStart(text, text.size() - keep);
  return std::string(text.substr(0, head)) + std::string(kEllipsis) + std::string(text.substr(tail));
}

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
  std::string number = std::to_string(start.line);
  std::string gutter(number.size() + 2, ' ');
  // Underline: from the start column to the end column on the same line, or
  // to the end of the line when the span runs on.
  size_t from = start.column - 1;
  size_t to = end.line == start.line ? end.column - 1 : line.size();
  if (from > line.size()) from = line.size();
  if (to > line.size()) to = line.size();
  if (to < from) to = from;
  // A long line is cut to a window of about kSnippetWidth bytes around the
  // span, with "…" where text was left out; a span longer than the window
  // is underlined to the window's end.
  size_t ws = 0, we = line.size();
  if (line.size() > kSnippetWidth) {
    ws = from > kSnippetContext ? CharStart(line, from - kSnippetContext) : 0;
    we = std::min(line.size(), ws + kSnippetWidth);
    if (we < line.size()) we = CharStart(line, we);
    if (we <= from) we = std::min(line.size(), from + 1);
  }
  std::string shown = (ws > 0 ? std::string(kEllipsis) : "") + Printable(line.substr(ws, we - ws)) +
                      (we < line.size() ? std::string(kEllipsis) : "");
  out << Paint(" " + number + " |", kBlue) << " " << shown << "\n";
  std::string pad = (ws > 0 ? " " : "") + Pad(line, ws, from);
  size_t width = Width(line, from, std::min(to, we));
  std::string mark;
  if (primary) {
    mark = "^";
    if (width > 1) mark += std::string(width - 1, '~');
  } else {
    mark = std::string(width > 0 ? width : 1, '-');
  }
  if (!label.empty()) mark += " " + Shorten(label);
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
  out << head << Paint(level, colour) << Paint(": " + Shorten(d.message), kBold) << "\n";
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
    s["label"] = label.empty() ? J(nullptr) : J(Shorten(label));
    s["suggested_replacement"] = replacement ? J(*replacement) : J(nullptr);
    return s;
  };
  J j;
  j["level"] = std::string(SeverityName(d.severity));
  j["code"] = d.code.empty() ? J(nullptr) : J(d.code);
  j["message"] = Shorten(d.message);
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

namespace {

// `text` as a JSON string, escaped by nlohmann::json exactly as ToJson's
// dump escapes it (invalid UTF-8 replaced by U+FFFD rather than thrown).
void AppendString(std::string_view text, std::string& out) {
  out += nlohmann::json(text).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

void AppendStringOrNull(const std::string* text, std::string& out) {
  if (text) {
    AppendString(*text, out);
  } else {
    out += "null";
  }
}

}  // namespace

// The same bytes as ToJson(d, top_level).dump(-1, ' ', false, replace)
// (renderer_test.cc compares them), written directly: building the
// ordered_json tree cost a few dozen allocations per diagnostic, most of
// the time `topoc check --format json` (and the fuzzer) spent rendering.
void JsonRenderer::Write(const Diagnostic& d, bool top_level, std::string& out) const {
  auto span_json = [&](Span span, bool primary, std::string_view label,
                       const std::string* replacement) {
    LineCol a = sources_.GetLineCol(span.file, span.begin);
    LineCol b = sources_.GetLineCol(span.file, span.end);
    out += "{\"file_name\":";
    AppendString(sources_.Path(span.file), out);
    out += fmt::format(
        ",\"byte_start\":{},\"byte_end\":{},\"line_start\":{},\"column_start\":{},\"line_end\":{},"
        "\"column_end\":{},\"is_primary\":{},\"label\":",
        span.begin, span.end, a.line, a.column, b.line, b.column, primary);
    if (label.empty()) {
      out += "null";
    } else {
      AppendString(Shorten(label), out);
    }
    out += ",\"suggested_replacement\":";
    AppendStringOrNull(replacement, out);
    out += '}';
  };
  out += "{\"level\":";
  AppendString(SeverityName(d.severity), out);
  out += ",\"code\":";
  AppendStringOrNull(d.code.empty() ? nullptr : &d.code, out);
  out += ",\"message\":";
  AppendString(Shorten(d.message), out);
  out += ",\"spans\":[";
  auto usable = [&](Span s) { return s.valid() && s.file < sources_.FileCount(); };
  const std::string* primary_replacement = nullptr;
  for (const FixIt& f : d.fixits) {
    if (f.range.file == d.primary.file && f.range.begin == d.primary.begin &&
        f.range.end == d.primary.end) {
      primary_replacement = &f.replacement;
    }
  }
  bool first = true;
  auto comma = [&] {
    if (!first) out += ',';
    first = false;
  };
  if (usable(d.primary)) {
    comma();
    span_json(d.primary, true, d.primary_label, primary_replacement);
  }
  for (const Label& l : d.labels) {
    if (!usable(l.span)) continue;
    comma();
    span_json(l.span, false, l.text, nullptr);
  }
  for (const FixIt& f : d.fixits) {
    if (&f.replacement == primary_replacement || !usable(f.range)) continue;
    comma();
    span_json(f.range, false, "", &f.replacement);
  }
  out += "],\"children\":[";
  first = true;
  for (const Diagnostic& c : d.notes) {
    comma();
    Write(c, false, out);
  }
  out += "],\"rendered\":";
  if (top_level) {
    AppendString(RenderText(sources_, d), out);
  } else {
    out += "null";
  }
  out += '}';
}

void JsonRenderer::Render(const Diagnostic& d, std::ostream& out) {
  // Source text may hold invalid UTF-8: replaced rather than thrown.
  std::string line;
  Write(d, true, line);
  line += '\n';
  out << line;
}

}  // namespace topoc::diag
