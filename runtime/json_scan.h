// A small, allocation-free JSON scanner for the multilang hot path.
//
// The runner never builds a DOM for the messages its children send: it
// validates each message once, keeps the values it forwards (a tuple's
// value list) as raw slices of the read buffer, and decodes only what it
// needs (command names, ids, stream names, the fields a grouping hashes).
// Every string_view returned here points into the caller's text and is
// valid only as long as that text.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace topoc::runtime {

enum class JsonType { kInvalid, kNull, kBool, kNumber, kString, kArray, kObject };

// Type of a raw JSON value by its first character (no validation).
JsonType JsonTypeOf(std::string_view raw);

// Validates the JSON value starting at `p` (leading whitespace allowed) and
// returns the position just after it, or nullptr when it is not valid JSON.
// Nesting deeper than 200 levels is rejected.
const char* SkipJsonValue(const char* p, const char* end);

// Whitespace-trimmed copy of the view.
std::string_view TrimJson(std::string_view text);

// Calls `fn(key_raw, value_raw)` for each member of the JSON object `text`
// (the whole text must be one valid object, surrounding whitespace allowed).
// `key_raw` is the key without its quotes, escapes left as they are.
// Returns false when `text` is not a valid object.
template <typename Fn>
bool ForEachJsonMember(std::string_view text, Fn&& fn);

// Splits the JSON array `raw` (already validated) into raw element slices,
// appended to `out` (cleared first). Returns false when `raw` is no array.
bool SplitJsonArray(std::string_view raw, std::vector<std::string_view>* out);

// Decodes a raw JSON string (with its quotes) to UTF-8. False if invalid.
bool DecodeJsonString(std::string_view raw, std::string* out);

// Parses a raw JSON integer (no fraction/exponent) into int64. False if it
// is not an integer or does not fit.
bool ParseJsonInt(std::string_view raw, int64_t* out);

// Appends `s` as a JSON string literal (with quotes and escapes).
void AppendJsonString(std::string* out, std::string_view s);

// ---- implementation of the template ----
namespace json_detail {
const char* SkipWs(const char* p, const char* end);
const char* SkipString(const char* p, const char* end);
}  // namespace json_detail

template <typename Fn>
bool ForEachJsonMember(std::string_view text, Fn&& fn) {
  const char* p = json_detail::SkipWs(text.data(), text.data() + text.size());
  const char* end = text.data() + text.size();
  if (p == end || *p != '{') return false;
  p = json_detail::SkipWs(p + 1, end);
  if (p < end && *p == '}') {
    p = json_detail::SkipWs(p + 1, end);
    return p == end;
  }
  while (true) {
    if (p == end || *p != '"') return false;
    const char* key_end = json_detail::SkipString(p, end);
    if (!key_end) return false;
    std::string_view key(p + 1, static_cast<size_t>(key_end - p - 2));
    p = json_detail::SkipWs(key_end, end);
    if (p == end || *p != ':') return false;
    p = json_detail::SkipWs(p + 1, end);
    const char* value_end = SkipJsonValue(p, end);
    if (!value_end) return false;
    fn(key, std::string_view(p, static_cast<size_t>(value_end - p)));
    p = json_detail::SkipWs(value_end, end);
    if (p == end) return false;
    if (*p == ',') {
      p = json_detail::SkipWs(p + 1, end);
      continue;
    }
    if (*p != '}') return false;
    p = json_detail::SkipWs(p + 1, end);
    return p == end;
  }
}

}  // namespace topoc::runtime
