// The language server driven by a scripted client (lsp/test_client.h):
// the JSON-RPC lifecycle, diagnostics after edits, debouncing, and
// re-checks of importers, with the client's unsaved text laid over the
// project on disk.
#include <doctest/doctest.h>

#include "lsp/test_client.h"

namespace topoc::lsp {

TEST_CASE("lsp: lifecycle and JSON-RPC errors") {
  Client c;
  Json r = c.Request("textDocument/hover", At("file:///x.topo", 0, 0));
  CHECK(r["error"]["code"] == -32002);  // not initialized
  c.Initialize();
  Json caps = c.out[1]["result"]["capabilities"];
  CHECK(caps["textDocumentSync"]["change"] == 2);
  CHECK(caps["positionEncoding"] == "utf-16");
  r = c.Request("no/such/method", Json::object());
  CHECK(r["error"]["code"] == -32601);
  r = c.Request("textDocument/hover", {{"textDocument", {{"uri", "file:///x.topo"}}}});
  CHECK(r["error"]["code"] == -32602);  // no position
  size_t before = c.out.size();
  c.server.HandleText("{not json");
  REQUIRE(c.out.size() == before + 1);
  CHECK(c.out.back()["error"]["code"] == -32700);
  CHECK(c.out.back()["id"].is_null());
  c.server.HandleText("[1, 2]");
  CHECK(c.out.back()["error"]["code"] == -32600);
  c.server.HandleText(R"({"jsonrpc":"2.0","id":{"a":1},"method":"x"})");
  CHECK(c.out.back()["error"]["code"] == -32600);
  before = c.out.size();
  c.Notify("some/unknownNotification", Json::object());  // notifications are never answered
  c.Notify("textDocument/didChange", Json::object());   // even with bad params
  CHECK(c.out.size() == before);
  CHECK_FALSE(c.server.exited());
  r = c.Request("shutdown", nullptr);
  CHECK(r.contains("result"));
  CHECK(r["result"].is_null());
  r = c.Request("textDocument/hover", At("file:///x.topo", 0, 0));
  CHECK(r["error"]["code"] == -32600);  // after shutdown
  c.Notify("exit", nullptr);
  CHECK(c.server.exited());
  CHECK(c.server.exit_code() == 0);

  Client d;
  d.Initialize();
  d.Notify("exit", nullptr);
  CHECK(d.server.exited());
  CHECK(d.server.exit_code() == 1);  // exit without shutdown
}

TEST_CASE("lsp: diagnostics after open and change, in UTF-16 columns, cleared when fixed") {
  Project p;
  Client c;
  c.Initialize();
  std::string uri = p.Uri("topologies/main.topo");
  std::string text = kMain;
  // A typo after non-ASCII text on the same line: 'é' is 1 UTF-16 unit, '😀' 2.
  std::string bad = "        /* \xC3\xA9\xF0\x9F\x98\x80 */ input word-spot fields(word)\n";
  size_t at = text.find("        input word-spout fields(word)\n");
  text.replace(at, std::string("        input word-spout fields(word)\n").size(), bad);
  c.Open(uri, text);
  CHECK(c.Diagnostics(uri).is_null());  // debounced: nothing yet
  c.server.RunAll();
  Json diags = c.Diagnostics(uri);
  REQUIRE(diags.size() == 1);
  Json d = diags[0];
  CHECK(d["code"] == "E0201");
  CHECK(d["severity"] == 1);
  CHECK(d["source"] == "topoc");
  CHECK(d["range"]["start"] == Pos(11, 24));  // 8 + "/* " 3 + 3 units + " */ " 4 + "input " 6
  CHECK(d["range"]["end"] == Pos(11, 33));
  CHECK(d["message"].get<std::string>().find("did you mean 'word-spout'?") != std::string::npos);
  std::string href = d["codeDescription"]["href"];
  CHECK(href.substr(href.size() - 8) == "E0201.md");

  // Quick fix from the did-you-mean.
  Json r = c.Request("textDocument/codeAction",
                     {{"textDocument", {{"uri", uri}}},
                      {"range", {{"start", Pos(11, 25)}, {"end", Pos(11, 25)}}},
                      {"context", {{"diagnostics", diags}}}});
  REQUIRE(r["result"].size() == 1);
  Json action = r["result"][0];
  CHECK(action["kind"] == "quickfix");
  Json edit = action["edit"]["changes"][uri][0];
  CHECK(edit["newText"] == "word-spout");
  CHECK(edit["range"]["start"] == Pos(11, 24));

  // Apply it as an incremental change: the error goes away.
  c.Notify("textDocument/didChange",
           {{"textDocument", {{"uri", uri}, {"version", 2}}},
            {"contentChanges", Json::array({{{"range", edit["range"]}, {"text", "word-spout"}}})}});
  c.server.RunAll();
  CHECK(c.Diagnostics(uri) == Json::array());

  // Related information for notes: a duplicate id points at the first one.
  c.Notify("textDocument/didChange",
           {{"textDocument", {{"uri", uri}, {"version", 3}}},
            {"contentChanges", Json::array({{{"text", std::string(kMain) + "topology words {}\n"}}})}});
  c.server.RunAll();
  diags = c.Diagnostics(uri);
  REQUIRE(diags.size() >= 1);
  CHECK(diags[0]["code"] == "E0210");
  REQUIRE(diags[0].contains("relatedInformation"));
  CHECK(diags[0]["relatedInformation"][0]["location"]["uri"] == uri);
  CHECK(diags[0]["relatedInformation"][0]["location"]["range"]["start"]["line"] == 2);
}

TEST_CASE("lsp: changes are debounced into one check") {
  Project p;
  Client c;
  c.server.Handle(Json{{"jsonrpc", "2.0"}, {"id", 0}, {"method", "initialize"},
                       {"params", {{"initializationOptions", {{"debounceMs", 200}}}}}});
  std::string uri = p.Uri("topologies/main.topo");
  c.Open(uri, kMain);
  for (int v = 2; v < 6; ++v) {
    c.Notify("textDocument/didChange", {{"textDocument", {{"uri", uri}, {"version", v}}},
                                        {"contentChanges", Json::array({{{"text", kMain}}})}});
  }
  auto deadline = c.server.NextDeadline();
  REQUIRE(deadline.has_value());
  CHECK(*deadline > Clock::now() + std::chrono::milliseconds(100));
  c.server.RunDue(Clock::now());
  CHECK(c.Publishes() == 0);
  c.server.RunDue(*deadline);
  CHECK_FALSE(c.server.NextDeadline().has_value());
}

TEST_CASE("lsp: an edit in an imported file re-checks its importers") {
  Project p;
  Client c;
  c.Initialize();
  std::string main_uri = p.Uri("topologies/main.topo"), lib_uri = p.Uri("lib/common.topo");
  c.Open(main_uri, kMain);
  c.Open(lib_uri, kLib);
  c.server.RunAll();
  CHECK((c.Diagnostics(main_uri).is_null() || c.Diagnostics(main_uri).empty()));
  // The template loses its `errors` stream (unsaved): main.topo's
  // `input counter.errors` is now wrong.
  c.Notify("textDocument/didChange",
           {{"textDocument", {{"uri", lib_uri}, {"version", 2}}},
            {"contentChanges", Json::array({{{"range", {{"start", Pos(2, 0)}, {"end", Pos(3, 0)}}}, {"text", ""}}})}});
  c.server.RunAll();
  Json diags = c.Diagnostics(main_uri);
  REQUIRE(diags.size() == 1);
  CHECK(diags[0]["code"] == "E0202");
  CHECK(diags[0]["range"]["start"]["line"] == 14);
  // Closing the buffer drops the unsaved text: the file on disk is fine.
  c.Notify("textDocument/didClose", {{"textDocument", {{"uri", lib_uri}}}});
  c.server.RunAll();
  CHECK(c.Diagnostics(main_uri) == Json::array());
}

}  // namespace topoc::lsp
