// The language server driven by a scripted client: every feature, on a
// small project on disk (a topology importing a template from another
// file), with the client's unsaved text laid over it.
#include "lsp/server.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include <doctest/doctest.h>

#include "compiler/format/format.h"
#include "lsp/text.h"

namespace topoc::lsp {

namespace {

namespace fs = std::filesystem;

void Write(const fs::path& p, const std::string& text) {
  fs::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << text;
}

const char* kMain =
    "import \"../lib/common.topo\"\n"
    "\n"
    "topology words {\n"
    "    config {\n"
    "        topology.workers: 2\n"
    "    }\n"
    "\n"
    "    spout word-spout = python \"spouts.words.WordSpout\" {\n"
    "        output (word)\n"
    "    }\n"
    "    bolt counter = counting {\n"
    "        input word-spout fields(word)\n"
    "    }\n"
    "    bolt log = python \"bolts.Log\" {\n"
    "        input counter.errors shuffle\n"
    "    }\n"
    "}\n";

const char* kLib =
    "template counting = python \"bolts.Count\" {\n"
    "    output (word, count)\n"
    "    output errors (word)\n"
    "}\n";

// A temporary project: config.json, topologies/main.topo, lib/common.topo, src/.
struct Project {
  fs::path root;
  Project() {
    root = fs::temp_directory_path() / ("topoc-lsp-test-" + std::to_string(::getpid()));
    fs::remove_all(root);
    Write(root / "config.json", "{}\n");
    Write(root / "topologies" / "main.topo", kMain);
    Write(root / "lib" / "common.topo", kLib);
    Write(root / "src" / "spouts" / "words.py", "from streamparse import Spout\n\nclass WordSpout(Spout):\n    pass\n");
    Write(root / "src" / "bolts.py", "class Count:\n    pass\n\n\nclass Log:\n    pass\n");
  }
  ~Project() { fs::remove_all(root); }
  std::string Uri(const std::string& rel) const {
    return PathToUri(fs::weakly_canonical(root / rel).string());
  }
};

struct Client {
  std::vector<Json> out;
  Server server{[this](const Json& j) { out.push_back(j); }, ServerOptions{std::chrono::milliseconds(0)}};
  int next_id = 1;

