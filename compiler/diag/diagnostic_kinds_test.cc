#include "compiler/diag/diagnostic_kinds.h"

#include <set>
#include <string>

#include <doctest/doctest.h>

namespace topoc::diag {

TEST_CASE("the catalogue: codes unique and well formed, severity matches the letter") {
  std::set<std::string_view> codes, names;
  for (const DiagInfo& info : AllDiagInfos()) {
    INFO(info.code);
    REQUIRE(info.code.size() == 5);
    CHECK(codes.insert(info.code).second);
    CHECK(names.insert(info.name).second);
    CHECK_FALSE(info.format.empty());
    // E codes are errors, W codes warnings (docs/diagnostics/ and the
    // renderers rely on it).
    if (info.code[0] == 'E') CHECK(info.severity == Severity::kError);
    if (info.code[0] == 'W') CHECK(info.severity == Severity::kWarning);
    CHECK((info.code[0] == 'E' || info.code[0] == 'W'));
  }
  CHECK(codes.size() == AllDiagInfos().size());
}

TEST_CASE("GetDiagInfo follows the DiagKind order of the catalogue") {
  auto all = AllDiagInfos();
  CHECK(&GetDiagInfo(static_cast<DiagKind>(0)) == &all[0]);
  CHECK(GetDiagInfo(DiagKind::kSyntaxError).code == "E0001");
  CHECK(GetDiagInfo(DiagKind::kUnknownComponent).code == "E0201");
  CHECK(GetDiagInfo(DiagKind::kUnknownComponent).name == "UnknownComponent");
}

TEST_CASE("FindDiagInfo: case-insensitive, whole codes only") {
  const DiagInfo* info = FindDiagInfo("E0201");
  REQUIRE(info != nullptr);
  CHECK(info->name == "UnknownComponent");
  CHECK(FindDiagInfo("e0201") == info);
  CHECK(FindDiagInfo("E020") == nullptr);
  CHECK(FindDiagInfo("E02010") == nullptr);
  CHECK(FindDiagInfo("") == nullptr);
  CHECK(FindDiagInfo("E9999") == nullptr);
}

TEST_CASE("Make: code, severity, span and the formatted message from the catalogue") {
  Span at{3, 10, 19};
  Diagnostic d = Make(DiagKind::kUnknownComponent, at, "word-spot");
  CHECK(d.code == "E0201");
  CHECK(d.severity == Severity::kError);
  CHECK(d.primary.file == 3);
  CHECK(d.primary.begin == 10);
  CHECK(d.primary.end == 19);
  CHECK(d.message == "unknown component 'word-spot'");
  CHECK(d.notes.empty());
  CHECK(d.fixits.empty());
  // Non-string arguments are formatted too.
  Diagnostic u = Make(DiagKind::kInvalidUtf8, Span{}, "ff");
  CHECK(u.message == "invalid UTF-8 (byte 0xff)");
}

TEST_CASE("Note and Help: child diagnostics; Help carries a fix-it only with a span") {
  Diagnostic n = Note(Span{0, 1, 2}, "'a' first declared here");
  CHECK(n.severity == Severity::kNote);
  CHECK(n.code.empty());
  CHECK(n.message == "'a' first declared here");
  CHECK(n.primary.begin == 1);

  Diagnostic h = Help("did you mean 'word-spout'?", Span{0, 5, 9}, std::string("word-spout"));
  CHECK(h.severity == Severity::kHelp);
  REQUIRE(h.fixits.size() == 1);
  CHECK(h.fixits[0].replacement == "word-spout");
  CHECK(h.fixits[0].range.begin == 5);
  CHECK(h.fixits[0].applicability == Applicability::kMaybeIncorrect);

  CHECK(Help("searched: .").fixits.empty());  // no span, no replacement
  CHECK(Help("x", Span{}, std::string("y")).fixits.empty());  // a replacement needs a span
  CHECK(Help("x", Span{0, 1, 2}).fixits.empty());
}

}  // namespace topoc::diag
