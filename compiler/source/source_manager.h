// Source files held in memory for the whole compilation, and byte spans
// into them. Line/column are computed only when a diagnostic is printed.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace topoc {

// Index of a file in the SourceManager. kNoFile marks a span that points at
// no file (e.g. a diagnostic about the command line).
using FileId = uint32_t;
inline constexpr FileId kNoFile = UINT32_MAX;

// A half-open byte range [begin, end) in one file.
struct Span {
  FileId file = kNoFile;
  uint32_t begin = 0;
  uint32_t end = 0;
  bool valid() const { return file != kNoFile; }
};

// 1-based line and column (column counts bytes, like rustc's column_start).
struct LineCol {
  uint32_t line = 1;
  uint32_t column = 1;
};

// Owns the text of every file read during a compilation. FileIds and the
// string_views returned stay valid for the life of the SourceManager.
class SourceManager {
 public:
  // Adds a file with the given display path and contents; returns its id.
  FileId AddFile(std::string path, std::string contents);

  const std::string& Path(FileId id) const { return files_[id]->path; }
  std::string_view Contents(FileId id) const { return files_[id]->contents; }
  size_t FileCount() const { return files_.size(); }

  // Line and column of a byte offset (offset may equal the file size).
  LineCol GetLineCol(FileId id, uint32_t offset) const;
  // The text of a 1-based line, without its newline.
  std::string_view GetLine(FileId id, uint32_t line) const;
  // The text covered by a span.
  std::string_view Text(Span span) const;

 private:
  struct File {
    std::string path;
    std::string contents;
    std::vector<uint32_t> line_starts;  // byte offset of each line's first byte
  };
  std::vector<std::unique_ptr<File>> files_;
};

}  // namespace topoc
