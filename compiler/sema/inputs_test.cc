#include <doctest/doctest.h>

#include "compiler/sema/sema_testing.h"

namespace topoc::sema {

TEST_CASE("unknown component suggests the nearest id and notes nothing else") {
  auto r = CheckSource(R"(topology t {
    spout word-spout = python "a.B" { output (word) }
    bolt b = python "a.C" { input word-spot shuffle }
  })");
  REQUIRE(r->codes == std::vector<std::string>{"E0201"});
  const Diagnostic& d = r->c.diags.diagnostics()[0];
  REQUIRE(d.notes.size() == 1);
  CHECK(d.notes[0].message == "did you mean 'word-spout'?");
  CHECK(d.notes[0].fixits[0].replacement == "word-spout");
}

TEST_CASE("unknown field notes where the stream is declared") {
  auto r = CheckSource(R"(topology t {
    spout s = python "a.B" { output (word) }
    bolt b = python "a.C" { input s fields(wrod) }
  })");
  REQUIRE(r->codes == std::vector<std::string>{"E0203"});
  const Diagnostic& d = r->c.diags.diagnostics()[0];
  CHECK(d.notes[0].message == "'s' declares (word) here");
  CHECK(d.notes[1].message == "did you mean 'word'?");
}

TEST_CASE("unreachable bolts and unconsumed streams warn") {
  auto r = CheckSource(R"(topology t {
    spout s = python "a.B" { output (x) output extra (y) }
    bolt b1 = python "a.C" { input s shuffle input b2 shuffle output (z) }
    bolt b2 = python "a.C" { input b3 shuffle output (z) }
    bolt b3 = python "a.C" { input b2 shuffle output (z) }
  })");
  CHECK(r->codes == std::vector<std::string>{"W0303", "W0303", "W0302"});
}

}  // namespace topoc::sema
