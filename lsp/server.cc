#include "lsp/server.h"

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <mutex>
#include <thread>

#include "lsp/server_internal.h"
#include "lsp/transport.h"

namespace topoc::lsp {

namespace fs = std::filesystem;

std::string Canonical(const std::string& path) {
  std::error_code ec;
  fs::path p = fs::weakly_canonical(fs::absolute(path, ec), ec);
  return p.string();
}

const Json& Field(const Json& j, const char* name) {
  if (!j.is_object() || !j.contains(name)) throw BadParams(std::string("missing '") + name + "'");
  return j.at(name);
}
std::string StringField(const Json& j, const char* name) {
  const Json& v = Field(j, name);
  if (!v.is_string()) throw BadParams(std::string("'") + name + "' must be a string");
  return v.get<std::string>();
}
Position PositionOf(const Json& j) {
  const Json& line = Field(j, "line");
  const Json& ch = Field(j, "character");
  if (!line.is_number_integer() || !ch.is_number_integer()) throw BadParams("a position needs integer line and character");
  return Position{line.get<int>(), ch.get<int>()};
}

Json ToJson(Position p) { return Json{{"line", p.line}, {"character", p.character}}; }

int SeverityNumber(Severity s) {
  switch (s) {
    case Severity::kError: return 1;
    case Severity::kWarning: return 2;
    case Severity::kNote: return 3;
    case Severity::kHelp: return 4;
  }
  return 1;
}

std::string_view TypeWords(sema::ConfigType t) {
  switch (t) {
    case sema::ConfigType::kAny: return "any value";
    case sema::ConfigType::kBool: return "boolean";
    case sema::ConfigType::kInt: return "integer";
    case sema::ConfigType::kPositiveInt: return "positive integer";
    case sema::ConfigType::kNonNegativeInt: return "non-negative integer";
    case sema::ConfigType::kString: return "string";
    case sema::ConfigType::kStringOrStringList: return "string or list of strings";
    case sema::ConfigType::kStringList: return "list of strings";
    case sema::ConfigType::kStringMap: return "map of string to string";
    case sema::ConfigType::kPositiveNumber: return "positive number";
    case sema::ConfigType::kNonNegativeNumber: return "non-negative number";
    case sema::ConfigType::kKryoRegister: return "list of class names or {class: serializer} maps";
  }
  return "any value";
}

std::string ConfigKeyDoc(std::string_view key) {
  const sema::ConfigKeyInfo* info = sema::FindConfigKey(key);
  if (!info) return "";
  std::string out = "Storm config `" + std::string(key) + "`: " + std::string(TypeWords(info->type));
  if (info->not_null) out += ", not null";
  return out;
}


Json LocationOf(Unit& unit, Span s) {
  const LineIndex& li = unit.Lines(s.file);
  std::error_code ec;
  std::string path = fs::weakly_canonical(fs::absolute(unit.comp->sources.Path(s.file), ec), ec).string();
  return Json{{"uri", PathToUri(path)},
              {"range", {{"start", ToJson(li.ToPosition(s.begin))}, {"end", ToJson(li.ToPosition(s.end))}}}};
}

namespace {

// Where `topoc explain CODE` has its page: the installed docs, else the
// source tree's.
std::string ExplainUri(const std::string& code) {
  std::error_code ec;
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    fs::path installed = exe.parent_path().parent_path() / "share" / "doc" / "topoc" / "diagnostics" / (code + ".md");
    if (fs::is_regular_file(installed, ec)) return PathToUri(installed.string());
  }
#ifdef TOPOC_SOURCE_DIR
  return PathToUri((fs::path(TOPOC_SOURCE_DIR) / "docs" / "diagnostics" / (code + ".md")).string());
#else
  return "https://topoc.invalid/diagnostics/" + code;
#endif
}

}  // namespace

Server::Server(Sink sink, ServerOptions options) : sink_(std::move(sink)), options_(options) {}
Server::~Server() = default;

void Server::Reply(const Json& id, Json result) {
  sink_(Json{{"jsonrpc", "2.0"}, {"id", id}, {"result", std::move(result)}});
}
void Server::ReplyError(const Json& id, int code, const std::string& message) {
  sink_(Json{{"jsonrpc", "2.0"}, {"id", id}, {"error", {{"code", code}, {"message", message}}}});
}
void Server::Notify(const std::string& method, Json params) {
  sink_(Json{{"jsonrpc", "2.0"}, {"method", method}, {"params", std::move(params)}});
}

