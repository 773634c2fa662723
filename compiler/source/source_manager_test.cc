#include "compiler/source/source_manager.h"

#include <doctest/doctest.h>

namespace topoc {

TEST_CASE("SourceManager: ids count up from 0 and keep path and text") {
  SourceManager sm;
  CHECK(sm.FileCount() == 0);
  FileId a = sm.AddFile("a.topo", "one\n");
  FileId b = sm.AddFile("b.topo", "");
  CHECK(a == 0);
  CHECK(b == 1);
  CHECK(sm.FileCount() == 2);
  CHECK(sm.Path(a) == "a.topo");
  CHECK(sm.Contents(a) == "one\n");
  CHECK(sm.Contents(b).empty());
}

TEST_CASE("SourceManager: string_views stay valid as more files are added") {
  SourceManager sm;
  FileId a = sm.AddFile("a", "first file");
  std::string_view text = sm.Contents(a);
  for (int i = 0; i < 100; ++i) sm.AddFile("f" + std::to_string(i), std::string(1000, 'x'));
  CHECK(text == "first file");
  CHECK(text.data() == sm.Contents(a).data());
}

TEST_CASE("SourceManager: GetLineCol is 1-based and counts bytes") {
  SourceManager sm;
  // "é" is two bytes: columns count bytes, like rustc's column_start.
  FileId f = sm.AddFile("f", "ab\n\xC3\xA9x\n\nlast");
  auto at = [&](uint32_t off) {
    LineCol lc = sm.GetLineCol(f, off);
    return std::to_string(lc.line) + ":" + std::to_string(lc.column);
  };
  CHECK(at(0) == "1:1");
  CHECK(at(2) == "1:3");  // the newline belongs to its line
  CHECK(at(3) == "2:1");
  CHECK(at(5) == "2:3");  // 'x', after a 2-byte character
  CHECK(at(7) == "3:1");  // the empty line
  CHECK(at(8) == "4:1");
  CHECK(at(12) == "4:5");  // the end of the file is a valid position
  CHECK(at(1000) == "4:5");  // past the end: clamped to it
}

TEST_CASE("SourceManager: GetLine strips the newline and a CR, and is empty out of range") {
  SourceManager sm;
  FileId f = sm.AddFile("f", "one\r\ntwo\n\nfour");
  CHECK(sm.GetLine(f, 1) == "one");
  CHECK(sm.GetLine(f, 2) == "two");
  CHECK(sm.GetLine(f, 3) == "");
  CHECK(sm.GetLine(f, 4) == "four");
  CHECK(sm.GetLine(f, 0) == "");
  CHECK(sm.GetLine(f, 5) == "");
  FileId g = sm.AddFile("g", "trailing\n");
  CHECK(sm.GetLine(g, 1) == "trailing");
  CHECK(sm.GetLine(g, 2) == "");  // the empty line after the final newline
  CHECK(sm.GetLine(g, 3) == "");
}

TEST_CASE("SourceManager: Text of a span, invalid and out-of-range spans give nothing") {
  SourceManager sm;
  sm.AddFile("a", "ignored");
  FileId f = sm.AddFile("f", "topology t { }");
  CHECK(sm.Text(Span{f, 0, 8}) == "topology");
  CHECK(sm.Text(Span{f, 9, 10}) == "t");
  CHECK(sm.Text(Span{f, 3, 3}) == "");
  CHECK(sm.Text(Span{f, 12, 100}) == " }");  // clipped at the end of the file
  CHECK(sm.Text(Span{f, 100, 101}) == "");
  CHECK(sm.Text(Span{}) == "");  // kNoFile
  CHECK_FALSE(Span{}.valid());
  CHECK(Span{f, 0, 0}.valid());
}

}  // namespace topoc
