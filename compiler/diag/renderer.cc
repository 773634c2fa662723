#include "compiler/diag/renderer.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <iterator>

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

// Word-at-a-time tests, eight bytes per step, for the byte loops below:
// under the fuzzer's comparison tracing (every compare a callback) a test
// per byte made rendering the biggest cost of check_fuzzer. Exact as
// yes/no answers for any word (the "hasless" bit trick).
constexpr uint64_t kOnes = 0x0101010101010101ULL;
constexpr uint64_t kHighBits = 0x8080808080808080ULL;
uint64_t Load8(const char* p) {
  uint64_t w;
  std::memcpy(&w, p, sizeof w);
  return w;
}
// Nonzero iff a byte of `w` is below `n` (n <= 128).
constexpr uint64_t AnyBelow(uint64_t w, uint8_t n) { return (w - kOnes * n) & ~w & kHighBits; }
// Nonzero iff a byte of `w` equals `b`.
constexpr uint64_t AnyEqual(uint64_t w, uint8_t b) { return AnyBelow(w ^ (kOnes * b), 1); }

// Source text shown to a terminal, one display cell per code point: each
// byte of an invalid UTF-8 sequence (stray continuation bytes, truncated,
// overlong, surrogate or out-of-range sequences alike) becomes U+FFFD,
// control bytes become '?', so random input cannot drive the terminal;
// tabs are kept so the underline lines up.
void AppendPrintable(std::string_view line, std::string& out) {
  for (size_t i = 0; i < line.size();) {
    if (i + 8 <= line.size()) {
      uint64_t w = Load8(line.data() + i);
      if (!((w & kHighBits) | AnyBelow(w, 0x20) | AnyEqual(w, 0x7f))) {  // 8 printable ASCII
        out.append(line.data() + i, 8);
        i += 8;
        continue;
      }
    }
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
}

// The padding that puts the underline under byte `to` of `line`, counted
// from byte `from`: one space per displayed character (what AppendPrintable
// shows), a tab for a tab.
void AppendPad(std::string_view line, size_t from, size_t to, std::string& out) {
  for (size_t i = from; i < to;) {
    if (i + 8 <= to) {
      uint64_t w = Load8(line.data() + i);
      if (!((w & kHighBits) | AnyEqual(w, '\t'))) {  // 8 ASCII characters, no tab
        out.append(8, ' ');
        i += 8;
        continue;
      }
    }
    size_t n = static_cast<unsigned char>(line[i]) < 0x80 ? 1 : Utf8SequenceLength(line, i);
    out.push_back(line[i] == '\t' ? '\t' : ' ');
    i += n == 0 ? 1 : n;
  }
}

// Displayed characters in line[from, to) (the padding's length).
size_t Width(std::string_view line, size_t from, size_t to) {
  size_t width = 0;
  for (size_t i = from; i < to;) {
    if (i + 8 <= to && !(Load8(line.data() + i) & kHighBits)) {  // 8 ASCII characters
      width += 8;
      i += 8;
      continue;
    }
    size_t n = static_cast<unsigned char>(line[i]) < 0x80 ? 1 : Utf8SequenceLength(line, i);
    i += n == 0 ? 1 : n;
    ++width;
  }
  return width;
}

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

// The replacement of the fix-it whose range is the primary span (the last
// one, if several): both JSON forms show it on the primary span itself.
const std::string* PrimaryReplacement(const Diagnostic& d) {
  const std::string* found = nullptr;
  for (const FixIt& f : d.fixits) {
    if (f.range.file == d.primary.file && f.range.begin == d.primary.begin && f.range.end == d.primary.end) {
      found = &f.replacement;
    }
  }
  return found;
}

}  // namespace

std::string Shorten(std::string_view text) {
  if (text.size() <= kMaxMessageBytes) return std::string(text);
  size_t keep = (kMaxMessageBytes - kEllipsis.size()) / 2;
  size_t head = CharStart(text, keep);
  size_t tail = CharStart(text, text.size() - keep);
  return std::string(text.substr(0, head)) + std::string(kEllipsis) + std::string(text.substr(tail));
}

