#include "backends/printer.h"

#include <sstream>
#include <stdexcept>

#include <doctest/doctest.h>

using topoc::backends::Printer;

TEST_CASE("Printer substitutes variables and indents non-empty lines") {
  std::ostringstream out;
  {
    Printer p(out);
    p.Print("(defn $name$ []\n", {{"name", "mk"}});
    p.Indent();
    p.Print("$a$ costs $$5\n\n$b$\n", {{"a", "x"}, {"b", "y"}});
    p.Outdent();
    p.Print("end");
  }
  CHECK(out.str() == "(defn mk []\n  x costs $5\n\n  y\nend");
}

TEST_CASE("Printer indents text continued across calls only at line starts") {
  std::ostringstream out;
  Printer p(out, "    ");
  p.Indent();
  p.Print("a");
  p.Print("b\nc");
  p.Indent();
  p.PrintRaw("\n$raw$\n");
  p.Flush();
  CHECK(out.str() == "    ab\n    c\n        $raw$\n");
}

TEST_CASE("Printer rejects unknown variables and unbalanced dollars") {
  std::ostringstream out;
  Printer p(out);
  CHECK_THROWS_AS(p.Print("$nope$"), std::logic_error);
  CHECK_THROWS_AS(p.Print("cost $5"), std::logic_error);
  CHECK_THROWS_AS(p.Outdent(), std::logic_error);
}
