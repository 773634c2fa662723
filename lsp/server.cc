#include "lsp/server.h"

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <fstream>
#include <filesystem>
#include <mutex>
#include <regex>
#include <thread>
#include <unordered_map>

#include "compiler/diag/explanations.h"
#include "compiler/driver/compilation.h"
#include "compiler/driver/project.h"
#include "compiler/format/format.h"
#include "compiler/sema/config_keys.h"
#include "lsp/index.h"
#include "lsp/text.h"
#include "lsp/transport.h"

namespace topoc::lsp {

namespace fs = std::filesystem;

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

namespace {

struct BadParams : std::runtime_error {
  using std::runtime_error::runtime_error;
};

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

// The first paragraph of an explanation page after its title.
std::string ExplanationSummary(std::string_view page) {
  std::string out;
  size_t i = 0;
  // Skip the title line(s).
  while (i < page.size() && page[i] == '#') {
    size_t nl = page.find('\n', i);
    i = nl == std::string_view::npos ? page.size() : nl + 1;
  }
  while (i < page.size() && page[i] == '\n') ++i;
  size_t end = page.find("\n\n", i);
  out = std::string(page.substr(i, end == std::string_view::npos ? std::string_view::npos : end - i));
  return out;
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

bool IsIdText(std::string_view s) {
  if (s.empty()) return false;
  auto start = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; };
  if (!start(s[0])) return false;
  for (char c : s) {
    if (!(start(c) || (c >= '0' && c <= '9') || c == '-')) return false;
  }
  return true;
}

// `name` as the language writes it: bare when it lexes as an identifier
// and is no keyword, else quoted.
std::string NameText(const std::string& name) {
  static const std::set<std::string> kKeywords = {
      "import", "template", "topology", "spout", "bolt", "python", "shell", "java", "output",
      "direct", "input", "parallelism", "tasks", "config", "shuffle", "fields", "all", "global",
      "none", "local-or-shuffle", "partial-key", "custom", "true", "false", "null"};
  if (IsIdText(name) && !kKeywords.count(name)) return name;
  std::string out = "\"";
  for (char c : name) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
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
  for (const std::string& uri : unit.published) {
    if (!by_uri.count(uri)) Notify("textDocument/publishDiagnostics", {{"uri", uri}, {"diagnostics", Json::array()}});
  }
  unit.published = std::move(now);
}

Unit* Server::Analysis(const std::string& uri) {
  auto it = docs_.find(uri);
  std::string path = it != docs_.end() ? it->second->path : Canonical(UriToPath(uri));
  if (path.empty()) return nullptr;
  Unit& unit = UnitFor(path);
  if (unit.pending || !unit.comp) Check(unit);
  if (!unit.FileOf(path)) return nullptr;
  return &unit;
}

// --- features ---

std::optional<Server::Place> Server::PlaceOf(const Json& params) {
  const std::string uri = StringField(Field(params, "textDocument"), "uri");
  Position pos = PositionOf(Field(params, "position"));
  Unit* unit = Analysis(uri);
  if (!unit) return std::nullopt;
  auto doc = docs_.find(uri);
  FileId file = *unit->FileOf(doc != docs_.end() ? doc->second->path : Canonical(UriToPath(uri)));
  return Place{unit, file, static_cast<uint32_t>(unit->Lines(file).ToOffset(pos))};
}

Json Server::Hover(const Json& params) {
  auto place = PlaceOf(params);
  if (!place) return nullptr;
  auto [unit, file, offset] = *place;
  const driver::Compilation& comp = *unit->comp;
  std::string md;
  Span span{};
  if (const Occurrence* o = unit->index.At(file, offset)) {
    span = o->span;
    const ir::Topology* topo = comp.program ? comp.program->FindTopology(o->topology) : nullptr;
    const ir::Component* c = nullptr;
    if (topo) c = topo->FindComponent(o->kind == Occurrence::Kind::kStream ? o->component : o->name);
    auto fields = [](const ir::Stream& s) {
      std::string f;
      for (const std::string& x : s.fields) f += (f.empty() ? "" : ", ") + x;
      return "(" + f + ")";
    };
    if (o->kind == Occurrence::Kind::kComponent && c) {
      md = "**" + std::string(ir::RoleName(c->role)) + "** `" + c->id + "` — " + std::string(ir::KindName(c->kind));
      if (c->kind == ir::Kind::kPython) md += " `" + c->python_class + "`";
      if (c->kind == ir::Kind::kJava) md += " `" + c->java_class + "`";
      if (c->kind == ir::Kind::kShell) {
        std::string cmd;
        for (const std::string& a : c->shell_command) cmd += (cmd.empty() ? "" : " ") + a;
        md += " `" + cmd + "`";
      }
      if (!c->from_template.empty()) md += " (template `" + c->from_template + "`)";
      md += "\n\nparallelism " + std::to_string(c->parallelism);
      if (c->tasks) md += ", tasks " + std::to_string(*c->tasks);
      if (!c->streams.empty()) {
        md += "\n\nstreams:";
        for (const auto& s : c->streams) {
          md += "\n- `" + s->id + "` " + fields(*s) + (s->direct ? " direct" : "");
        }
      }
      if (!c->inputs.empty()) {
        md += "\n\ninputs:";
        for (const ir::Input& in : c->inputs) {
          if (!in.source || !in.stream) continue;
          md += "\n- `" + in.source->id + "." + in.stream->id + "` " +
                std::string(ir::GroupingKindName(in.grouping.kind));
        }
      }
    } else if (o->kind == Occurrence::Kind::kStream && c) {
      if (const ir::Stream* s = c->FindStream(o->name)) {
        md = "**stream** `" + s->id + "` of `" + c->id + "` " + fields(*s) + (s->direct ? " (direct)" : "");
      }
    } else if (o->kind == Occurrence::Kind::kTemplate) {
      if (const ast::Template* t = FindTemplate(comp, file, o->name)) {
        md = "**template** `" + t->name.text + "`";
        const ast::ComponentKind& k = t->kind;
        if (k.tag == ast::ComponentKind::Tag::kPython) md += " — python `" + k.python_class + "`";
        if (k.tag == ast::ComponentKind::Tag::kJava) md += " — java `" + k.java_class + "`";
        if (k.tag == ast::ComponentKind::Tag::kTemplate) md += " — from template `" + k.template_name.text + "`";
        if (k.tag == ast::ComponentKind::Tag::kShell) md += " — shell";
        md += "\n\ndeclared in `" + comp.sources.Path(t->file) + "`";
      }
    } else if (o->kind == Occurrence::Kind::kImport) {
      md = o->target.empty() ? "import: not found" : "imports `" + o->target + "`";
    }
    if (md.empty() && o->kind != Occurrence::Kind::kImport) {
      md = "`" + o->name + "`";
    }
  } else if (const ConfigKeyRef* k = unit->index.ConfigKeyAt(file, offset)) {
    span = k->span;
    md = ConfigKeyDoc(k->key);
    if (md.empty()) md = "`" + k->key + "`: not a Storm topology.* key (passed to the topology as is)";
  }
  // The explanation of diagnostics at this place.
  for (const Diagnostic& d : comp.diags.diagnostics()) {
    if (d.code.empty() || d.primary.file != file || offset < d.primary.begin || offset > d.primary.end) continue;
    if (auto page = diag::FindExplanation(d.code)) {
      if (!md.empty()) md += "\n\n---\n\n";
      md += "**" + d.code + "**: " + ExplanationSummary(*page) + "\n\n(`topoc explain " + d.code + "`)";
      if (!span.valid()) span = d.primary;
    }
  }
  if (md.empty()) return nullptr;
  Json result = {{"contents", {{"kind", "markdown"}, {"value", md}}}};
  if (span.valid()) {
    const LineIndex& li = unit->Lines(span.file);
    result["range"] = {{"start", ToJson(li.ToPosition(span.begin))}, {"end", ToJson(li.ToPosition(span.end))}};
  }
  return result;
}

namespace {

Json LocationOf(Unit& unit, Span s) {
  const LineIndex& li = unit.Lines(s.file);
  std::error_code ec;
  std::string path = fs::weakly_canonical(fs::absolute(unit.comp->sources.Path(s.file), ec), ec).string();
  return Json{{"uri", PathToUri(path)},
              {"range", {{"start", ToJson(li.ToPosition(s.begin))}, {"end", ToJson(li.ToPosition(s.end))}}}};
}

}  // namespace

Json Server::Definition(const Json& params) {
  auto place = PlaceOf(params);
  if (!place) return nullptr;
  auto [unit, file, offset] = *place;
  const Occurrence* o = unit->index.At(file, offset);
  if (!o) return nullptr;
  if (o->kind == Occurrence::Kind::kImport) {
    if (o->target.empty()) return nullptr;
    return Json{{"uri", PathToUri(o->target)},
                {"range", {{"start", ToJson({0, 0})}, {"end", ToJson({0, 0})}}}};
  }
  const Occurrence* def = unit->index.DefinitionOf(o->key);
  if (!def) return nullptr;
  return LocationOf(*unit, def->span);
}

Json Server::References(const Json& params) {
  auto place = PlaceOf(params);
  if (!place) return nullptr;
  auto [unit, file, offset] = *place;
  const Occurrence* o = unit->index.At(file, offset);
  Json out = Json::array();
  if (!o) return out;
  bool include_decl = true;
  if (params.contains("context") && params["context"].is_object() &&
      params["context"].contains("includeDeclaration") && params["context"]["includeDeclaration"].is_boolean()) {
    include_decl = params["context"]["includeDeclaration"].get<bool>();
  }
  for (const Occurrence* r : unit->index.WithKey(o->key)) {
    if (r->definition && !include_decl) continue;
    out.push_back(LocationOf(*unit, r->span));
  }
  return out;
}

Json Server::PrepareRename(const Json& params) {
  auto place = PlaceOf(params);
  if (!place) return nullptr;
  auto [unit, file, offset] = *place;
  const Occurrence* o = unit->index.At(file, offset);
  if (!o || (o->kind != Occurrence::Kind::kComponent && o->kind != Occurrence::Kind::kStream)) return nullptr;
  const LineIndex& li = unit->Lines(file);
  return Json{{"range", {{"start", ToJson(li.ToPosition(o->span.begin))}, {"end", ToJson(li.ToPosition(o->span.end))}}},
              {"placeholder", o->name}};
}

Json Server::Rename(const Json& params) {
  auto place = PlaceOf(params);
  if (!place) return nullptr;
  auto [unit, file, offset] = *place;
  std::string new_name = StringField(params, "newName");
  const Occurrence* o = unit->index.At(file, offset);
  if (!o || (o->kind != Occurrence::Kind::kComponent && o->kind != Occurrence::Kind::kStream)) {
    return "only a component or stream id can be renamed here";
  }
  if (new_name.empty()) return "the new name is empty";
  if (new_name.find_first_of("\r\n") != std::string::npos) return "the new name spans lines";
  std::string text = NameText(new_name);
  Json changes = Json::object();
  for (const Occurrence* r : unit->index.WithKey(o->key)) {
    Json loc = LocationOf(*unit, r->span);
    std::string uri = loc["uri"].get<std::string>();
    if (!changes.contains(uri)) changes[uri] = Json::array();
    changes[uri].push_back({{"range", loc["range"]}, {"newText", text}});
  }
  return Json{{"changes", changes}};
}

Json Server::DocumentSymbols(const Json& params) {
  const std::string uri = StringField(Field(params, "textDocument"), "uri");
  Unit* unit = Analysis(uri);
  Json out = Json::array();
  if (!unit) return out;
  FileId file = *unit->FileOf(docs_.count(uri) ? docs_[uri]->path : Canonical(UriToPath(uri)));
  const ast::File* ast = nullptr;
  for (const ast::File* f : unit->comp->ast_files) {
    if (f->file == file) ast = f;
  }
  if (!ast) return out;
  const LineIndex& li = unit->Lines(file);
  auto range = [&](Span s) {
    return Json{{"start", ToJson(li.ToPosition(s.begin))}, {"end", ToJson(li.ToPosition(std::max(s.end, s.begin)))}};
  };
  // LSP SymbolKind: Module 2, Class 5, Interface 11, Event 24.
  auto symbol = [&](const std::string& name, const std::string& detail, int kind, Span whole, Span sel) {
    if (!sel.valid()) sel = whole;
    if (sel.begin < whole.begin || sel.end > whole.end) whole = sel;
    return Json{{"name", name.empty() ? "?" : name}, {"detail", detail}, {"kind", kind},
                {"range", range(whole)}, {"selectionRange", range(sel)}, {"children", Json::array()}};
  };
  auto streams = [&](Json& parent, const ast::Body& body) {
    for (const ast::Output& o : body.outputs) {
      std::string fields;
      for (const ast::Name& f : o.fields) fields += (fields.empty() ? "" : ", ") + f.text;
      std::string name = o.name ? o.name->text : std::string(ir::kDefaultStream);
      parent["children"].push_back(symbol(name, "(" + fields + ")" + (o.direct ? " direct" : ""), 24, o.span,
                                          o.name ? o.name->span : o.span));
    }
  };
  auto kind_detail = [](const ast::ComponentKind& k) -> std::string {
    switch (k.tag) {
      case ast::ComponentKind::Tag::kPython: return "python " + k.python_class;
      case ast::ComponentKind::Tag::kShell: return "shell";
      case ast::ComponentKind::Tag::kJava: return "java " + k.java_class;
      case ast::ComponentKind::Tag::kTemplate: return k.template_name.text;
    }
    return "";
  };
  for (const ast::Template* t : ast->templates) {
    Json s = symbol(t->name.text, "template = " + kind_detail(t->kind), 11, t->span, t->name.span);
    streams(s, t->body);
    out.push_back(std::move(s));
  }
  for (const ast::Topology* topo : ast->topologies) {
    Json s = symbol(topo->name.text, "topology", 2, topo->span, topo->name.span);
    for (const ast::Component* c : topo->components) {
      Json cs = symbol(c->id.text, std::string(ir::RoleName(c->role)) + " = " + kind_detail(c->kind), 5, c->span,
                       c->id.span);
      streams(cs, c->body);
      s["children"].push_back(std::move(cs));
    }
    out.push_back(std::move(s));
  }
  return out;
}

Json Server::CodeActions(const Json& params) {
  const std::string uri = StringField(Field(params, "textDocument"), "uri");
  Unit* unit = Analysis(uri);
  Json out = Json::array();
  if (!unit) return out;
  FileId file = *unit->FileOf(docs_.count(uri) ? docs_[uri]->path : Canonical(UriToPath(uri)));
  const LineIndex& li = unit->Lines(file);
  const Json& r = Field(params, "range");
  size_t a = li.ToOffset(PositionOf(Field(r, "start"))), b = li.ToOffset(PositionOf(Field(r, "end")));
  auto range = [&](Span s) {
    return Json{{"start", ToJson(li.ToPosition(s.begin))}, {"end", ToJson(li.ToPosition(s.end))}};
  };
  for (const Diagnostic& d : unit->comp->diags.diagnostics()) {
    if (d.primary.file != file || d.primary.end < a || d.primary.begin > b) continue;
    std::vector<const FixIt*> fixits;
    for (const FixIt& f : d.fixits) fixits.push_back(&f);
    for (const Diagnostic& n : d.notes) {
      for (const FixIt& f : n.fixits) fixits.push_back(&f);
    }
    for (const FixIt* f : fixits) {
      if (f->range.file != file) continue;
      std::string old(unit->comp->sources.Text(f->range));
      Json diag = {{"range", range(d.primary)}, {"message", d.message}, {"severity", SeverityNumber(d.severity)}};
      if (!d.code.empty()) diag["code"] = d.code;
      out.push_back({{"title", "Replace '" + old + "' with '" + f->replacement + "'"},
                     {"kind", "quickfix"},
                     {"diagnostics", Json::array({diag})},
                     {"isPreferred", f->applicability == Applicability::kMachineApplicable || fixits.size() == 1},
                     {"edit", {{"changes", {{uri, Json::array({{{"range", range(f->range)},
                                                                 {"newText", f->replacement}}})}}}}}});
    }
  }
  return out;
}

Json Server::Formatting(const Json& params) {
  const std::string uri = StringField(Field(params, "textDocument"), "uri");
  std::string text;
  if (auto it = docs_.find(uri); it != docs_.end()) {
    text = it->second->text;
  } else {
    return "the document is not open";
  }
  std::optional<std::string> out = format::FormatText(text);
  if (!out) return "the document has syntax errors; fix them first";
  Json edits = Json::array();
  if (*out == text) return edits;
  LineIndex li(text);
  edits.push_back({{"range", {{"start", ToJson({0, 0})}, {"end", ToJson(li.ToPosition(text.size()))}}},
                   {"newText", *out}});
  return edits;
}

// --- completion ---

namespace {

// What encloses the end of `text`: the kinds of the open braces, innermost
// last ('t' topology, 'b' component or template body, 'c' config, 'm' map
// value, '[' and '(' brackets).
std::string Enclosing(std::string_view text) {
  std::string stack;
  std::vector<std::string_view> words;  // the last few tokens
  std::regex token(R"re("(\\.|[^"\\\n])*"?|//[^\n]*|/\*[\s\S]*?(\*/|$)|[A-Za-z_][A-Za-z0-9_\-]*|-?[0-9][0-9.eEL+\-]*|\S)re");
  std::string s(text);
  std::string prev, prev2;
  for (auto it = std::sregex_iterator(s.begin(), s.end(), token); it != std::sregex_iterator(); ++it) {
    std::string t = it->str();
    if (t.rfind("//", 0) == 0 || t.rfind("/*", 0) == 0) continue;
    if (t == "{") {
      char top = stack.empty() ? 0 : stack.back();
      if (prev == "config") {
        stack += 'c';
      } else if (top == 'c' || top == 'm' || top == '[') {
        stack += 'm';
      } else if (prev2 == "topology") {
        stack += 't';
      } else {
        stack += 'b';
      }
    } else if (t == "[" || t == "(") {
      stack += t[0];
    } else if ((t == "}" || t == "]" || t == ")") && !stack.empty()) {
      stack.pop_back();
    }
    prev2 = prev;
    prev = t;
  }
  return stack;
}

Json Item(const std::string& label, int kind, const std::string& detail = "", const std::string& doc = "") {
  Json j = {{"label", label}, {"kind", kind}};
  if (!detail.empty()) j["detail"] = detail;
  if (!doc.empty()) j["documentation"] = doc;
  return j;
}

}  // namespace

Json Server::Completion(const Json& params) {
  const std::string uri = StringField(Field(params, "textDocument"), "uri");
  auto doc_it = docs_.find(uri);
  if (doc_it == docs_.end()) return Json::array();
  const Doc& doc = *doc_it->second;
  LineIndex li(doc.text);
  size_t offset = li.ToOffset(PositionOf(Field(params, "position")));
  std::string before = doc.text.substr(0, offset);
  size_t line_start = before.rfind('\n');
  std::string line = before.substr(line_start == std::string::npos ? 0 : line_start + 1);
  Json items = Json::array();
  // CompletionItemKind: Keyword 14, Class 7, Module 9, Field 5, Property 10, Event 23.
  constexpr int kKeyword = 14, kClass = 7, kField = 5, kProperty = 10, kEvent = 23, kModule = 9;

  Unit* unit = Analysis(uri);
  const ir::Program* program = unit && unit->good ? unit->good->program.get() : nullptr;
  // The topology around the cursor: by name, from the text before it.
  std::string topology;
  {
    std::regex topo_re(R"re(\btopology\s+("[^"\n]*"|[A-Za-z_][A-Za-z0-9_\-]*))re");
    for (auto it = std::sregex_iterator(before.begin(), before.end(), topo_re); it != std::sregex_iterator(); ++it) {
      topology = (*it)[1].str();
    }
    if (topology.size() >= 2 && topology.front() == '"') topology = topology.substr(1, topology.size() - 2);
  }
  const ir::Topology* topo = program ? program->FindTopology(topology) : nullptr;
  auto component = [&](const std::string& id) -> const ir::Component* { return topo ? topo->FindComponent(id) : nullptr; };
  // Component ids of that topology, from the text (so it works mid-edit).
  auto component_ids = [&]() {
    std::vector<std::pair<std::string, std::string>> ids;
    std::regex decl_re(R"re(\b(spout|bolt)\s+([A-Za-z_][A-Za-z0-9_\-]*|"[^"\n]*")\s*=)re");
    size_t from = 0;
    std::regex topo_re(R"re(\btopology\s+)re");
    for (auto it = std::sregex_iterator(before.begin(), before.end(), topo_re); it != std::sregex_iterator(); ++it) {
      from = static_cast<size_t>(it->position());
    }
    std::string scope = doc.text.substr(from);
    size_t next = scope.find("\ntopology", 1);
    if (next != std::string::npos) scope = scope.substr(0, next);
    for (auto it = std::sregex_iterator(scope.begin(), scope.end(), decl_re); it != std::sregex_iterator(); ++it) {
      std::string id = (*it)[2].str();
      if (id.front() == '"') id = id.substr(1, id.size() - 2);
      ids.emplace_back(id, (*it)[1].str());
    }
    return ids;
  };

  std::smatch m;
  static const std::regex kStreamAfterDot(R"re(\binput\s+([A-Za-z_][A-Za-z0-9_\-]*)\.([A-Za-z0-9_\-]*)$)re");
  static const std::regex kInputSource(R"re(\binput\s+([A-Za-z_][A-Za-z0-9_\-]*)?$)re");
  static const std::regex kFieldList(
      R"re(\binput\s+([A-Za-z_][A-Za-z0-9_\-]*)(?:\.([A-Za-z_][A-Za-z0-9_\-]*))?\s+(fields|partial-key)\s*\([^)]*$)re");
  static const std::regex kGrouping(R"re(\binput\s+[A-Za-z_][A-Za-z0-9_\-.]*\s+([a-z\-]*)$)re");
  static const std::regex kPython(R"re(\bpython\s+"([A-Za-z0-9_.]*)$)re");
  static const std::regex kAfterEq(R"re(^\s*(spout|bolt|template)\s+\S+\s*=\s*([A-Za-z_\-]*)$)re");
  static const std::regex kLineStart(R"re(^\s*([A-Za-z_.\-]*)$)re");

  if (std::regex_search(line, m, kFieldList)) {
    const ir::Component* c = component(m[1].str());
    std::string stream = m[2].matched ? m[2].str() : std::string(ir::kDefaultStream);
    if (const ir::Stream* s = c ? c->FindStream(stream) : nullptr) {
      for (const std::string& f : s->fields) items.push_back(Item(f, kField, "field of " + c->id + "." + stream));
    }
  } else if (std::regex_search(line, m, kStreamAfterDot)) {
    if (const ir::Component* c = component(m[1].str())) {
      for (const auto& s : c->streams) {
        std::string fields;
        for (const std::string& f : s->fields) fields += (fields.empty() ? "" : ", ") + f;
        items.push_back(Item(s->id, kEvent, "(" + fields + ")" + (s->direct ? " direct" : "")));
      }
    }
  } else if (std::regex_search(line, m, kInputSource)) {
    for (const auto& [id, role] : component_ids()) {
      const ir::Component* c = component(id);
      std::string detail = role;
      if (c && c->kind == ir::Kind::kPython) detail += " " + c->python_class;
      items.push_back(Item(id, kClass, detail));
    }
  } else if (std::regex_search(line, m, kGrouping)) {
    for (const char* g : {"shuffle", "fields", "all", "global", "none", "direct", "local-or-shuffle", "partial-key",
                          "custom"}) {
      items.push_back(Item(g, kKeyword, "grouping"));
    }
  } else if (std::regex_search(line, m, kPython)) {
    // Python classes under the project's src/.
    if (unit && unit->project) {
      fs::path src = unit->project->src_dir();
      std::error_code ec;
      static const std::regex class_re(R"re(^class\s+([A-Za-z_][A-Za-z0-9_]*))re");
      for (fs::recursive_directory_iterator it(src, ec), end; !ec && it != end; it.increment(ec)) {
        if (it->path().extension() != ".py") continue;
        fs::path rel = it->path().lexically_relative(src);
        rel.replace_extension();
        std::string module;
        for (const auto& part : rel) module += (module.empty() ? "" : ".") + part.string();
        if (module.size() > 9 && module.substr(module.size() - 9) == ".__init__") module.resize(module.size() - 9);
        std::ifstream in(it->path());
        std::string l;
        while (std::getline(in, l)) {
          std::smatch cm;
          if (std::regex_search(l, cm, class_re)) items.push_back(Item(module + "." + cm[1].str(), kClass, "python class"));
        }
      }
    }
  } else if (std::regex_search(line, m, kAfterEq)) {
    for (const char* k : {"python", "shell", "java"}) items.push_back(Item(k, kKeyword, "component kind"));
    if (unit) {
      for (const ast::File* f : unit->comp->ast_files) {
        for (const ast::Template* t : f->templates) items.push_back(Item(t->name.text, kModule, "template"));
      }
    }
  } else if (std::regex_search(line, m, kLineStart)) {
    std::string where = Enclosing(before);
    char top = where.empty() ? 0 : where.back();
    if (top == 'c' || top == 'm') {
      for (std::string_view key : sema::KnownConfigKeys()) {
        const sema::ConfigKeyInfo* info = sema::FindConfigKey(key);
        items.push_back(Item(std::string(key), kProperty, info ? std::string(TypeWords(info->type)) : "",
                             ConfigKeyDoc(key)));
      }
    } else if (top == 'b') {
      for (const char* k : {"output", "input", "parallelism", "tasks", "config"}) items.push_back(Item(k, kKeyword));
    } else if (top == 't') {
      for (const char* k : {"spout", "bolt", "config"}) items.push_back(Item(k, kKeyword));
    } else if (top == 0) {
      for (const char* k : {"import", "template", "topology"}) items.push_back(Item(k, kKeyword));
    }
  }
  return items;
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
