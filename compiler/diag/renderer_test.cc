#include "compiler/diag/renderer.h"

#include <sstream>

#include <doctest/doctest.h>

#include "compiler/diag/diagnostic_kinds.h"
#include "compiler/diag/explanations.h"

namespace topoc::diag {

namespace {

struct Fixture {
  SourceManager sources;
  FileId file;
  Diagnostic d;
  Fixture() {
    file = sources.AddFile("dir/t.topo", "topology t {\n  bolt b = python \"a.B\" { input word-spot shuffle }\n}\n");
    // "word-spot" is at line 2, column 33.
    uint32_t at = static_cast<uint32_t>(sources.Contents(file).find("word-spot"));
    Span span{file, at, at + 9};
    d = Make(DiagKind::kUnknownComponent, span, "word-spot");
    d.notes.push_back(Note(Span{file, 0, 8}, "'t' declared here"));
    d.notes.push_back(Help("did you mean 'word-spout'?", span, std::string("word-spout")));
  }
};

}  // namespace

TEST_CASE("text rendering: location, code, source line, underline, notes, help") {
  Fixture f;
  std::string text = RenderText(f.sources, f.d);
  CHECK(text ==
        "dir/t.topo:2:33: error[E0201]: unknown component 'word-spot'\n"
        " 2 |   bolt b = python \"a.B\" { input word-spot shuffle }\n"
        "   |                                 ^~~~~~~~~\n"
        "dir/t.topo:1:1: note: 't' declared here\n"
        " 1 | topology t {\n"
        "   | ^~~~~~~~\n"
        "help: did you mean 'word-spout'?\n");
}

TEST_CASE("text rendering colours only when asked") {
  Fixture f;
  std::ostringstream plain, colour;
  TextRenderer(f.sources, false).Render(f.d, plain);
  TextRenderer(f.sources, true).Render(f.d, colour);
  CHECK(plain.str().find('\033') == std::string::npos);
  CHECK(colour.str().find('\033') != std::string::npos);
}

TEST_CASE("JSON rendering: rustc-like fields, 1-based lines and columns") {
  Fixture f;
  std::ostringstream out;
  JsonRenderer(f.sources).Render(f.d, out);
  std::string line = out.str();
  CHECK(line.back() == '\n');
  CHECK(line.find('\n') == line.size() - 1);  // one object per line
  auto j = nlohmann::json::parse(line);
  CHECK(j["level"] == "error");
  CHECK(j["code"] == "E0201");
  CHECK(j["message"] == "unknown component 'word-spot'");
  REQUIRE(j["spans"].size() == 1);
  auto s = j["spans"][0];
  CHECK(s["file_name"] == "dir/t.topo");
  CHECK(s["line_start"] == 2);
  CHECK(s["column_start"] == 33);
  CHECK(s["line_end"] == 2);
  CHECK(s["column_end"] == 42);
  CHECK(s["byte_end"].get<int>() - s["byte_start"].get<int>() == 9);
  CHECK(s["is_primary"] == true);
  CHECK(s["suggested_replacement"].is_null());
  REQUIRE(j["children"].size() == 2);
  CHECK(j["children"][0]["level"] == "note");
  CHECK(j["children"][1]["level"] == "help");
  CHECK(j["children"][1]["spans"][0]["suggested_replacement"] == "word-spout");
  CHECK(j["rendered"] == RenderText(f.sources, f.d));
}

TEST_CASE("JSON rendering survives invalid UTF-8 in the source") {
  SourceManager sources;
  FileId id = sources.AddFile("x.topo", "\xff\xfe topology");
  Diagnostic d = Make(DiagKind::kInvalidUtf8, Span{id, 0, 1}, "ff");
  std::ostringstream out;
  JsonRenderer(sources).Render(d, out);
  CHECK_NOTHROW(nlohmann::json::parse(out.str()));
}

TEST_CASE("every catalogue code has an explanation page") {
  for (const DiagInfo& info : AllDiagInfos()) {
    INFO(info.code);
    CHECK(FindExplanation(info.code).has_value());
  }
  CHECK(FindExplanation("e0201").has_value());
  CHECK_FALSE(FindExplanation("E9999").has_value());
}

}  // namespace topoc::diag

namespace topoc::diag {

TEST_CASE("text rendering keeps tabs in the underline and cuts multi-line spans at the line end") {
  SourceManager sources;
  FileId id = sources.AddFile("t.topo", "\tinput x\r\nline two\n");
  Diagnostic d = Make(DiagKind::kUnknownComponent, Span{id, 7, 12}, "x");
  CHECK(RenderText(sources, d) ==
        "t.topo:1:8: error[E0201]: unknown component 'x'\n"
        " 1 | \tinput x\n"
        "   | \t      ^\n");
}

TEST_CASE("diagnostics without a span render without a location") {
  SourceManager sources;
  Diagnostic d = Make(DiagKind::kUnreadableFile, Span{}, "x.topo", "no such file");
  CHECK(RenderText(sources, d) == "error[E0009]: cannot read 'x.topo': no such file\n");
  std::ostringstream out;
  JsonRenderer(sources).Render(d, out);
  auto j = nlohmann::json::parse(out.str());
  CHECK(j["spans"].empty());
  CHECK(j["code"] == "E0009");
}

TEST_CASE("the summary counts errors and warnings") {
  SourceManager sources;
  DiagnosticEngine engine;
  engine.Report(Make(DiagKind::kUnreadableFile, Span{}, "a", "b"));
  engine.Report(Make(DiagKind::kUnreadableFile, Span{}, "a", "b"));
  engine.Report(Make(DiagKind::kUnknownTopologyKey, Span{}, "k"));
  std::ostringstream out;
  TextRenderer(sources, false).RenderAll(engine, out);
  CHECK(out.str().substr(out.str().rfind("2 errors")) == "2 errors, 1 warning emitted\n");
}

}  // namespace topoc::diag
