// Formatting through the server: topoc fmt's bytes as one edit.
#include <doctest/doctest.h>

#include "compiler/format/format.h"
#include "lsp/test_client.h"

namespace topoc::lsp {

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

}  // namespace topoc::lsp
