// For the lsp tests: a scripted client driving a Server, and a small
// project on disk (a topology importing a template from another file).
#pragma once

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "lsp/server.h"
#include "lsp/text.h"

namespace topoc::lsp {

namespace fs = std::filesystem;

inline void Write(const fs::path& p, const std::string& text) {
  fs::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << text;
}

inline constexpr const char* kMain =
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

inline constexpr const char* kLib =
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

inline Json Pos(int line, int character) { return Json{{"line", line}, {"character", character}}; }
inline Json At(const std::string& uri, int line, int character) {
  return Json{{"textDocument", {{"uri", uri}}}, {"position", Pos(line, character)}};
}

}  // namespace topoc::lsp
