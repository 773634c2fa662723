#include "runtime/java_hash.h"

#include <charconv>
#include <cstring>
#include <string>

#include "runtime/json_scan.h"

namespace topoc::runtime {

namespace {

inline void HashUnit(int32_t& h, uint32_t unit) {
  h = static_cast<int32_t>(31u * static_cast<uint32_t>(h) + unit);
}

inline void HashCodePoint(int32_t& h, uint32_t cp) {
  if (cp < 0x10000) {
    HashUnit(h, cp);
  } else {
    cp -= 0x10000;
    HashUnit(h, 0xD800 + (cp >> 10));
    HashUnit(h, 0xDC00 + (cp & 0x3FF));
  }
}

// Hashes UTF-8 bytes [p, end) as Java would after decoding (malformed bytes
// become U+FFFD, as Java's decoder does).
void HashUtf8(int32_t& h, const unsigned char* p, const unsigned char* end) {
  while (p < end) {
    unsigned char c = *p;
    if (c < 0x80) {
      HashUnit(h, c);
      ++p;
      continue;
    }
    int len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 0;
    if (len == 0 || end - p < len) {
      HashUnit(h, 0xFFFD);
      ++p;
      continue;
    }
    uint32_t cp = c & (0x7F >> len);
    bool ok = true;
    for (int i = 1; i < len; ++i) {
      if ((p[i] & 0xC0) != 0x80) {
        ok = false;
        break;
      }
      cp = (cp << 6) | (p[i] & 0x3F);
    }
    if (!ok) {
      HashUnit(h, 0xFFFD);
      ++p;
      continue;
    }
    HashCodePoint(h, cp);
    p += len;
  }
}

uint32_t Hex4(const char* p) {
  uint32_t v = 0;
  for (int i = 0; i < 4; ++i) {
    char c = p[i];
    v = v * 16 + static_cast<uint32_t>(c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10);
  }
  return v;
}

// Hash of a raw JSON string literal without building the decoded string.
int32_t HashJsonString(std::string_view raw) {
  int32_t h = 0;
  const char* p = raw.data() + 1;
  const char* end = raw.data() + raw.size() - 1;
  while (p < end) {
    const char* q = p;
    while (q < end && *q != '\\') ++q;
    HashUtf8(h, reinterpret_cast<const unsigned char*>(p), reinterpret_cast<const unsigned char*>(q));
    p = q;
    if (p >= end) break;
    ++p;  // backslash
    char c = *p++;
    switch (c) {
      case 'b': HashUnit(h, '\b'); break;
      case 'f': HashUnit(h, '\f'); break;
      case 'n': HashUnit(h, '\n'); break;
      case 'r': HashUnit(h, '\r'); break;
      case 't': HashUnit(h, '\t'); break;
      case 'u':
        // \uXXXX is one UTF-16 unit already (surrogates pass through).
        HashUnit(h, Hex4(p));
        p += 4;
        break;
      default: HashUnit(h, static_cast<unsigned char>(c)); break;
    }
  }
  return h;
}

int32_t LongHash(int64_t v) {
  uint64_t u = static_cast<uint64_t>(v);
  return static_cast<int32_t>(static_cast<uint32_t>(u ^ (u >> 32)));
}

// BigInteger.hashCode of the decimal digit string (sign separate).
int32_t BigIntegerHash(std::string_view digits, bool negative) {
  std::vector<uint32_t> mag;  // little-endian base 2^32
  for (char d : digits) {
    uint64_t carry = static_cast<uint64_t>(d - '0');
    for (auto& limb : mag) {
      uint64_t v = static_cast<uint64_t>(limb) * 10 + carry;
      limb = static_cast<uint32_t>(v);
      carry = v >> 32;
    }
    if (carry) mag.push_back(static_cast<uint32_t>(carry));
  }
  while (!mag.empty() && mag.back() == 0) mag.pop_back();
  if (mag.empty()) return 0;
  uint32_t h = 0;
  for (auto it = mag.rbegin(); it != mag.rend(); ++it) h = 31u * h + *it;
  return negative ? -static_cast<int32_t>(h) : static_cast<int32_t>(h);
}

int32_t HashJsonNumber(std::string_view raw) {
  bool is_float = raw.find_first_of(".eE") != std::string_view::npos;
  if (!is_float) {
    int64_t v;
    auto [ptr, ec] = std::from_chars(raw.data(), raw.data() + raw.size(), v);
    if (ec == std::errc() && ptr == raw.data() + raw.size()) {
      if (v >= INT32_MIN && v <= INT32_MAX) return static_cast<int32_t>(v);  // Integer
      return LongHash(v);                                                     // Long
    }
    bool neg = raw[0] == '-';
    return BigIntegerHash(raw.substr(neg ? 1 : 0), neg);  // BigInteger
  }
  if (raw.size() > 18) {
    // BigDecimal: 31 * unscaledValue.hashCode() + scale.
    bool neg = raw[0] == '-';
    std::string digits;
    int scale = 0;
    bool after_dot = false;
    size_t i = neg ? 1 : 0;
    for (; i < raw.size(); ++i) {
      char c = raw[i];
      if (c == '.') {
        after_dot = true;
      } else if (c == 'e' || c == 'E') {
        break;
      } else {
        digits.push_back(c);
        if (after_dot) ++scale;
      }
    }
    if (i < raw.size()) {
      int64_t exp = 0;
      std::string_view e = raw.substr(i + 1);
      if (!e.empty() && e[0] == '+') e.remove_prefix(1);
      std::from_chars(e.data(), e.data() + e.size(), exp);
      scale -= static_cast<int>(exp);
    }
    size_t nz = digits.find_first_not_of('0');
    digits = nz == std::string::npos ? "" : digits.substr(nz);
    return static_cast<int32_t>(31u * static_cast<uint32_t>(BigIntegerHash(digits, neg)) + static_cast<uint32_t>(scale));
  }
  double d = 0;
  std::from_chars(raw.data(), raw.data() + raw.size(), d);
  uint64_t bits;
  if (d != d) {
    bits = 0x7ff8000000000000ULL;  // canonical NaN
  } else {
    std::memcpy(&bits, &d, sizeof bits);
  }
  return static_cast<int32_t>(static_cast<uint32_t>(bits ^ (bits >> 32)));
}

}  // namespace

int32_t JavaStringHash(std::string_view utf8) {
  int32_t h = 0;
  HashUtf8(h, reinterpret_cast<const unsigned char*>(utf8.data()),
           reinterpret_cast<const unsigned char*>(utf8.data() + utf8.size()));
  return h;
}

int32_t JavaHashOfJson(std::string_view raw) {
  raw = TrimJson(raw);
  switch (JsonTypeOf(raw)) {
    case JsonType::kNull: return 0;
    case JsonType::kBool: return raw[0] == 't' ? 1231 : 1237;
    case JsonType::kString: return HashJsonString(raw);
    case JsonType::kNumber: return HashJsonNumber(raw);
    case JsonType::kArray: {
      std::vector<std::string_view> items;
      SplitJsonArray(raw, &items);
      int32_t h = 1;
      for (auto item : items) h = JavaListHashStep(h, JavaHashOfJson(item));
      return h;
    }
    case JsonType::kObject: {
      // HashMap.hashCode: sum of key.hashCode() ^ value.hashCode(). A
      // duplicate key keeps its last value, as in a map.
      std::vector<std::pair<std::string, std::string_view>> members;
      std::string key;
      ForEachJsonMember(raw, [&](std::string_view k, std::string_view v) {
        std::string quoted = "\"" + std::string(k) + "\"";
        DecodeJsonString(quoted, &key);
        for (auto& m : members) {
          if (m.first == key) {
            m.second = v;
            return;
          }
        }
        members.emplace_back(key, v);
      });
      uint32_t sum = 0;
      for (auto& m : members) sum += static_cast<uint32_t>(JavaStringHash(m.first) ^ JavaHashOfJson(m.second));
      return static_cast<int32_t>(sum);
    }
    case JsonType::kInvalid: return 0;
  }
  return 0;
}

int32_t JavaRandom::Next(int bits) {
  seed_ = (seed_ * 0x5DEECE66DULL + 0xBULL) & kMask;
  return static_cast<int32_t>(static_cast<int64_t>(seed_) >> (48 - bits));
}

int32_t JavaRandom::NextInt(int32_t bound) {
  if ((bound & -bound) == bound) {
    return static_cast<int32_t>((static_cast<int64_t>(bound) * static_cast<int64_t>(Next(31))) >> 31);
  }
  int32_t bits, val;
  do {
    bits = Next(31);
    val = bits % bound;
  } while (static_cast<int32_t>(static_cast<uint32_t>(bits) - static_cast<uint32_t>(val) +
                                static_cast<uint32_t>(bound - 1)) < 0);
  return val;
}

std::pair<int, int> PartialKeyCandidates(const std::vector<int32_t>& field_hashes, int n) {
  // Key bytes: each hash as 4 big-endian bytes; seed = Arrays.hashCode(byte[]).
  int32_t h = 1;
  for (int32_t fh : field_hashes) {
    uint32_t u = static_cast<uint32_t>(fh);
    for (int shift = 24; shift >= 0; shift -= 8) {
      auto b = static_cast<int8_t>((u >> shift) & 0xFF);
      h = static_cast<int32_t>(31u * static_cast<uint32_t>(h) + static_cast<uint32_t>(static_cast<int32_t>(b)));
    }
  }
  JavaRandom random(static_cast<int64_t>(h));
  int c1 = random.NextInt(n);
  int c2 = random.NextInt(n);
  if (c1 == c2) c2 = (c2 + 1) % n;
  return {c1, c2};
}

}  // namespace topoc::runtime