void Server::HandleText(std::string_view body) {
  Json message = Json::parse(body, nullptr, false);
  if (message.is_discarded()) {
    ReplyError(nullptr, err::kParseError, "the message is not valid JSON");
    return;
  }
  Handle(message);
}

void Server::Handle(const Json& message) {
  if (!message.is_object()) {
    ReplyError(nullptr, err::kInvalidRequest, "a message must be a JSON object");
    return;
  }
  bool has_id = message.contains("id");
  Json id = has_id ? message["id"] : Json(nullptr);
  if (has_id && !id.is_string() && !id.is_number_integer() && !id.is_null()) {
    ReplyError(nullptr, err::kInvalidRequest, "'id' must be a string or an integer");
    return;
  }
  if (!message.contains("method")) {
    if (has_id) return;  // a response to a request of ours (we send none): ignored
    ReplyError(nullptr, err::kInvalidRequest, "a message needs a 'method'");
    return;
  }
  if (!message["method"].is_string()) {
    if (has_id) ReplyError(id, err::kInvalidRequest, "'method' must be a string");
    return;
  }
  // JSON-RPC: a message with an id is a request and gets exactly one reply;
  // without, a notification, which never gets one (not even an error).
  std::string method = message["method"].get<std::string>();
  Json params = message.contains("params") ? message["params"] : Json::object();
  try {
    if (has_id) {
      Request(id, method, params);
    } else {
      Notification(method, params);
    }
  } catch (const BadParams& e) {
    if (has_id) ReplyError(id, err::kInvalidParams, method + ": " + e.what());
  } catch (const std::exception& e) {
    if (has_id) ReplyError(id, err::kInternalError, method + ": " + e.what());
  }
}

void Server::Request(const Json& id, const std::string& method, const Json& params) {
  if (shutdown_) {
    ReplyError(id, err::kInvalidRequest, "the server is shut down");
    return;
  }
  if (method == "initialize") {
    if (params.is_object() && params.contains("initializationOptions")) {
      const Json& o = params["initializationOptions"];
      if (o.is_object() && o.contains("debounceMs") && o["debounceMs"].is_number_integer()) {
        options_.debounce = std::chrono::milliseconds(std::max(0, o["debounceMs"].get<int>()));
      }
    }
    initialized_ = true;
    Json caps = {
        {"positionEncoding", "utf-16"},
        {"textDocumentSync", {{"openClose", true}, {"change", 2}, {"save", {{"includeText", false}}}}},
        {"hoverProvider", true},
        {"definitionProvider", true},
        {"referencesProvider", true},
        {"renameProvider", {{"prepareProvider", true}}},
        {"documentSymbolProvider", true},
        {"documentFormattingProvider", true},
        {"codeActionProvider", {{"codeActionKinds", Json::array({"quickfix"})}}},
        {"completionProvider", {{"triggerCharacters", Json::array({".", "(", "\"", " ", ","})}}},
    };
    Reply(id, Json{{"capabilities", caps}, {"serverInfo", {{"name", "topoc"}, {"version", "0.1.0"}}}});
    return;
  }
  if (!initialized_) {
    ReplyError(id, err::kServerNotInitialized, "'initialize' must come first");
    return;
  }
  if (method == "shutdown") {
    shutdown_ = true;
    Reply(id, nullptr);
  } else if (method == "textDocument/hover") {
    Reply(id, Hover(params));
  } else if (method == "textDocument/definition") {
    Reply(id, Definition(params));
  } else if (method == "textDocument/references") {
    Reply(id, References(params));
  } else if (method == "textDocument/prepareRename") {
    Reply(id, PrepareRename(params));
  } else if (method == "textDocument/rename") {
    Json edit = Rename(params);
    if (edit.is_string()) {
      ReplyError(id, err::kRequestFailed, edit.get<std::string>());
    } else {
      Reply(id, std::move(edit));
    }
  } else if (method == "textDocument/documentSymbol") {
    Reply(id, DocumentSymbols(params));
  } else if (method == "textDocument/codeAction") {
    Reply(id, CodeActions(params));
  } else if (method == "textDocument/completion") {
    Reply(id, Completion(params));
  } else if (method == "textDocument/formatting") {
    Json edits = Formatting(params);
    if (edits.is_string()) {
      ReplyError(id, err::kRequestFailed, edits.get<std::string>());
    } else {
      Reply(id, std::move(edits));
    }
  } else {
    ReplyError(id, err::kMethodNotFound, "unknown method '" + method + "'");
  }
}

