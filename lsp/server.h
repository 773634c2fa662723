// `topoc lsp`: a Language Server Protocol 3.17 server for .topo files
// (docs/editors.md). The compiler runs in process: each check is a
// driver::Compile over the project with the editor's unsaved buffers laid
// over the files on disk.
//
// The server is a message handler with no I/O of its own: Handle() takes
// one JSON-RPC message and answers through the sink; checks after edits are
// debounced and run by RunDue() once their deadline passes. RunServer()
// drives it over a stream pair (stdio) with a reader thread, so a burst of
// edits costs one check. Tests drive the Server directly.
#pragma once

#include <chrono>
#include <functional>
#include <istream>
#include <map>
#include <memory>
#include <optional>
#include <ostream>
#include <set>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace topoc::lsp {

using Clock = std::chrono::steady_clock;
using Json = nlohmann::json;

struct ServerOptions {
  // Quiet time after an edit before the check runs (initializationOptions
  // {"debounceMs": N} overrides it).
  std::chrono::milliseconds debounce{10};
};

struct Unit;
struct Doc;

class Server {
 public:
  using Sink = std::function<void(const Json&)>;
  explicit Server(Sink sink, ServerOptions options = {});
  ~Server();

  // One message as received: bad JSON is answered with a parse error.
  void HandleText(std::string_view body);
  void Handle(const Json& message);

  // The earliest deadline of a pending check, if any.
  std::optional<Clock::time_point> NextDeadline() const;
  // Runs the checks whose deadline is at or before `now`.
  void RunDue(Clock::time_point now);
  // Runs every pending check now.
  void RunAll() { RunDue(Clock::time_point::max()); }

  bool exited() const { return exited_; }
  // After `exit`: 0 when `shutdown` came first, else 1 (LSP 3.17).
  int exit_code() const { return shutdown_ ? 0 : 1; }

 private:
  void Request(const Json& id, const std::string& method, const Json& params);
  void Notification(const std::string& method, const Json& params);
  void Reply(const Json& id, Json result);
  void ReplyError(const Json& id, int code, const std::string& message);
  void Notify(const std::string& method, Json params);

  void DidOpen(const Json& params);
  void DidChange(const Json& params);
  void DidClose(const Json& params);
  void DidSave(const Json& params);
  void OpenedOrChanged(Doc& doc);

  Unit& UnitFor(const std::string& path);
  void Schedule(Unit& unit);
  void Check(Unit& unit);
  void Publish(Unit& unit);
  // The up-to-date analysis holding `uri` (its checks run first if due).
  Unit* Analysis(const std::string& uri);
  // The canonical path of `uri`: the open document's, else the URI's.
  std::string PathOf(const std::string& uri);

  // The analysis, file and byte offset a request's textDocument and
  // position name.
  struct Place {
    Unit* unit;
    uint32_t file;
    uint32_t offset;
  };
  std::optional<Place> PlaceOf(const Json& params);

  Json Hover(const Json& params);
  Json Definition(const Json& params);
  Json References(const Json& params);
  Json Rename(const Json& params);
  Json PrepareRename(const Json& params);
  Json DocumentSymbols(const Json& params);
  Json CodeActions(const Json& params);
  Json Completion(const Json& params);
  Json Formatting(const Json& params);

  Sink sink_;
  ServerOptions options_;
  bool initialized_ = false;
  bool shutdown_ = false;
  bool exited_ = false;
  std::map<std::string, std::unique_ptr<Doc>> docs_;     // by URI
  std::map<std::string, std::string> overlays_;          // canonical path -> text
  std::map<std::string, std::unique_ptr<Unit>> units_;  // by project root or file path
};

// Serves LSP over `in`/`out` (Content-Length framing) until `exit` or the
// end of `in`. Returns the process exit code.
int RunServer(std::istream& in, std::ostream& out, ServerOptions options = {});

}  // namespace topoc::lsp
