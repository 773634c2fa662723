#include "compiler/source/source_manager.h"

#include <algorithm>

namespace topoc {

FileId SourceManager::AddFile(std::string path, std::string contents) {
  auto file = std::make_unique<File>();
  file->path = std::move(path);
  file->contents = std::move(contents);
  // The line table is built once per file, so printing a diagnostic is a
  // binary search, not a scan of the text.
  file->line_starts.push_back(0);
  for (uint32_t i = 0; i < file->contents.size(); ++i) {
    if (file->contents[i] == '\n') file->line_starts.push_back(i + 1);
  }
  files_.push_back(std::move(file));
  return static_cast<FileId>(files_.size() - 1);
}

LineCol SourceManager::GetLineCol(FileId id, uint32_t offset) const {
  const File& f = *files_[id];
  offset = std::min<uint32_t>(offset, f.contents.size());
  // The first line start after `offset`: its index is the 1-based line.
  auto it = std::upper_bound(f.line_starts.begin(), f.line_starts.end(), offset);
  uint32_t line = static_cast<uint32_t>(it - f.line_starts.begin());  // 1-based
  return LineCol{line, offset - f.line_starts[line - 1] + 1};
}

std::string_view SourceManager::GetLine(FileId id, uint32_t line) const {
  const File& f = *files_[id];
  if (line == 0 || line > f.line_starts.size()) return {};
  uint32_t begin = f.line_starts[line - 1];
  uint32_t end = line < f.line_starts.size() ? f.line_starts[line] - 1
                                             : static_cast<uint32_t>(f.contents.size());
  std::string_view text(f.contents);
  text = text.substr(begin, end - begin);
  // CRLF files: the '\r' is not shown as part of the line.
  if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
  return text;
}

std::string_view SourceManager::Text(Span span) const {
  if (!span.valid()) return {};
  std::string_view text(files_[span.file]->contents);
  if (span.begin > text.size()) return {};
  return text.substr(span.begin, span.end - span.begin);
}

}  // namespace topoc