void Server::Notification(const std::string& method, const Json& params) {
  if (method == "exit") {
    exited_ = true;
    return;
  }
  if (!initialized_ || shutdown_) return;  // notifications before initialize are dropped
  if (method == "textDocument/didOpen") {
    DidOpen(params);
  } else if (method == "textDocument/didChange") {
    DidChange(params);
  } else if (method == "textDocument/didClose") {
    DidClose(params);
  } else if (method == "textDocument/didSave") {
    DidSave(params);
  }
  // initialized, $/cancelRequest, workspace/* and the rest: nothing to do.
}

// --- documents ---

void Server::DidOpen(const Json& params) {
  const Json& td = Field(params, "textDocument");
  auto doc = std::make_unique<Doc>();
  doc->uri = StringField(td, "uri");
  std::string path = UriToPath(doc->uri);
  if (path.empty()) return;  // not a file: nothing to check it with
  doc->path = Canonical(path);
  doc->text = StringField(td, "text");
  if (td.contains("version") && td["version"].is_number_integer()) doc->version = td["version"].get<int64_t>();
  Doc& d = *doc;
  docs_[d.uri] = std::move(doc);
  OpenedOrChanged(d);
}

void Server::DidChange(const Json& params) {
  const Json& td = Field(params, "textDocument");
  auto it = docs_.find(StringField(td, "uri"));
  if (it == docs_.end()) return;
  Doc& doc = *it->second;
  const Json& changes = Field(params, "contentChanges");
  if (!changes.is_array()) throw BadParams("'contentChanges' must be an array");
  for (const Json& c : changes) {
    std::string text = StringField(c, "text");
    if (c.contains("range")) {
      const Json& r = c["range"];
      // Incremental sync: positions are in UTF-16 code units (LSP's default),
      // converted by ApplyEdit; a change without a range replaces the text.
      ApplyEdit(doc.text, PositionOf(Field(r, "start")), PositionOf(Field(r, "end")), text);
    } else {
      doc.text = std::move(text);
    }
  }
  if (td.contains("version") && td["version"].is_number_integer()) doc.version = td["version"].get<int64_t>();
  OpenedOrChanged(doc);
}

void Server::DidClose(const Json& params) {
  const Json& td = Field(params, "textDocument");
  auto it = docs_.find(StringField(td, "uri"));
  if (it == docs_.end()) return;
  std::string path = it->second->path;
  overlays_.erase(path);
  docs_.erase(it);
  // The file on disk is what counts again.
  Unit& unit = UnitFor(path);
  Schedule(unit);
}

void Server::DidSave(const Json& params) {
  const Json& td = Field(params, "textDocument");
  auto it = docs_.find(StringField(td, "uri"));
  if (it == docs_.end()) return;
  Schedule(UnitFor(it->second->path));
}

void Server::OpenedOrChanged(Doc& doc) {
  overlays_[doc.path] = doc.text;
  Schedule(UnitFor(doc.path));
}

// --- checking ---

Unit& Server::UnitFor(const std::string& path) {
  fs::path dir = fs::path(path).parent_path();
  // A file of a project is checked with the whole project (its imports,
  // src/ for the python classes, cross-file errors); a lone file alone.
  std::optional<driver::Project> project = driver::FindProject(dir);
  if (project) {
    std::string key = Canonical(project->root.string());
    auto it = units_.find(key);
    if (it == units_.end()) {
      auto unit = std::make_unique<Unit>();
      unit->key = key;
      unit->project = project;
      it = units_.emplace(key, std::move(unit)).first;
    }
    Unit& u = *it->second;
    bool member = false;
    for (const fs::path& f : project->topo_files) member = member || Canonical(f.string()) == path;
    // A file the project imports belongs to it too (known once checked).
    if (!member && !u.comp && !project->topo_files.empty()) Check(u);
    if (member || u.files.count(path)) return u;
  }
  auto it = units_.find(path);
  if (it == units_.end()) {
    auto unit = std::make_unique<Unit>();
    unit->key = path;
    unit->file = path;
    if (project) unit->project = project;  // for src/ only
    it = units_.emplace(path, std::move(unit)).first;
  }
  return *it->second;
}

