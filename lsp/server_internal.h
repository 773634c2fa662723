// What the files of the LSP server share and nothing else sees: the open
// documents, the checked units, and the JSON helpers of the request
// handlers (server.cc dispatches; navigation.cc, edits.cc and completion.cc
// answer the requests).
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "compiler/driver/compilation.h"
#include "compiler/driver/project.h"
#include "compiler/sema/config_keys.h"
#include "lsp/index.h"
#include "lsp/server.h"
#include "lsp/text.h"

namespace topoc::lsp {

// JSON-RPC and LSP error codes.
namespace err {
constexpr int kParseError = -32700;
constexpr int kInvalidRequest = -32600;
constexpr int kMethodNotFound = -32601;
constexpr int kInvalidParams = -32602;
constexpr int kInternalError = -32603;
constexpr int kServerNotInitialized = -32002;
constexpr int kRequestFailed = -32803;
}  // namespace err

// An open document.
struct Doc {
  std::string uri;
  std::string path;  // canonical
  std::string text;
  int64_t version = 0;
};

// What is checked together: a project (every topologies/*.topo, with the
// files they import) or one file outside any project.
struct Unit {
  std::string key;                        // the project root, or the file's path
  std::optional<driver::Project> project;
  std::string file;                       // a lone file
  bool pending = false;
  Clock::time_point deadline;
  std::shared_ptr<driver::Compilation> comp;
  // The last check without syntax errors (completion reads its IR while
  // the text being typed does not parse).
  std::shared_ptr<driver::Compilation> good;
  std::unordered_map<std::string, FileId> files;  // canonical path -> file
  std::vector<std::unique_ptr<LineIndex>> lines;  // by FileId
  Index index;
  std::set<std::string> published;                // URIs with diagnostics last time

  const LineIndex& Lines(FileId id) {
    if (lines.size() <= id) lines.resize(comp->sources.FileCount());
    if (!lines[id]) lines[id] = std::make_unique<LineIndex>(comp->sources.Contents(id));
    return *lines[id];
  }
  std::optional<FileId> FileOf(const std::string& path) const {
    auto it = files.find(path);
    if (it == files.end()) return std::nullopt;
    return it->second;
  }
};

// Thrown by the field readers: answered as InvalidParams.
struct BadParams : std::runtime_error {
  using std::runtime_error::runtime_error;
};

std::string Canonical(const std::string& path);
const Json& Field(const Json& j, const char* name);
std::string StringField(const Json& j, const char* name);
Position PositionOf(const Json& j);
Json ToJson(Position p);
int SeverityNumber(Severity s);
std::string_view TypeWords(sema::ConfigType t);
std::string ConfigKeyDoc(std::string_view key);
// The LSP Location of `s`.
Json LocationOf(Unit& unit, Span s);

}  // namespace topoc::lsp