namespace {

// Appends Shorten(text) (without a copy when it is short).
void AppendShortened(std::string_view text, std::string& out) {
  if (text.size() <= kMaxMessageBytes) {
    out += text;
  } else {
    out += Shorten(text);
  }
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

// Text is written to a std::string, appended piece by piece: building
// each line from temporary strings cost a dozen allocations per snippet,
// which under AddressSanitizer was much of the fuzzer's time.
void TextRenderer::Open(const char* code, std::string& out) const {
  if (colour_) out += code;
}

void TextRenderer::Close(std::string& out) const {
  if (colour_) out += "\033[0m";
}

void TextRenderer::RenderSnippet(Span span, std::string_view label, bool primary,
                                 std::string& out) const {
  if (!span.valid() || span.file >= sources_.FileCount()) return;
  LineCol start = sources_.GetLineCol(span.file, span.begin);
  LineCol end = sources_.GetLineCol(span.file, span.end);
  std::string_view line = sources_.GetLine(span.file, start.line);
  fmt::format_int number(start.line);
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
  // " 12 | the line"
  Open(kBlue, out);
  out += ' ';
  out.append(number.data(), number.size());
  out += " |";
  Close(out);
  out += ' ';
  if (ws > 0) out += kEllipsis;
  AppendPrintable(line.substr(ws, we - ws), out);
  if (we < line.size()) out += kEllipsis;
  out += '\n';
  // "    |       ^~~~ label"
  Open(kBlue, out);
  out.append(number.size() + 2, ' ');
  out += '|';
  Close(out);
  out += ' ';
  if (ws > 0) out += ' ';
  AppendPad(line, ws, from, out);
  size_t width = Width(line, from, std::min(to, we));
  Open(primary ? kGreen : kBlue, out);
  if (primary) {
    out += '^';
    if (width > 1) out.append(width - 1, '~');
  } else {
    out.append(width > 0 ? width : 1, '-');
  }
  if (!label.empty()) {
    out += ' ';
    AppendShortened(label, out);
  }
  Close(out);
  out += '\n';
}

void TextRenderer::RenderTo(const Diagnostic& d, std::string& out) const {
  if (d.primary.valid() && d.primary.file < sources_.FileCount() && d.severity != Severity::kHelp) {
    LineCol lc = sources_.GetLineCol(d.primary.file, d.primary.begin);
    Open(kBold, out);
    fmt::format_to(std::back_inserter(out), "{}:{}:{}: ", sources_.Path(d.primary.file), lc.line,
                   lc.column);
    Close(out);
  }
  const char* colour = kRed;
  if (d.severity == Severity::kWarning) colour = kYellow;
  if (d.severity == Severity::kNote) colour = kCyan;
  if (d.severity == Severity::kHelp) colour = kGreen;
  Open(colour, out);
  out += SeverityName(d.severity);
  if (!d.code.empty()) {
    out += '[';
    out += d.code;
    out += ']';
  }
  Close(out);
  Open(kBold, out);
  out += ": ";
  AppendShortened(d.message, out);
  Close(out);
  out += '\n';
  if (d.severity != Severity::kHelp) {
    RenderSnippet(d.primary, d.primary_label, true, out);
    for (const Label& l : d.labels) RenderSnippet(l.span, l.text, false, out);
  }
  for (const Diagnostic& child : d.notes) RenderTo(child, out);
}

void TextRenderer::Render(const Diagnostic& d, std::ostream& out) {
  buffer_.clear();  // keeps its capacity from one diagnostic to the next
  RenderTo(d, buffer_);
  out << buffer_;
}

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
  std::string out;
  TextRenderer(sources, false).RenderTo(d, out);
  return out;
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
  const std::string* primary_replacement = PrimaryReplacement(d);
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
// Valid UTF-8, nearly every string, is escaped here: `"`, `\\`, the short
// escapes and `\u00xx` for other control bytes, everything else copied
// (ensure_ascii off); text with invalid UTF-8 goes through nlohmann, whose
// replacement rules this does not repeat. Going through nlohmann for every
// string (a json copy and a dump string each) was a sixth of the fuzzer's
// time. renderer_test.cc compares the two on every byte.
void AppendString(std::string_view text, std::string& out) {
  for (size_t i = 0; i < text.size();) {
    if (i + 8 <= text.size() && !(Load8(text.data() + i) & kHighBits)) {
      i += 8;
      continue;
    }
    if (static_cast<unsigned char>(text[i]) < 0x80) {
      ++i;
      continue;
    }
    size_t n = Utf8SequenceLength(text, i);
    if (n == 0) {
      out += nlohmann::json(text).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
      return;
    }
    i += n;
  }
  out.reserve(out.size() + text.size() + 2);
  out += '"';
  size_t run = 0;  // start of the bytes not yet copied
  for (size_t i = 0; i < text.size(); ++i) {
    if (i + 8 <= text.size()) {
      uint64_t w = Load8(text.data() + i);
      if (!(AnyBelow(w, 0x20) | AnyEqual(w, '"') | AnyEqual(w, '\\'))) {  // nothing to escape
        i += 7;  // and 1 by the loop
        continue;
      }
    }
    auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.append(text.data() + run, i - run);
    run = i + 1;
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default: {
        static constexpr char kHex[] = "0123456789abcdef";
        const char esc[6] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 0xF]};
        out.append(esc, 6);
      }
    }
  }
  out.append(text.data() + run, text.size() - run);
  out += '"';
}

void AppendShortenedString(std::string_view text, std::string& out) {
  if (text.size() <= kMaxMessageBytes) {
    AppendString(text, out);
  } else {
    AppendString(Shorten(text), out);
  }
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
void JsonRenderer::Write(const Diagnostic& d, bool top_level, std::string& out) {
  auto span_json = [&](Span span, bool primary, std::string_view label,
                       const std::string* replacement) {
    LineCol a = sources_.GetLineCol(span.file, span.begin);
    LineCol b = sources_.GetLineCol(span.file, span.end);
    out += "{\"file_name\":";
    AppendString(sources_.Path(span.file), out);
    fmt::format_to(
        std::back_inserter(out), ",\"byte_start\":{},\"byte_end\":{},\"line_start\":{},\"column_start\":{},\"line_end\":{},"
        "\"column_end\":{},\"is_primary\":{},\"label\":",
        span.begin, span.end, a.line, a.column, b.line, b.column, primary);
    if (label.empty()) {
      out += "null";
    } else {
      AppendShortenedString(label, out);
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
  AppendShortenedString(d.message, out);
  out += ",\"spans\":[";
  auto usable = [&](Span s) { return s.valid() && s.file < sources_.FileCount(); };
  const std::string* primary_replacement = PrimaryReplacement(d);
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
    text_.clear();
    TextRenderer(sources_, false).RenderTo(d, text_);
    AppendString(text_, out);
  } else {
    out += "null";
  }
  out += '}';
}

void JsonRenderer::Render(const Diagnostic& d, std::ostream& out) {
  // Source text may hold invalid UTF-8: replaced rather than thrown.
  // line_ and text_ keep their capacity from one diagnostic to the next.
  line_.clear();
  Write(d, true, line_);
  line_ += '\n';
  out << line_;
}

}  // namespace topoc::diag
