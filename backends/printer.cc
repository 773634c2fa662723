#include "backends/printer.h"

#include <stdexcept>

namespace topoc::backends {

Printer::Printer(std::ostream& out, std::string_view indent_unit)
    : out_(out), indent_unit_(indent_unit) {}

Printer::~Printer() { Flush(); }

void Printer::Outdent() {
  if (level_ == 0) throw std::logic_error("Printer::Outdent below level 0");
  --level_;
}

void Printer::Flush() {
  if (buffer_.empty()) return;
  out_.write(buffer_.data(), static_cast<std::streamsize>(buffer_.size()));
  buffer_.clear();
}

void Printer::Append(std::string_view text) {
  size_t pos = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    size_t end = nl == std::string_view::npos ? text.size() : nl;
    if (end > pos) {
      // Indentation is added when a line gets its first character, so blank
      // lines carry no trailing spaces and a value spanning lines is indented
      // line by line.
      if (at_line_start_) {
        for (int i = 0; i < level_; ++i) buffer_ += indent_unit_;
        at_line_start_ = false;
      }
      buffer_.append(text.data() + pos, end - pos);
    }
    if (nl == std::string_view::npos) break;
    buffer_ += '\n';
    at_line_start_ = true;
    pos = nl + 1;
  }
  // Buffered: the stream is written a MiB at a time, not once per Print.
  if (buffer_.size() >= (1u << 20)) Flush();
}

void Printer::PrintRaw(std::string_view text) { Append(text); }

void Printer::Print(std::string_view text, std::initializer_list<Var> vars) {
  size_t pos = 0;
  while (pos < text.size()) {
    size_t dollar = text.find('$', pos);
    if (dollar == std::string_view::npos) {
      Append(text.substr(pos));
      break;
    }
    Append(text.substr(pos, dollar - pos));
    size_t close = text.find('$', dollar + 1);
    if (close == std::string_view::npos) {
      throw std::logic_error("Printer: unterminated $ in \"" + std::string(text) + "\"");
    }
    std::string_view name = text.substr(dollar + 1, close - dollar - 1);
    // `$$` prints a literal '$' (protobuf's io::Printer convention).
    if (name.empty()) {
      Append("$");
    } else {
      bool found = false;
      for (const auto& [key, value] : vars) {
        if (key == name) {
          Append(value);
          found = true;
          break;
        }
      }
      if (!found) throw std::logic_error("Printer: unknown variable $" + std::string(name) + "$");
    }
    pos = close + 1;
  }
}

}  // namespace topoc::backends
