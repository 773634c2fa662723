#include "runtime/msgpack.h"

#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>

#include "support/utf8.h"
#include "runtime/json_scan.h"

namespace topoc::runtime {

bool IsMsgpackSerializerName(std::string_view name) {
  std::string lower(name);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return lower.find("msgpack") != std::string::npos || lower.find("messagepack") != std::string::npos;
}

// ---- JSON -> MessagePack ------------------------------------------------------

namespace {

constexpr int kMaxDepth = 200;

void PutBE(std::string* out, uint64_t v, int bytes) {
  for (int i = bytes - 1; i >= 0; --i) out->push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

void PutHeader(std::string* out, uint8_t fix_base, size_t fix_max, uint8_t c16, uint8_t c32, size_t n,
               uint8_t c8 = 0) {
  if (n <= fix_max) {
    out->push_back(static_cast<char>(fix_base | n));
  } else if (c8 && n <= 0xff) {
    out->push_back(static_cast<char>(c8));
    PutBE(out, n, 1);
  } else if (n <= 0xffff) {
    out->push_back(static_cast<char>(c16));
    PutBE(out, n, 2);
  } else {
    out->push_back(static_cast<char>(c32));
    PutBE(out, n, 4);
  }
}

void PutStr(std::string* out, std::string_view s) {
  PutHeader(out, 0xa0, 31, 0xda, 0xdb, s.size(), 0xd9);
  out->append(s);
}

void PutInt(std::string* out, int64_t v) {
  if (v >= 0) {
    uint64_t u = static_cast<uint64_t>(v);
    if (u <= 0x7f) out->push_back(static_cast<char>(u));
    else if (u <= 0xff) { out->push_back(static_cast<char>(0xcc)); PutBE(out, u, 1); }
    else if (u <= 0xffff) { out->push_back(static_cast<char>(0xcd)); PutBE(out, u, 2); }
    else if (u <= 0xffffffffULL) { out->push_back(static_cast<char>(0xce)); PutBE(out, u, 4); }
    else { out->push_back(static_cast<char>(0xcf)); PutBE(out, u, 8); }
  } else if (v >= -32) {
    out->push_back(static_cast<char>(v));
  } else if (v >= INT8_MIN) {
    out->push_back(static_cast<char>(0xd0)); PutBE(out, static_cast<uint64_t>(v), 1);
  } else if (v >= INT16_MIN) {
    out->push_back(static_cast<char>(0xd1)); PutBE(out, static_cast<uint64_t>(v), 2);
  } else if (v >= INT32_MIN) {
    out->push_back(static_cast<char>(0xd2)); PutBE(out, static_cast<uint64_t>(v), 4);
  } else {
    out->push_back(static_cast<char>(0xd3)); PutBE(out, static_cast<uint64_t>(v), 8);
  }
}

void PutDouble(std::string* out, double d) {
  uint64_t bits;
  std::memcpy(&bits, &d, 8);
  out->push_back(static_cast<char>(0xcb));
  PutBE(out, bits, 8);
}

void FixHeader(std::string* out, size_t at, size_t n, uint8_t fix_base, uint8_t c16, uint8_t c32) {
  if (n <= 15) {
    (*out)[at] = static_cast<char>(fix_base | n);
    return;
  }
  std::string h;
  PutHeader(&h, fix_base, 15, c16, c32, n);
  out->replace(at, 1, h);
}

// One pass over the JSON text, writing MessagePack as it goes. A container
// gets a one-byte header, widened in place when it has over 15 elements.
struct Encoder {
  const char* p;
  const char* end;
  std::string* out;
  std::string tmp;

  bool Literal(std::string_view word, uint8_t byte) {
    if (static_cast<size_t>(end - p) < word.size() || std::memcmp(p, word.data(), word.size()) != 0) return false;
    p += word.size();
    out->push_back(static_cast<char>(byte));
    return true;
  }
  bool String() {
    const char* e = json_detail::SkipString(p, end);
    if (!e) return false;
    std::string_view raw(p, static_cast<size_t>(e - p));
    p = e;
    std::string_view body = raw.substr(1, raw.size() - 2);
    if (body.find('\\') == std::string_view::npos) {
      PutStr(out, body);
      return true;
    }
    if (!DecodeJsonString(raw, &tmp)) return false;
    PutStr(out, tmp);
    return true;
  }
  bool Number() {
    const char* e = SkipJsonValue(p, end);
    if (!e) return false;
    std::string_view raw(p, static_cast<size_t>(e - p));
    p = e;
    if (raw.find_first_of(".eE") == std::string_view::npos) {
      int64_t i;
      if (ParseJsonInt(raw, &i)) {
        PutInt(out, i);
        return true;
      }
      uint64_t u;
      auto r = std::from_chars(raw.data(), raw.data() + raw.size(), u);
      if (r.ec == std::errc() && r.ptr == raw.data() + raw.size()) {
        out->push_back(static_cast<char>(0xcf));
        PutBE(out, u, 8);
        return true;
      }
    }
    double d = 0;
    auto r = std::from_chars(raw.data(), raw.data() + raw.size(), d);
    if (r.ptr != raw.data() + raw.size()) return false;
    PutDouble(out, d);
    return true;
  }
  bool Value(int depth) {
    p = json_detail::SkipWs(p, end);
    if (p == end) return false;
    switch (*p) {
      case 'n': return Literal("null", 0xc0);
      case 't': return Literal("true", 0xc3);
      case 'f': return Literal("false", 0xc2);
      case '"': return String();
      case '[': {
        if (depth >= kMaxDepth) return false;  // containers at depth 0..199
        ++p;
        size_t at = out->size();
        out->push_back(0);
        size_t n = 0;
        p = json_detail::SkipWs(p, end);
        if (p < end && *p == ']') {
          ++p;
        } else {
          while (true) {
            if (!Value(depth + 1)) return false;
            ++n;
            p = json_detail::SkipWs(p, end);
            if (p == end) return false;
            if (*p == ',') { ++p; continue; }
            if (*p != ']') return false;
            ++p;
            break;
          }
        }
        FixHeader(out, at, n, 0x90, 0xdc, 0xdd);
        return true;
      }
      case '{': {
        if (depth >= kMaxDepth) return false;
        ++p;
        size_t at = out->size();
        out->push_back(0);
        size_t n = 0;
        p = json_detail::SkipWs(p, end);
        if (p < end && *p == '}') {
          ++p;
        } else {
          while (true) {
            p = json_detail::SkipWs(p, end);
            if (p == end || *p != '"' || !String()) return false;
            p = json_detail::SkipWs(p, end);
            if (p == end || *p != ':') return false;
            ++p;
            if (!Value(depth + 1)) return false;
            ++n;
            p = json_detail::SkipWs(p, end);
            if (p == end) return false;
            if (*p == ',') { ++p; continue; }
            if (*p != '}') return false;
            ++p;
            break;
          }
        }
        FixHeader(out, at, n, 0x80, 0xde, 0xdf);
        return true;
      }
      default: return Number();
    }
  }
};

}  // namespace

void AppendMsgpackStr(std::string* out, std::string_view s) { PutStr(out, s); }
void AppendMsgpackInt(std::string* out, int64_t v) { PutInt(out, v); }
void AppendMsgpackArrayHeader(std::string* out, size_t n) { PutHeader(out, 0x90, 15, 0xdc, 0xdd, n); }
void AppendMsgpackMapHeader(std::string* out, size_t n) { PutHeader(out, 0x80, 15, 0xde, 0xdf, n); }

bool AppendMsgpackFromJson(std::string* out, std::string_view json) {
  Encoder e{json.data(), json.data() + json.size(), out, {}};
  if (!e.Value(0)) return false;
  return json_detail::SkipWs(e.p, e.end) == e.end;
}

// ---- MessagePack -> JSON ------------------------------------------------------

namespace {

struct Decoder {
  const uint8_t* p;
  const uint8_t* end;
  std::string* out;
  std::string* error;
  std::vector<JsonMemberSpan>* members = nullptr;  // the top-level map's
  bool incomplete = false;

