// Java's hashCode as Storm's worker computes it for tuple values, so that a
// fields grouping sends a key to the same task `topoc run` as on a cluster.
//
// A worker decodes a multilang tuple with json-smart (Storm 2.6+), which
// gives: strings -> String, integers in int range -> Integer, larger ->
// Long, beyond long -> BigInteger, decimals -> Double (BigDecimal past 18
// characters), true/false -> Boolean, null -> null, arrays -> JSONArray (a
// List), objects -> JSONObject (a HashMap). The hashes below are those
// classes' hashCode(); a fields grouping picks
//   sortedTasks[floorMod(Arrays.deepHashCode(selectedValues), numTasks)].
#pragma once

#include <cstdint>
#include <string_view>
#include <utility>
#include <vector>

namespace topoc::runtime {

// String.hashCode of UTF-8 text, over its UTF-16 code units.
int32_t JavaStringHash(std::string_view utf8);

// hashCode of the Java object json-smart makes of this raw JSON value
// (assumed valid; see SkipJsonValue).
int32_t JavaHashOfJson(std::string_view raw);

// List/Arrays.deepHashCode step: h = 31 * h + element_hash (start from 1).
inline int32_t JavaListHashStep(int32_t h, int32_t element_hash) {
  return static_cast<int32_t>(31u * static_cast<uint32_t>(h) + static_cast<uint32_t>(element_hash));
}

// Math.floorMod(h, n) for n > 0.
inline int FloorMod(int32_t h, int n) {
  int m = static_cast<int>(h % n);
  return m < 0 ? m + n : m;
}

// java.util.Random (48-bit LCG), enough for PartialKeyGrouping.
class JavaRandom {
 public:
  explicit JavaRandom(int64_t seed) : seed_((static_cast<uint64_t>(seed) ^ 0x5DEECE66DULL) & kMask) {}
  int32_t Next(int bits);
  int32_t NextInt(int32_t bound);  // bound > 0

 private:
  static constexpr uint64_t kMask = (1ULL << 48) - 1;
  uint64_t seed_;
};

// PartialKeyGrouping's two candidate indexes (into the sorted target task
// list of size n) for a key whose selected fields have these hashes.
std::pair<int, int> PartialKeyCandidates(const std::vector<int32_t>& field_hashes, int n);

}  // namespace topoc::runtime
