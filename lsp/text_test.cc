#include "lsp/text.h"

#include <doctest/doctest.h>

namespace topoc::lsp {

TEST_CASE("lsp text: byte offsets and UTF-16 positions") {
  // 'é' is 2 bytes / 1 unit; '😀' 4 bytes / 2 units.
  std::string text = "ab\n\xC3\xA9x\n\xF0\x9F\x98\x80y\r\nz";
  LineIndex li(text);
  CHECK(li.LineCount() == 4);
  CHECK(li.ToPosition(0).line == 0);
  Position p = li.ToPosition(5);  // 'x'
  CHECK(p.line == 1);
  CHECK(p.character == 1);
  p = li.ToPosition(11);  // 'y'
  CHECK(p.line == 2);
  CHECK(p.character == 2);
  CHECK(li.ToOffset({2, 2}) == 11);
  CHECK(li.ToOffset({1, 1}) == 5);
  CHECK(li.ToOffset({2, 1}) == 7);     // inside the surrogate pair: its start
  CHECK(li.ToOffset({2, 99}) == 12);   // past the end of the line: before "\r\n"
  CHECK(li.ToOffset({9, 0}) == text.size());
  CHECK(li.ToOffset({-1, 0}) == 0);
  CHECK(li.ToPosition(999).line == 3);
}

TEST_CASE("lsp text: incremental edits") {
  std::string text = "topology t {\n  spout s = x\n}\n";
  ApplyEdit(text, {1, 8}, {1, 9}, "word-spout");
  CHECK(text == "topology t {\n  spout word-spout = x\n}\n");
  ApplyEdit(text, {3, 0}, {3, 0}, "// end\n");
  CHECK(text == "topology t {\n  spout word-spout = x\n}\n// end\n");
}

TEST_CASE("lsp text: file URIs") {
  CHECK(PathToUri("/a b/c+d.topo") == "file:///a%20b/c%2Bd.topo");
  CHECK(UriToPath("file:///a%20b/c%2Bd.topo") == "/a b/c+d.topo");
  CHECK(UriToPath("file://localhost/x.topo") == "/x.topo");
  CHECK(UriToPath("untitled:Untitled-1") == "");
  CHECK(UriToPath("file://otherhost/x") == "");
  CHECK(UriToPath(PathToUri("/t/\xC3\xA9 %.topo")) == "/t/\xC3\xA9 %.topo");
}

}  // namespace topoc::lsp
