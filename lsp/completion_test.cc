// Completion by what encloses the cursor, on the test project
// (lsp/test_client.h).
#include <doctest/doctest.h>

#include "lsp/test_client.h"

namespace topoc::lsp {

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
