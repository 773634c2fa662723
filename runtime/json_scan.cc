#include "runtime/json_scan.h"

#include <charconv>
#include <cstring>

#include "support/utf8.h"
#include "support/escape.h"

namespace topoc::runtime {

// A validating skipper, not a parser: it finds where each value ends and
// checks its syntax, and builds nothing. The router forwards a tuple's values
// as its emitter wrote them, so it never needs them as objects.
namespace json_detail {

const char* SkipWs(const char* p, const char* end) {
  while (p < end && (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t')) ++p;
  return p;
}

static bool IsHex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

// p at the opening quote; returns the position after the closing quote.
const char* SkipString(const char* p, const char* end) {
  ++p;
  while (p < end) {
    // Fast path: scan plain bytes.
    const char* q = p;
    while (q < end && *q != '"' && *q != '\\' && static_cast<unsigned char>(*q) >= 0x20 &&
           static_cast<unsigned char>(*q) < 0x80) {
      ++q;
    }
    p = q;
    if (p == end) return nullptr;
    char c = *p;
    if (c == '"') return p + 1;
    if (static_cast<unsigned char>(c) >= 0x80) {
      // JSON text is UTF-8 (RFC 8259): a byte that starts no valid sequence
      // would reach the Python task that gets the tuple and end it there.
      size_t n = Utf8SequenceLength(std::string_view(p, static_cast<size_t>(end - p)), 0);
      if (n == 0) return nullptr;
      p += n;
      continue;
    }
    // JSON forbids raw control characters in strings; a component that sends
    // one breaks the protocol, as a strict parser would say.
    if (c != '\\') return nullptr;  // raw control character
    if (++p == end) return nullptr;
    switch (*p) {
      case '"': case '\\': case '/': case 'b': case 'f': case 'n': case 'r': case 't':
        ++p;
        break;
      case 'u':
        if (end - p < 5 || !IsHex(p[1]) || !IsHex(p[2]) || !IsHex(p[3]) || !IsHex(p[4])) return nullptr;
        p += 5;
        break;
      default:
        return nullptr;
    }
  }
  return nullptr;
}

static const char* SkipNumber(const char* p, const char* end) {
  if (p < end && *p == '-') ++p;
  if (p == end) return nullptr;
  if (*p == '0') {
    ++p;
  } else if (*p >= '1' && *p <= '9') {
    while (p < end && *p >= '0' && *p <= '9') ++p;
  } else {
    return nullptr;
  }
  if (p < end && *p == '.') {
    ++p;
    if (p == end || *p < '0' || *p > '9') return nullptr;
    while (p < end && *p >= '0' && *p <= '9') ++p;
  }
  if (p < end && (*p == 'e' || *p == 'E')) {
    ++p;
    if (p < end && (*p == '+' || *p == '-')) ++p;
    if (p == end || *p < '0' || *p > '9') return nullptr;
    while (p < end && *p >= '0' && *p <= '9') ++p;
  }
  return p;
}

static const char* SkipLiteral(const char* p, const char* end, const char* word) {
  size_t n = std::strlen(word);
  if (static_cast<size_t>(end - p) < n || std::memcmp(p, word, n) != 0) return nullptr;
  return p + n;
}

static const char* SkipValue(const char* p, const char* end, int depth) {
  p = SkipWs(p, end);
  if (p == end) return nullptr;
  switch (*p) {
    case '"':
      return SkipString(p, end);
    case 't':
      return SkipLiteral(p, end, "true");
    case 'f':
      return SkipLiteral(p, end, "false");
    case 'n':
      return SkipLiteral(p, end, "null");
    // Nesting is bounded: a hostile message cannot overflow the stack.
    case '[': {
      if (depth > 200) return nullptr;
      p = SkipWs(p + 1, end);
      if (p < end && *p == ']') return p + 1;
      while (true) {
        p = SkipValue(p, end, depth + 1);
        if (!p) return nullptr;
        p = SkipWs(p, end);
        if (p == end) return nullptr;
        if (*p == ']') return p + 1;
        if (*p != ',') return nullptr;
        ++p;
      }
    }
    case '{': {
      if (depth > 200) return nullptr;
      p = SkipWs(p + 1, end);
      if (p < end && *p == '}') return p + 1;
      while (true) {
        p = SkipWs(p, end);
        if (p == end || *p != '"') return nullptr;
        p = SkipString(p, end);
        if (!p) return nullptr;
        p = SkipWs(p, end);
        if (p == end || *p != ':') return nullptr;
        p = SkipValue(p + 1, end, depth + 1);
        if (!p) return nullptr;
        p = SkipWs(p, end);
        if (p == end) return nullptr;
        if (*p == '}') return p + 1;
        if (*p != ',') return nullptr;
        ++p;
      }
    }
    default:
      return SkipNumber(p, end);
  }
}

}  // namespace json_detail

using json_detail::SkipWs;

JsonType JsonTypeOf(std::string_view raw) {
  if (raw.empty()) return JsonType::kInvalid;
  switch (raw[0]) {
    case 'n': return JsonType::kNull;
    case 't': case 'f': return JsonType::kBool;
    case '"': return JsonType::kString;
    case '[': return JsonType::kArray;
    case '{': return JsonType::kObject;
    default: return (raw[0] == '-' || (raw[0] >= '0' && raw[0] <= '9')) ? JsonType::kNumber : JsonType::kInvalid;
  }
}

const char* SkipJsonValue(const char* p, const char* end) { return json_detail::SkipValue(p, end, 0); }

std::string_view TrimJson(std::string_view text) {
  const char* b = SkipWs(text.data(), text.data() + text.size());
  const char* e = text.data() + text.size();
  while (e > b && (e[-1] == ' ' || e[-1] == '\n' || e[-1] == '\r' || e[-1] == '\t')) --e;
  return std::string_view(b, static_cast<size_t>(e - b));
}

// The tuple's values as views into `raw`: a fields grouping hashes the
// values it needs, the rest are never looked at.
bool SplitJsonArray(std::string_view raw, std::vector<std::string_view>* out) {
  out->clear();
  const char* p = raw.data();
  const char* end = raw.data() + raw.size();
  p = SkipWs(p, end);
  if (p == end || *p != '[') return false;
  p = SkipWs(p + 1, end);
  if (p < end && *p == ']') return true;
  while (p < end) {
    p = SkipWs(p, end);
    const char* e = SkipJsonValue(p, end);
    if (!e) return false;
    out->emplace_back(p, static_cast<size_t>(e - p));
    p = SkipWs(e, end);
    if (p == end) return false;
    if (*p == ']') return true;
    if (*p != ',') return false;
    ++p;
  }
  return false;
}

static uint32_t Hex4(const char* p) {
  uint32_t v = 0;
  for (int i = 0; i < 4; ++i) {
    char c = p[i];
    v = v * 16 + static_cast<uint32_t>(c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10);
  }
  return v;
}

bool DecodeJsonString(std::string_view raw, std::string* out) {
  out->clear();
  if (raw.size() < 2 || raw.front() != '"' || raw.back() != '"') return false;
  const char* p = raw.data() + 1;
  const char* end = raw.data() + raw.size() - 1;
  while (p < end) {
    if (*p != '\\') {
      out->push_back(*p++);
      continue;
    }
    if (++p == end) return false;
    char c = *p++;
    switch (c) {
      case '"': out->push_back('"'); break;
      case '\\': out->push_back('\\'); break;
      case '/': out->push_back('/'); break;
      case 'b': out->push_back('\b'); break;
      case 'f': out->push_back('\f'); break;
      case 'n': out->push_back('\n'); break;
      case 'r': out->push_back('\r'); break;
      case 't': out->push_back('\t'); break;
      case 'u': {
        if (end - p < 4) return false;
        uint32_t cp = Hex4(p);
        p += 4;
        // A UTF-16 surrogate pair (\ud83d\ude00) is one code point; a lone half
        // is kept as its own 3-byte sequence.
        if (cp >= 0xD800 && cp < 0xDC00 && end - p >= 6 && p[0] == '\\' && p[1] == 'u') {
          uint32_t lo = Hex4(p + 2);
          if (lo >= 0xDC00 && lo < 0xE000) {
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
            p += 6;
          }
        }
        AppendUtf8(cp, *out);
        break;
      }
      default:
        return false;
    }
  }
  return true;
}

bool ParseJsonInt(std::string_view raw, int64_t* out) {
  if (raw.empty()) return false;
  auto [ptr, ec] = std::from_chars(raw.data(), raw.data() + raw.size(), *out);
  return ec == std::errc() && ptr == raw.data() + raw.size();
}

void AppendJsonString(std::string* out, std::string_view s) { support::AppendQuoted(out, s, support::kJsonStyle); }

}  // namespace topoc::runtime