// Checks are debounced: typing reschedules the check, so a burst of edits
// costs one compilation after the pause, not one per keystroke.
void Server::Schedule(Unit& unit) {
  unit.pending = true;
  unit.deadline = Clock::now() + options_.debounce;
}

std::optional<Clock::time_point> Server::NextDeadline() const {
  std::optional<Clock::time_point> next;
  for (const auto& [key, u] : units_) {
    if (u->pending && (!next || u->deadline < *next)) next = u->deadline;
  }
  return next;
}

void Server::RunDue(Clock::time_point now) {
  for (auto& [key, u] : units_) {
    if (u->pending && u->deadline <= now) Check(*u);
  }
}

void Server::Check(Unit& unit) {
  unit.pending = false;
  driver::CompileOptions options;
  options.keep_ast = true;
  // Open documents are compiled from the editor's text, not the disk's
  // (driver::CompileOptions::overlays), imports included.
  options.overlays = &overlays_;
  std::error_code ec;
  if (!unit.file.empty()) {
    options.inputs.emplace_back(unit.file);
  } else {
    // Refresh the file list: files come and go.
    if (auto p = driver::FindProject(unit.project->root)) unit.project = p;
    for (const fs::path& f : unit.project->topo_files) options.inputs.emplace_back(Canonical(f.string()));
  }
  if (unit.project && fs::is_directory(unit.project->src_dir(), ec)) options.python_src = unit.project->src_dir();
  // The previous analysis dies after the new one is published: freeing a
  // large AST and IR is not on the way to the diagnostics.
  std::shared_ptr<driver::Compilation> previous = std::move(unit.comp);
  unit.comp = std::make_shared<driver::Compilation>();
  driver::Compile(options, *unit.comp);
  bool syntax_error = false;
  for (const Diagnostic& d : unit.comp->diags.diagnostics()) {
    syntax_error = syntax_error || d.code.rfind("E000", 0) == 0;
  }
  // `good`: the last analysis without a syntax error. While the user types
  // a half-written line, completion and navigation keep using it.
  if (!syntax_error || !unit.good) unit.good = unit.comp;
  unit.files.clear();
  unit.lines.clear();
  for (FileId id = 0; id < unit.comp->sources.FileCount(); ++id) {
    unit.files.emplace(Canonical(unit.comp->sources.Path(id)), id);
  }
  Publish(unit);  // first: the index is for requests, which come later
  Index previous_index = std::move(unit.index);
  unit.index = BuildIndex(*unit.comp);
}

void Server::Publish(Unit& unit) {
  const driver::Compilation& comp = *unit.comp;
  std::map<std::string, Json> by_uri;
  for (const auto& [path, id] : unit.files) by_uri[PathToUri(path)] = Json::array();
  auto range = [&](Span s) {
    const LineIndex& li = unit.Lines(s.file);
    return Json{{"start", ToJson(li.ToPosition(s.begin))}, {"end", ToJson(li.ToPosition(s.end))}};
  };
  auto location = [&](Span s) {
    return Json{{"uri", PathToUri(Canonical(comp.sources.Path(s.file)))}, {"range", range(s)}};
  };
  for (const Diagnostic& d : comp.diags.diagnostics()) {
    Span primary = d.primary;
    if (!primary.valid() || primary.file >= comp.sources.FileCount()) {
      if (comp.sources.FileCount() == 0) continue;
      primary = Span{0, 0, 0};  // file-less (e.g. unreadable input): shown at the top of the first file
    }
    Json j;
    j["range"] = range(primary);
    j["severity"] = SeverityNumber(d.severity);
    j["source"] = "topoc";
    std::string message = d.message;
    if (!d.primary_label.empty()) message += " (" + d.primary_label + ")";
    Json related = Json::array();
    for (const Label& l : d.labels) {
      if (l.span.valid()) related.push_back({{"location", location(l.span)}, {"message", l.text}});
    }
    for (const Diagnostic& n : d.notes) {
      if (n.severity != Severity::kHelp && n.primary.valid() && n.primary.file < comp.sources.FileCount()) {
        related.push_back({{"location", location(n.primary)}, {"message", n.message}});
      } else {
        message += std::string("\n") + (n.severity == Severity::kHelp ? "help: " : "note: ") + n.message;
      }
    }
    j["message"] = message;
    if (!d.code.empty()) {
      j["code"] = d.code;
      j["codeDescription"] = {{"href", ExplainUri(d.code)}};
    }
    if (!related.empty()) j["relatedInformation"] = std::move(related);
    by_uri[PathToUri(Canonical(comp.sources.Path(primary.file)))].push_back(std::move(j));
  }
  std::set<std::string> now;
  for (auto& [uri, diags] : by_uri) {
    // Open documents always hear the outcome; other files when they have
    // something, or had.
    std::string path = UriToPath(uri);
    const Doc* open = nullptr;
    for (const auto& [u, doc] : docs_) {
      if (doc->path == path) open = doc.get();
    }
    if (diags.empty() && !unit.published.count(uri) && !open) continue;
    Json params = {{"uri", open ? open->uri : uri}, {"diagnostics", std::move(diags)}};
    if (open) params["version"] = open->version;
    if (!params["diagnostics"].empty()) now.insert(uri);
    Notify("textDocument/publishDiagnostics", std::move(params));
  }
  // A file that had diagnostics and has none now must be told so: LSP
  // clients keep the last published list until replaced.
  for (const std::string& uri : unit.published) {
    if (!by_uri.count(uri)) Notify("textDocument/publishDiagnostics", {{"uri", uri}, {"diagnostics", Json::array()}});
  }
  unit.published = std::move(now);
}