  Json Request(const std::string& method, Json params) {
    int id = next_id++;
    server.Handle(Json{{"jsonrpc", "2.0"}, {"id", id}, {"method", method}, {"params", std::move(params)}});
    for (const Json& j : out) {
      if (j.contains("id") && j["id"] == id) return j;
    }
    FAIL("no answer to " << method);
    return nullptr;
  }
  void Notify(const std::string& method, Json params) {
    server.Handle(Json{{"jsonrpc", "2.0"}, {"method", method}, {"params", std::move(params)}});
  }
  void Initialize() {
    Json r = Request("initialize", {{"processId", nullptr}, {"rootUri", nullptr}, {"capabilities", Json::object()}});
    REQUIRE(r.contains("result"));
    Notify("initialized", Json::object());
  }
  void Open(const std::string& uri, const std::string& text) {
    Notify("textDocument/didOpen",
           {{"textDocument", {{"uri", uri}, {"languageId", "topo"}, {"version", 1}, {"text", text}}}});
  }
  // The diagnostics last published for `uri` (null when none were).
  Json Diagnostics(const std::string& uri) const {
    Json last = nullptr;
    for (const Json& j : out) {
      if (j.value("method", "") == "textDocument/publishDiagnostics" && j["params"]["uri"] == uri) {
        last = j["params"]["diagnostics"];
      }
    }
    return last;
  }
  size_t Publishes() const {
    size_t n = 0;
    for (const Json& j : out) n += j.value("method", "") == "textDocument/publishDiagnostics";
    return n;
  }
};

Json Pos(int line, int character) { return Json{{"line", line}, {"character", character}}; }
Json At(const std::string& uri, int line, int character) {
  return Json{{"textDocument", {{"uri", uri}}}, {"position", Pos(line, character)}};
}

}  // namespace

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

TEST_CASE("lsp: hover, definition, references, rename, symbols") {
  Project p;
  Client c;
  c.Initialize();
  std::string uri = p.Uri("topologies/main.topo"), lib_uri = p.Uri("lib/common.topo");
  c.Open(uri, kMain);

  Json r = c.Request("textDocument/hover", At(uri, 10, 10));  // bolt counter
  std::string md = r["result"]["contents"]["value"];
  CHECK(md.find("**bolt** `counter`") != std::string::npos);
  CHECK(md.find("bolts.Count") != std::string::npos);
  CHECK(md.find("template `counting`") != std::string::npos);
  CHECK(md.find("`errors` (word)") != std::string::npos);
  CHECK(md.find("parallelism 1") != std::string::npos);
  CHECK(r["result"]["range"]["start"] == Pos(10, 9));
  r = c.Request("textDocument/hover", At(uri, 4, 12));  // topology.workers
  md = r["result"]["contents"]["value"];
  CHECK(md.find("topology.workers") != std::string::npos);
  CHECK(md.find("integer") != std::string::npos);
  r = c.Request("textDocument/hover", At(uri, 6, 0));  // blank line
  CHECK(r["result"].is_null());

  r = c.Request("textDocument/definition", At(uri, 10, 22));  // `counting`
  CHECK(r["result"]["uri"] == lib_uri);
  CHECK(r["result"]["range"]["start"] == Pos(0, 9));
  r = c.Request("textDocument/definition", At(uri, 11, 16));  // input word-spout
  CHECK(r["result"]["uri"] == uri);
  CHECK(r["result"]["range"]["start"] == Pos(7, 10));
  r = c.Request("textDocument/definition", At(uri, 0, 12));  // the import
  CHECK(r["result"]["uri"] == lib_uri);
  r = c.Request("textDocument/definition", At(uri, 14, 23));  // counter.errors
  CHECK(r["result"]["uri"] == lib_uri);
  CHECK(r["result"]["range"]["start"] == Pos(2, 11));

  r = c.Request("textDocument/references", At(uri, 7, 12));
  CHECK(r["result"].size() == 2);
  r = c.Request("textDocument/references",
                {{"textDocument", {{"uri", uri}}}, {"position", Pos(7, 12)}, {"context", {{"includeDeclaration", false}}}});
  CHECK(r["result"].size() == 1);

  r = c.Request("textDocument/prepareRename", At(uri, 7, 12));
  CHECK(r["result"]["placeholder"] == "word-spout");
  r = c.Request("textDocument/rename",
                {{"textDocument", {{"uri", uri}}}, {"position", Pos(7, 12)}, {"newName", "words"}});
  Json edits = r["result"]["changes"][uri];
  REQUIRE(edits.size() == 2);
  CHECK(edits[0]["newText"] == "words");
  // A stream declared in another file: the edit reaches it.
  r = c.Request("textDocument/rename",
                {{"textDocument", {{"uri", uri}}}, {"position", Pos(14, 23)}, {"newName", "bad words"}});
  CHECK(r["result"]["changes"][uri][0]["newText"] == "\"bad words\"");
  CHECK(r["result"]["changes"][lib_uri][0]["range"]["start"] == Pos(2, 11));
  r = c.Request("textDocument/rename",
                {{"textDocument", {{"uri", uri}}}, {"position", Pos(2, 2)}, {"newName", "x"}});
  CHECK(r["error"]["code"] == -32803);  // `topology`: nothing to rename

  r = c.Request("textDocument/documentSymbol", {{"textDocument", {{"uri", uri}}}});
  REQUIRE(r["result"].size() == 1);
  Json topo = r["result"][0];
  CHECK(topo["name"] == "words");
  REQUIRE(topo["children"].size() == 3);
  CHECK(topo["children"][0]["name"] == "word-spout");
  CHECK(topo["children"][0]["detail"] == "spout = python spouts.words.WordSpout");
  CHECK(topo["children"][0]["children"][0]["name"] == "default");
  CHECK(topo["children"][0]["children"][0]["detail"] == "(word)");
}

TEST_CASE("lsp: hover explains the diagnostic under the cursor") {
  Project p;
  Client c;
  c.Initialize();
  std::string uri = p.Uri("topologies/main.topo");
  std::string text = kMain;
  text.replace(text.find("input word-spout"), 16, "input word-spot ");
  c.Open(uri, text);
  Json r = c.Request("textDocument/hover", At(uri, 11, 18));
  std::string md = r["result"]["contents"]["value"];
  CHECK(md.find("**E0201**") != std::string::npos);
  CHECK(md.find("topoc explain E0201") != std::string::npos);
}

TEST_CASE("lsp: formatting gives topoc fmt's bytes") {
  Project p;
  Client c;
  c.Initialize();
  std::string uri = p.Uri("topologies/main.topo");
  std::string messy = "topology t{spout s=python \"a.B\"{output(x)}  // c\n}";
  c.Open(uri, messy);
  Json r = c.Request("textDocument/formatting", {{"textDocument", {{"uri", uri}}}, {"options", {{"tabSize", 4}}}});
  REQUIRE(r["result"].size() == 1);
  CHECK(r["result"][0]["newText"] == *format::FormatText(messy));
  CHECK(r["result"][0]["range"]["end"] == Pos(1, 1));
  c.Notify("textDocument/didChange", {{"textDocument", {{"uri", uri}, {"version", 2}}},
                                      {"contentChanges", Json::array({{{"text", "topology {"}}})}});
  r = c.Request("textDocument/formatting", {{"textDocument", {{"uri", uri}}}, {"options", Json::object()}});
  CHECK(r["error"]["code"] == -32803);
}

TEST_CASE("lsp: completion") {
  Project p;
  Client c;
  c.Initialize();
  std::string uri = p.Uri("topologies/main.topo");
  c.Open(uri, kMain);
  c.server.RunAll();
  auto labels = [&](const std::string& text, int line, int character) {
    c.Notify("textDocument/didChange", {{"textDocument", {{"uri", uri}, {"version", 9}}},
                                        {"contentChanges", Json::array({{{"text", text}}})}});
    Json r = c.Request("textDocument/completion", At(uri, line, character));
    std::set<std::string> out;
    for (const Json& i : r["result"]) out.insert(i["label"].get<std::string>());
    return out;
  };
  std::string text = kMain;
  // A new bolt being typed at line 16.
  auto typing = [&](const std::string& partial) {
    std::string t = text;
    t.insert(t.rfind("}\n"), "    bolt x = python \"bolts.Log\" {\n        " + partial + "\n    }\n");
    return labels(t, 17, 8 + static_cast<int>(partial.size()));
  };
  std::set<std::string> got = typing("input ");
  CHECK(got == std::set<std::string>{"word-spout", "counter", "log", "x"});
  got = typing("input counter.");
  CHECK(got == std::set<std::string>{"default", "errors"});
  got = typing("input counter fields(");
  CHECK(got == std::set<std::string>{"word", "count"});
  got = typing("input counter.errors partial-key(");
  CHECK(got == std::set<std::string>{"word"});
  got = typing("input counter ");
  CHECK(got.count("shuffle"));
  CHECK(got.count("local-or-shuffle"));
  got = typing("");
  CHECK(got == std::set<std::string>{"output", "input", "parallelism", "tasks", "config"});
  std::string cfg = text;
  cfg.insert(cfg.find("        topology.workers"), "        topology.\n");
  got = labels(cfg, 4, 17);
  CHECK(got.count("topology.message.timeout.secs"));
  std::string py = text;
  py.insert(py.rfind("}\n"), "    spout y = python \"\n");
  got = labels(py, 16, 22);
  CHECK(got.count("spouts.words.WordSpout"));
  CHECK(got.count("bolts.Count"));
  std::string eq = text;
  eq.insert(eq.rfind("}\n"), "    bolt z = \n");
  got = labels(eq, 16, 13);
  CHECK(got.count("counting"));
  CHECK(got.count("python"));
  got = labels("", 0, 0);
  CHECK(got == std::set<std::string>{"import", "template", "topology"});
}

}  // namespace topoc::lsp
