#include "support/utf8.h"

#include <doctest/doctest.h>

#include <string>

namespace topoc {

TEST_CASE("AppendUtf8 writes 1 to 4 bytes, and Utf8SequenceLength reads them back") {
  const uint32_t points[] = {0x0, 0x41, 0x7F, 0x80, 0xE9, 0x7FF, 0x800, 0xFFFD, 0xFFFF, 0x10000, 0x1F600, 0x10FFFF};
  const size_t lengths[] = {1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4};
  for (size_t k = 0; k < std::size(points); ++k) {
    std::string s;
    AppendUtf8(points[k], s);
    CAPTURE(points[k]);
    CHECK(s.size() == lengths[k]);
    CHECK(Utf8SequenceLength(s, 0) == lengths[k]);
    CHECK(FirstInvalidUtf8(s) == std::string_view::npos);
  }
  std::string s;
  AppendUtf8(0xE9, s);
  CHECK(s == "\xc3\xa9");
  s.clear();
  AppendUtf8(0x1F600, s);
  CHECK(s == "\xf0\x9f\x98\x80");
}

TEST_CASE("invalid UTF-8: each kind, and where FirstInvalidUtf8 finds it") {
  CHECK(Utf8SequenceLength("\x80", 0) == 0);              // stray continuation byte
  CHECK(Utf8SequenceLength("\xc3", 0) == 0);              // truncated
  CHECK(Utf8SequenceLength("\xc0\xaf", 0) == 0);          // overlong '/'
  CHECK(Utf8SequenceLength("\xe0\x80\xaf", 0) == 0);      // overlong, 3 bytes
  CHECK(Utf8SequenceLength("\xed\xa0\x80", 0) == 0);      // encoded surrogate U+D800
  CHECK(Utf8SequenceLength("\xf4\x90\x80\x80", 0) == 0);  // past U+10FFFF
  CHECK(Utf8SequenceLength("\xff", 0) == 0);
  CHECK(FirstInvalidUtf8("") == std::string_view::npos);
  CHECK(FirstInvalidUtf8("caf\xc3\xa9 ok") == std::string_view::npos);
  CHECK(FirstInvalidUtf8("caf\xc3\xa9 \xff") == 6);
  CHECK(FirstInvalidUtf8("ab\xe2\x82") == 2);  // cut in the middle of a character
}

}  // namespace topoc
