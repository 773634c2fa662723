#include "compiler/diag/renderer.h"

#include <sstream>

#include <doctest/doctest.h>

#include "compiler/diag/diagnostic_kinds.h"

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

namespace topoc::diag {

TEST_CASE("a long source line is cut to a window around the span, with …") {
  SourceManager sources;
  std::string line = std::string(5000, 'a') + " bad " + std::string(5000, 'b');
  FileId file = sources.AddFile("long.topo", line + "\n");
  Diagnostic d = Make(DiagKind::kUnknownComponent, Span{file, 5001, 5004}, "bad");
  std::string text = RenderText(sources, d);
  CHECK_MESSAGE(text.size() < 400, text);
  // " 1 | …" + 40 bytes of context + the span, then "…" at the end.
  std::string shown = " 1 | \xE2\x80\xA6" + std::string(39, 'a') + " bad " + std::string(76, 'b') + "\xE2\x80\xA6\n";
  CHECK_MESSAGE(text.find(shown) != std::string::npos, text);
  // The caret sits under "bad": "   | " + one cell for "…" + 40 cells.
  CHECK_MESSAGE(text.find("\n   | " + std::string(41, ' ') + "^~~\n") != std::string::npos, text);
  // The same in JSON, and the JSON line is bounded too.
  std::ostringstream json;
  JsonRenderer(sources).Render(d, json);
  CHECK(json.str().size() < 1000);
  CHECK(nlohmann::json::parse(json.str())["rendered"] == text);
}

TEST_CASE("a span longer than the window is underlined to the window's end") {
  SourceManager sources;
  FileId file = sources.AddFile("long.topo", "x " + std::string(100000, 'i') + " y\n");
  Diagnostic d = Make(DiagKind::kUnknownComponent, Span{file, 2, 100002}, "i");
  std::string text = RenderText(sources, d);
  CHECK_MESSAGE(text.size() < 1200, text);  // the message names it: shortened
  CHECK(text.find("\xE2\x80\xA6") != std::string::npos);
  CHECK(text.find("^" + std::string(kSnippetWidth - 3, '~') + "\n") != std::string::npos);
}

TEST_CASE("every invalid UTF-8 sequence is shown the same way (U+FFFD per byte)") {
  SourceManager sources;
  // A stray byte, a truncated sequence, an encoded surrogate, an overlong
  // '/', a value past U+10FFFF; then valid 'é' and a control byte.
  FileId file = sources.AddFile("u.topo", "a \xff \xe2\x82 \xed\xa0\x80 \xc0\xaf \xf4\x90\x80\x80 \xc3\xa9\x01 z\n");
  Diagnostic d = Make(DiagKind::kUnknownComponent, Span{file, 23, 24}, "z");
  std::string text = RenderText(sources, d);
  const std::string r = "\xEF\xBF\xBD";
  CHECK_MESSAGE(text.find(" 1 | a " + r + " " + r + r + " " + r + r + r + " " + r + r + " " + r + r + r + r +
                          " \xc3\xa9? z\n") != std::string::npos,
                text);
  // One cell per shown character: the caret lands under 'z' (column 24 of
  // bytes, 22 displayed characters before it).
  CHECK_MESSAGE(text.find("\n   | " + std::string(22, ' ') + "^\n") != std::string::npos, text);
}

TEST_CASE("long messages and labels are shortened around …") {
  std::string big(10000, 'q');
  std::string s = Shorten(big);
  CHECK(s.size() <= kMaxMessageBytes);
  CHECK(s.find("\xE2\x80\xA6") != std::string::npos);
  CHECK(Shorten("short") == "short");
}

}  // namespace topoc::diag

namespace topoc::diag {

// Render writes JSON directly; it must be byte for byte what dumping
// ToJson's tree gives: every field, null for missing ones, escapes, and
// U+FFFD for invalid UTF-8 in messages, labels, file names and sources.
TEST_CASE("JSON rendering writes exactly ToJson's dump") {
  SourceManager sources;
  FileId good = sources.AddFile("dir/t.topo", "topology t {\n  bolt b = python \"a.B\" { input x }\n}\n");
  FileId bad = sources.AddFile("bad\xff\tname\".topo",
                               "topology \xed\xa0\x80 { \"\xc0\xaf\" \x01\x7f \xf4\x90\x80\x80 \xe2\x82 }\n");
  std::vector<Diagnostic> ds;
  Fixture f;
  ds.push_back(f.d);
  ds.push_back(Make(DiagKind::kUnreadableFile, Span{}, "x\xff.topo", "no such \"file\"\n"));
  ds.push_back(Make(DiagKind::kInvalidUtf8, Span{bad, 9, 12}, "ed"));
  Diagnostic labelled = Make(DiagKind::kUnknownComponent, Span{good, 40, 41}, "x\x02\xe2\x82");
  labelled.primary_label = "not \xc3\x28 declared";
  labelled.labels.push_back({Span{bad, 0, 8}, "label \\ with \"quotes\" \xf0\x9f\x98\x80"});
  labelled.labels.push_back({Span{}, "dropped: no span"});
  labelled.fixits.push_back({Span{good, 40, 41}, "y"});
  labelled.fixits.push_back({Span{bad, 13, 30}, "\xff\xfe"});
  labelled.notes.push_back(Note(Span{bad, 20, 25}, "in \xe2\x82 the middle"));
  labelled.notes.push_back(Help("no span", Span{}, std::string("z")));
  ds.push_back(labelled);
  Diagnostic long_message = Make(DiagKind::kUnknownComponent, Span{bad, 0, 30}, std::string(5000, 'q'));
  ds.push_back(long_message);
  for (const Diagnostic& d : ds) {
    std::ostringstream out;
    JsonRenderer renderer(sources);
    renderer.Render(d, out);
    INFO(out.str());
    CHECK(out.str() == renderer.ToJson(d, true).dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n");
    CHECK(nlohmann::json::parse(out.str()).is_object());
  }
}

}  // namespace topoc::diag
