// Expected values were printed by OpenJDK 17 (String/Integer/Long/Double/
// BigInteger/BigDecimal/HashMap/List hashCode, java.util.Random and
// PartialKeyGrouping's candidate choice re-run in Java).
#include "runtime/java_hash.h"

#include <doctest/doctest.h>

#include <vector>

namespace topoc::runtime {

TEST_CASE("String.hashCode over UTF-16") {
  CHECK(JavaStringHash("hello") == 99162322);
  CHECK(JavaStringHash("") == 0);
  CHECK(JavaStringHash("caf\xc3\xa9") == 3045921);
  CHECK(JavaStringHash("\xf0\x9f\x98\x80") == 1772899);  // U+1F600: a surrogate pair
  CHECK(JavaHashOfJson("\"hello\"") == 99162322);
  CHECK(JavaHashOfJson("\"caf\\u00e9\"") == 3045921);
  CHECK(JavaHashOfJson("\"\\ud83d\\ude00\"") == 1772899);
}

TEST_CASE("numbers hash as json-smart's Integer, Long, BigInteger, Double, BigDecimal") {
  CHECK(JavaHashOfJson("-1") == -1);                    // Integer
  CHECK(JavaHashOfJson("5000000000") == 705032705);     // Long
  CHECK(JavaHashOfJson("-5000000000") == 705032702);    // Long
  CHECK(JavaHashOfJson("12345678901234567890") == -1436577082);    // BigInteger
  CHECK(JavaHashOfJson("-98765432109876543210") == 550835337);     // BigInteger
  CHECK(JavaHashOfJson("1.5") == 1073217536);           // Double
  CHECK(JavaHashOfJson("-0.25") == -1076887552);
  CHECK(JavaHashOfJson("3.14159265358979323846") == -2096735240);  // BigDecimal (> 18 chars)
}

TEST_CASE("booleans, null, lists and maps") {
  CHECK(JavaHashOfJson("true") == 1231);
  CHECK(JavaHashOfJson("false") == 1237);
  CHECK(JavaHashOfJson("null") == 0);
  CHECK(JavaHashOfJson("[\"hello\"]") == 99162353);
  CHECK(JavaHashOfJson("[\"word\", 3, null, true, [1099511627776, \"z\"]]") == 54534162);
  CHECK(JavaHashOfJson("{\"a\": 1, \"bc\": \"x\"}") == 3225);
}

TEST_CASE("fields grouping index = floorMod(deepHashCode(values), n)") {
  auto index = [](const char* raw, int n) { return FloorMod(JavaListHashStep(1, JavaHashOfJson(raw)), n); };
  CHECK(index("\"hello\"", 4) == 1);
  CHECK(index("\"storm\"", 4) == 0);
  CHECK(index("\"apple\"", 4) == 1);
  CHECK(index("\"zebra\"", 4) == 1);
  CHECK(index("\"the\"", 4) == 0);
  CHECK(index("\"cow\"", 4) == 2);
  CHECK(FloorMod(-7, 3) == 2);
  CHECK(FloorMod(7, 3) == 1);
}

TEST_CASE("java.util.Random") {
  CHECK(JavaRandom(42).Next(32) == -1170105035);
  CHECK(JavaRandom(42).NextInt(10) == 0);
  CHECK(JavaRandom(7).NextInt(6) == 4);
}

TEST_CASE("PartialKeyGrouping candidates") {
  auto pk = [](std::vector<int32_t> hashes, int n) { return PartialKeyCandidates(hashes, n); };
  CHECK(pk({JavaStringHash("hello")}, 5) == std::pair{1, 0});
  CHECK(pk({JavaStringHash("storm")}, 5) == std::pair{3, 2});
  CHECK(pk({JavaStringHash("apple")}, 5) == std::pair{2, 3});
  CHECK(pk({JavaStringHash("zebra")}, 5) == std::pair{0, 1});
  CHECK(pk({JavaStringHash("a"), 7}, 4) == std::pair{3, 0});
  CHECK(pk({JavaStringHash("x")}, 1) == std::pair{0, 0});
}

}  // namespace topoc::runtime
