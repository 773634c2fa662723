// Text positions and file names as the Language Server Protocol speaks
// them: 0-based lines, UTF-16 code unit columns, file:// URIs.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace topoc::lsp {

struct Position {
  int line = 0;
  int character = 0;  // UTF-16 code units
};

// Line starts of one text, to convert byte offsets and LSP positions.
class LineIndex {
 public:
  explicit LineIndex(std::string_view text);
  // The position of byte `offset` (clamped to the text).
  Position ToPosition(size_t offset) const;
  // The byte offset of `pos`: past the line's end clamps to the end, a
  // line past the last to the end of the text, a column inside a UTF-8
  // sequence to its start.
  size_t ToOffset(Position pos) const;
  size_t LineCount() const { return starts_.size(); }

 private:
  std::string_view text_;
  std::vector<size_t> starts_;
};

// Replaces the text between two positions (an incremental didChange).
void ApplyEdit(std::string& text, Position start, Position end, std::string_view replacement);

// file:///a%20b/c.topo <-> /a b/c.topo. UriToPath returns "" for a URI that
// is not a file: URI.
std::string PathToUri(std::string_view path);
std::string UriToPath(std::string_view uri);

}  // namespace topoc::lsp
