#include "lsp/text.h"

namespace topoc::lsp {

namespace {

// Length of the UTF-8 sequence led by `c` (1 for a stray byte).
size_t SeqLength(unsigned char c) {
  return c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 1;
}

}  // namespace

LineIndex::LineIndex(std::string_view text) : text_(text) {
  starts_.push_back(0);
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n') starts_.push_back(i + 1);
  }
}

Position LineIndex::ToPosition(size_t offset) const {
  if (offset > text_.size()) offset = text_.size();
  size_t lo = 0, hi = starts_.size();  // the last start <= offset
  while (hi - lo > 1) {
    size_t mid = (lo + hi) / 2;
    (starts_[mid] <= offset ? lo : hi) = mid;
  }
  int units = 0;
  for (size_t i = starts_[lo]; i < offset;) {
    size_t n = SeqLength(static_cast<unsigned char>(text_[i]));
    // LSP columns count UTF-16 code units (the protocol's default encoding):
    // a code point of 1-3 UTF-8 bytes is one unit, a 4-byte one two.
    units += n == 4 ? 2 : 1;  // outside the BMP: a surrogate pair
    i += n;
  }
  return Position{static_cast<int>(lo), units};
}

size_t LineIndex::ToOffset(Position pos) const {
  if (pos.line < 0) return 0;
  if (static_cast<size_t>(pos.line) >= starts_.size()) return text_.size();
  size_t i = starts_[pos.line];
  size_t end = static_cast<size_t>(pos.line) + 1 < starts_.size() ? starts_[pos.line + 1] - 1 : text_.size();
  // A position past the line's end (or inside its \r\n) clamps to the end,
  // as the protocol asks.
  if (end > i && text_[end - 1] == '\r') --end;
  int units = 0;
  while (i < end && units < pos.character) {
    size_t n = SeqLength(static_cast<unsigned char>(text_[i]));
    int u = n == 4 ? 2 : 1;
    // A position in the middle of a surrogate pair rounds down to its start.
    if (units + u > pos.character) break;
    units += u;
    i += n;
  }
  return i < end ? i : end;
}

void ApplyEdit(std::string& text, Position start, Position end, std::string_view replacement) {
  LineIndex index(text);
  size_t a = index.ToOffset(start), b = index.ToOffset(end);
  if (b < a) std::swap(a, b);
  text.replace(a, b - a, replacement);
}

std::string PathToUri(std::string_view path) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out = "file://";
  for (unsigned char c : path) {
    // Everything but RFC 3986's unreserved characters and '/' is
    // percent-encoded, so a path with spaces or UTF-8 round-trips.
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '/' ||
        c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

std::string UriToPath(std::string_view uri) {
  constexpr std::string_view kScheme = "file://";
  if (uri.substr(0, kScheme.size()) != kScheme) return "";
  uri.remove_prefix(kScheme.size());
  // file://host/path: only the local host.
  if (!uri.empty() && uri[0] != '/') {
    size_t slash = uri.find('/');
    if (slash == std::string_view::npos || uri.substr(0, slash) != "localhost") return "";
    uri.remove_prefix(slash);
  }
  auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::string out;
  for (size_t i = 0; i < uri.size(); ++i) {
    if (uri[i] == '%' && i + 2 < uri.size() && hex(uri[i + 1]) >= 0 && hex(uri[i + 2]) >= 0) {
      out += static_cast<char>(hex(uri[i + 1]) * 16 + hex(uri[i + 2]));
      i += 2;
    } else {
      out += uri[i];
    }
  }
  return out;
}

}  // namespace topoc::lsp
