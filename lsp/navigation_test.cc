// Hover, definition, references, rename and document symbols on the test
// project (lsp/test_client.h).
#include <doctest/doctest.h>

#include "lsp/test_client.h"

namespace topoc::lsp {

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

}  // namespace topoc::lsp
