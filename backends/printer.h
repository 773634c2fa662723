// A small indenting text printer with $var$ substitution, shared by the text
// backends (clojure, flux, dot). Modelled on protobuf's io::Printer.
//
//   Printer p(out);
//   p.Print("(defn $name$ []\n", {{"name", "mk-topology"}});
//   p.Indent();
//   ...
//
// Text is buffered and written to the stream by Flush() or the destructor,
// so the printer is cheap even for 100k-component topologies. `$$` prints a
// single `$`. An unknown $var$ or an unterminated `$` is a bug in the
// backend, not a user error: Print throws std::logic_error.
#pragma once

#include <initializer_list>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>

namespace topoc::backends {

class Printer {
 public:
  using Var = std::pair<std::string_view, std::string_view>;

  // `indent_unit` is added once per Indent() level.
  explicit Printer(std::ostream& out, std::string_view indent_unit = "  ");
  ~Printer();
  Printer(const Printer&) = delete;
  Printer& operator=(const Printer&) = delete;

  // Prints `text`, substituting $name$ with the value given in `vars`. The
  // current indentation is inserted at the start of every non-empty line.
  void Print(std::string_view text, std::initializer_list<Var> vars = {});
  // Prints `text` verbatim (no $ processing), still indenting new lines.
  void PrintRaw(std::string_view text);

  void Indent() { ++level_; }
  void Outdent();
  int level() const { return level_; }

  // Writes the buffered text to the stream.
  void Flush();

 private:
  void Append(std::string_view text);

  std::ostream& out_;
  std::string indent_unit_;
  std::string buffer_;
  int level_ = 0;
  bool at_line_start_ = true;
};

}  // namespace topoc::backends