std::string Server::PathOf(const std::string& uri) {
  auto it = docs_.find(uri);
  return it != docs_.end() ? it->second->path : Canonical(UriToPath(uri));
}

Unit* Server::Analysis(const std::string& uri) {
  std::string path = PathOf(uri);
  if (path.empty()) return nullptr;
  Unit& unit = UnitFor(path);
  if (unit.pending || !unit.comp) Check(unit);
  if (!unit.FileOf(path)) return nullptr;
  return &unit;
}

std::optional<Server::Place> Server::PlaceOf(const Json& params) {
  const std::string uri = StringField(Field(params, "textDocument"), "uri");
  Position pos = PositionOf(Field(params, "position"));
  Unit* unit = Analysis(uri);
  if (!unit) return std::nullopt;
  FileId file = *unit->FileOf(PathOf(uri));
  return Place{unit, file, static_cast<uint32_t>(unit->Lines(file).ToOffset(pos))};
}

// --- stdio ---

int RunServer(std::istream& in, std::ostream& out, ServerOptions options) {
  std::mutex mu;
  std::condition_variable cv;
  std::deque<std::string> queue;
  bool eof = false;
  std::mutex out_mu;
  auto write = [&](const std::string& text) {
    std::lock_guard<std::mutex> lock(out_mu);
    out << Frame(text);
    out.flush();
  };
  Server server(
      [&](const Json& message) {
        write(message.dump(-1, ' ', false, Json::error_handler_t::replace));
      },
      options);
  std::thread reader([&] {
    while (true) {
      std::string body, error;
      ReadStatus status = ReadMessage(in, &body, &error);
      if (status == ReadStatus::kBadHeader) {
        Json e = {{"jsonrpc", "2.0"}, {"id", nullptr},
                  {"error", {{"code", err::kParseError}, {"message", "bad message header: " + error}}}};
        write(e.dump());
        continue;
      }
      std::lock_guard<std::mutex> lock(mu);
      if (status != ReadStatus::kMessage) {
        eof = true;
        cv.notify_one();
        return;
      }
      queue.push_back(std::move(body));
      cv.notify_one();
    }
  });
  reader.detach();  // it may block in read() after `exit`; the process ends anyway
  while (true) {
    std::string body;
    {
      std::unique_lock<std::mutex> lock(mu);
      auto ready = [&] { return !queue.empty() || eof; };
      if (auto deadline = server.NextDeadline()) {
        cv.wait_until(lock, *deadline, ready);
      } else {
        cv.wait(lock, ready);
      }
      if (!queue.empty()) {
        body = std::move(queue.front());
        queue.pop_front();
      } else if (eof) {
        return server.exit_code();  // the client went away: 0 only after shutdown
      }
    }
    if (!body.empty()) {
      server.HandleText(body);
      if (server.exited()) return server.exit_code();
    }
    try {
      server.RunDue(Clock::now());
    } catch (const std::exception& e) {
      // A check must never take the server down; say so in the editor's log.
      Json log = {{"jsonrpc", "2.0"}, {"method", "window/logMessage"},
                  {"params", {{"type", 1}, {"message", std::string("topoc: a check failed: ") + e.what()}}}};
      write(log.dump(-1, ' ', false, Json::error_handler_t::replace));
    }
  }
}

}  // namespace topoc::lsp