  bool Need(size_t n) {
    if (static_cast<size_t>(end - p) < n) {
      incomplete = true;
      return false;
    }
    return true;
  }
  bool Fail(const std::string& why) {
    *error = why;
    return false;
  }
  uint64_t BE(int bytes) {
    uint64_t v = 0;
    for (int i = 0; i < bytes; ++i) v = (v << 8) | *p++;
    return v;
  }
  bool Len(int bytes, size_t* n) {
    if (!Need(static_cast<size_t>(bytes))) return false;
    *n = static_cast<size_t>(BE(bytes));
    return true;
  }
  void Uint(uint64_t u) {
    char buf[24];
    auto r = std::to_chars(buf, buf + sizeof buf, u);
    out->append(buf, r.ptr);
  }
  void Int(int64_t v) {
    char buf[24];
    auto r = std::to_chars(buf, buf + sizeof buf, v);
    out->append(buf, r.ptr);
  }
  template <typename F>
  void Float(F f) {
    if (!std::isfinite(f)) {
      out->append("null");
      return;
    }
    char buf[40];
    auto r = std::to_chars(buf, buf + sizeof buf, f);
    std::string_view s(buf, static_cast<size_t>(r.ptr - buf));
    out->append(s);
    // Keep it a float for hashing and for Python (3.0, not 3).
    if (s.find_first_of(".e") == std::string_view::npos) out->append(".0");
  }
  bool Str(size_t n) {
    if (!Need(n)) return false;
    std::string_view text(reinterpret_cast<const char*>(p), n);
    // MessagePack's str is UTF-8; invalid bytes would end the task that
    // gets the tuple (its decoder refuses them), so they end the sender.
    if (FirstInvalidUtf8(text) != std::string_view::npos) return Fail("a string that is not valid UTF-8");
    AppendJsonString(out, text);
    p += n;
    return true;
  }
  bool Bin(size_t n) {
    if (!Need(n)) return false;
    static const char kHex[] = "0123456789abcdef";
    out->push_back('"');
    for (size_t i = 0; i < n; ++i) {
      uint8_t b = p[i];
      if (b >= 0x20 && b < 0x7f && b != '"' && b != '\\') {
        out->push_back(static_cast<char>(b));
      } else {
        out->append("\\u00");
        out->push_back(kHex[b >> 4]);
        out->push_back(kHex[b & 15]);
      }
    }
    out->push_back('"');
    p += n;
    return true;
  }
  bool Array(size_t n, int depth) {
    if (depth >= kMaxDepth) return Fail("nesting deeper than 200 levels");
    out->push_back('[');
    for (size_t i = 0; i < n; ++i) {
      if (i) out->push_back(',');
      if (!Value(depth + 1)) return false;
    }
    out->push_back(']');
    return true;
  }
  bool Map(size_t n, int depth) {
    if (depth >= kMaxDepth) return Fail("nesting deeper than 200 levels");
    out->push_back('{');
    std::vector<JsonMemberSpan>* spans = depth == 0 ? members : nullptr;
    for (size_t i = 0; i < n; ++i) {
      if (i) out->push_back(',');
      if (!Need(1)) return false;
      size_t key_at = out->size() + 1;
      uint8_t c = *p;
      bool is_str = (c >= 0xa0 && c <= 0xbf) || (c >= 0xd9 && c <= 0xdb);
      bool is_int = c <= 0x7f || c >= 0xe0 || (c >= 0xcc && c <= 0xcf) || (c >= 0xd0 && c <= 0xd3);
      if (is_int) {
        out->push_back('"');
        if (!Value(depth + 1)) return false;
        out->push_back('"');
      } else if (is_str) {
        if (!Value(depth + 1)) return false;
      } else {
        return Fail("a map key that is neither a string nor an integer (type byte 0x" + Hex(c) + ")");
      }
      size_t key_size = out->size() - 1 - key_at;
      out->push_back(':');
      size_t value_at = out->size();
      if (!Value(depth + 1)) return false;
      if (spans) spans->push_back({key_at, key_size, value_at, out->size() - value_at});
    }
    out->push_back('}');
    return true;
  }
  static std::string Hex(uint8_t c) {
    static const char kHex[] = "0123456789abcdef";
    return std::string{kHex[c >> 4], kHex[c & 15]};
  }
  bool Value(int depth) {
    if (!Need(1)) return false;
    uint8_t c = *p++;
    size_t n;
    if (c <= 0x7f) { Uint(c); return true; }
    if (c >= 0xe0) { Int(static_cast<int8_t>(c)); return true; }
    if (c >= 0x80 && c <= 0x8f) return Map(c & 0x0f, depth);
    if (c >= 0x90 && c <= 0x9f) return Array(c & 0x0f, depth);
    if (c >= 0xa0 && c <= 0xbf) return Str(c & 0x1f);
    switch (c) {
      case 0xc0: out->append("null"); return true;
      case 0xc2: out->append("false"); return true;
      case 0xc3: out->append("true"); return true;
      case 0xc4: return Len(1, &n) && Bin(n);
      case 0xc5: return Len(2, &n) && Bin(n);
      case 0xc6: return Len(4, &n) && Bin(n);
      case 0xca: {
        if (!Need(4)) return false;
        uint32_t bits = static_cast<uint32_t>(BE(4));
        float f;
        std::memcpy(&f, &bits, 4);
        Float(f);
        return true;
      }
      case 0xcb: {
        if (!Need(8)) return false;
        uint64_t bits = BE(8);
        double d;
        std::memcpy(&d, &bits, 8);
        Float(d);
        return true;
      }
      case 0xcc: if (!Need(1)) return false; Uint(BE(1)); return true;
      case 0xcd: if (!Need(2)) return false; Uint(BE(2)); return true;
      case 0xce: if (!Need(4)) return false; Uint(BE(4)); return true;
      case 0xcf: if (!Need(8)) return false; Uint(BE(8)); return true;
      case 0xd0: if (!Need(1)) return false; Int(static_cast<int8_t>(BE(1))); return true;
      case 0xd1: if (!Need(2)) return false; Int(static_cast<int16_t>(BE(2))); return true;
      case 0xd2: if (!Need(4)) return false; Int(static_cast<int32_t>(BE(4))); return true;
      case 0xd3: if (!Need(8)) return false; Int(static_cast<int64_t>(BE(8))); return true;
      case 0xd9: return Len(1, &n) && Str(n);
      case 0xda: return Len(2, &n) && Str(n);
      case 0xdb: return Len(4, &n) && Str(n);
      case 0xdc: return Len(2, &n) && Array(n, depth);
      case 0xdd: return Len(4, &n) && Array(n, depth);
      case 0xde: return Len(2, &n) && Map(n, depth);
      case 0xdf: return Len(4, &n) && Map(n, depth);
      case 0xc1: return Fail("byte 0xc1, which MessagePack never uses");
      default: return Fail("unsupported MessagePack type (ext, byte 0x" + Hex(c) + ")");
    }
  }
};

}  // namespace

MsgpackStatus MsgpackToJson(const char* p, const char* end, std::string* json, size_t* used,
                            std::string* error) {
  return MsgpackToJson(p, end, json, used, error, nullptr);
}

MsgpackStatus MsgpackToJson(const char* p, const char* end, std::string* json, size_t* used, std::string* error,
                            std::vector<JsonMemberSpan>* members) {
  json->clear();
  error->clear();
  if (members) members->clear();
  Decoder d{reinterpret_cast<const uint8_t*>(p), reinterpret_cast<const uint8_t*>(end), json, error, members};
  if (d.Value(0)) {
    *used = static_cast<size_t>(reinterpret_cast<const char*>(d.p) - p);
    return MsgpackStatus::kOk;
  }
  if (d.incomplete && error->empty()) return MsgpackStatus::kIncomplete;
  if (error->empty()) *error = "invalid MessagePack";
  return MsgpackStatus::kInvalid;
}

}  // namespace topoc::runtime
