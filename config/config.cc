#include "config/config.h"

#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "compiler/sema/edit_distance.h"

namespace topoc::config {

namespace fs = std::filesystem;
using json = nlohmann::ordered_json;

namespace {

const char* TypeName(const json& j) {
  switch (j.type()) {
    case json::value_t::null: return "null";
    case json::value_t::boolean: return "a boolean";
    case json::value_t::number_integer:
    case json::value_t::number_unsigned: return "an integer";
    case json::value_t::number_float: return "a number";
    case json::value_t::string: return "a string";
    case json::value_t::array: return "a list";
    case json::value_t::object: return "an object";
    default: return "something else";
  }
}

// Byte offset of every value of a (valid) JSON text, by the path the
// Reader names it with: "envs", "envs.prod", "envs.prod.workers[0]". Object
// keys are taken raw (escapes in keys are rare in a config file). Errors
// then point at line:column of the offending value.
class JsonLocator {
 public:
  explicit JsonLocator(std::string_view text) : t_(text) {
    Value("");
  }
  // 1-based "line:col" of the value at `path`, or of its closest enclosing
  // value ("" when nothing is known).
  std::string Where(std::string path) const {
    while (true) {
      auto it = offsets_.find(path);
      if (it != offsets_.end()) return LineCol(it->second);
      size_t cut = path.find_last_of(".[");
      if (cut == std::string::npos) return path.empty() ? "" : Where("");
      path.resize(cut);
    }
  }

 private:
  std::string LineCol(size_t at) const {
    size_t line = 1, col = 1;
    for (size_t i = 0; i < at && i < t_.size(); ++i) {
      if (t_[i] == '\n') {
        ++line;
        col = 1;
      } else {
        ++col;
      }
    }
    return fmt::format("{}:{}", line, col);
  }
  void Space() {
    while (i_ < t_.size() && (t_[i_] == ' ' || t_[i_] == '\t' || t_[i_] == '\n' || t_[i_] == '\r')) ++i_;
  }
  std::string String() {  // at the opening quote; returns the raw contents
    size_t start = ++i_;
    while (i_ < t_.size() && t_[i_] != '"') i_ += t_[i_] == '\\' ? 2 : 1;
    std::string out(t_.substr(start, std::min(i_, t_.size()) - start));
    ++i_;
    return out;
  }
  void Value(const std::string& path) {
    Space();
    if (i_ >= t_.size()) return;
    offsets_.emplace(path, i_);
    char c = t_[i_];
    if (c == '{') {
      ++i_;
      while (true) {
        Space();
        if (i_ >= t_.size() || t_[i_] == '}') break;
        if (t_[i_] == ',') {
          ++i_;
          continue;
        }
        if (t_[i_] != '"') break;  // not valid JSON: give up quietly
        std::string key = String();
        Space();
        if (i_ < t_.size() && t_[i_] == ':') ++i_;
        Value(path.empty() ? key : path + "." + key);
      }
      ++i_;
    } else if (c == '[') {
      ++i_;
      for (size_t n = 0;; ++n) {
        Space();
        if (i_ >= t_.size() || t_[i_] == ']') break;
        if (t_[i_] == ',') {
          ++i_;
          --n;
          continue;
        }
        size_t before = i_;
        Value(fmt::format("{}[{}]", path, n));
        if (i_ == before) break;
      }
      ++i_;
    } else if (c == '"') {
      String();
    } else {
      while (i_ < t_.size() && std::string_view(",]} \t\r\n").find(t_[i_]) == std::string_view::npos) ++i_;
    }
  }

  std::string_view t_;
  size_t i_ = 0;
  std::map<std::string, size_t> offsets_;
};

// Collects every error, each located by its JSON path (file:line:col: path:
// message); the getters return false when their value is wrong, and the
// callers carry on with the next one, so one run reports every problem.
struct Reader {
  std::string file;
  const JsonLocator* where = nullptr;
  std::vector<std::string> errors;

  bool Fail(const std::string& path, const std::string& msg) {
    std::string at = where ? where->Where(path) : "";
    errors.push_back(fmt::format("{}{}{}: {}: {}", file, at.empty() ? "" : ":", at, path, msg));
    return false;
  }
  bool Expect(const json& j, const std::string& path, bool ok, const char* want) {
    if (ok) return true;
    return Fail(path, fmt::format("expected {}, found {}", want, TypeName(j)));
  }
  bool String(const json& obj, const char* key, const std::string& path, std::string* out) {
    auto it = obj.find(key);
    if (it == obj.end() || it->is_null()) return true;
    if (!Expect(*it, path + "." + key, it->is_string(), "a string")) return false;
    *out = it->get<std::string>();
    return true;
  }
  bool Bool(const json& obj, const char* key, const std::string& path, bool* out) {
    auto it = obj.find(key);
    if (it == obj.end() || it->is_null()) return true;
    if (!Expect(*it, path + "." + key, it->is_boolean(), "true or false")) return false;
    *out = it->get<bool>();
    return true;
  }
  bool Int(const json& obj, const char* key, const std::string& path, std::optional<int64_t>* out) {
    auto it = obj.find(key);
    if (it == obj.end() || it->is_null()) return true;
    if (!Expect(*it, path + "." + key, it->is_number_integer(), "an integer")) return false;
    *out = it->get<int64_t>();
    return true;
  }
  // A string (split on whitespace) or a list of strings.
  bool Words(const json& obj, const char* key, const std::string& path, std::vector<std::string>* out) {
    auto it = obj.find(key);
    if (it == obj.end() || it->is_null()) return true;
    std::string p = path + "." + key;
    if (it->is_string()) {
      std::istringstream in(it->get<std::string>());
      std::string w;
      while (in >> w) out->push_back(w);
      return true;
    }
    if (!Expect(*it, p, it->is_array(), "a string or a list of strings")) return false;
    bool ok = true;
    for (size_t i = 0; i < it->size(); ++i) {
      const json& e = (*it)[i];
      if (!Expect(e, fmt::format("{}[{}]", p, i), e.is_string(), "a string")) {
        ok = false;
        continue;
      }
      out->push_back(e.get<std::string>());
    }
    return ok;
  }
};

bool ParsePort(std::string_view s, int* port) {
  if (s.empty() || s.size() > 5) return false;
  int v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  if (v < 1 || v > 65535) return false;
  *port = v;
  return true;
}

// A host name usable as one ssh/tcp argument: no spaces or control
// characters, and not starting with '-' (it would read as an option).
bool ValidHost(std::string_view h) {
  if (h.empty() || h[0] == '-') return false;
  for (unsigned char c : h) {
    if (c <= ' ' || c == 0x7f || c == '\'' || c == '"' || c == '\\') return false;
  }
  return true;
}

// The optional "log" object of `j` (an env, or the file's top level) into
// `log`.
bool ReadLog(Reader& r, const json& j, const std::string& path, LogSettings* log) {
  auto l = j.find("log");
  if (l == j.end() || l->is_null()) return true;
  std::string lp = path.empty() ? "log" : path + ".log";
  if (!r.Expect(*l, lp, l->is_object(), "an object")) return false;
  size_t errors = r.errors.size();
  std::string s;
  if (l->contains("path") && r.String(*l, "path", lp, &s)) log->path = s;
  if (r.Int(*l, "max_bytes", lp, &log->max_bytes) && log->max_bytes && *log->max_bytes < 0)
    r.Fail(lp + ".max_bytes", "must not be negative");
  if (r.Int(*l, "backup_count", lp, &log->backup_count) && log->backup_count && *log->backup_count < 0)
    r.Fail(lp + ".backup_count", "must not be negative");
  s.clear();
  if (l->contains("level") && r.String(*l, "level", lp, &s)) {
    std::string lower = s;
    std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
    static const char* kLevels[] = {"critical", "error", "warning", "info", "debug"};
    if (std::find_if(std::begin(kLevels), std::end(kLevels), [&](const char* k) { return lower == k; }) == std::end(kLevels))
      r.Fail(lp + ".level", fmt::format("unknown level \"{}\" (expected critical, error, warning, info or debug)", s));
    else
      log->level = lower;
  }
  return r.errors.size() == errors;
}

bool ReadEnv(Reader& r, const std::string& name, const json& j, EnvConfig* env) {
  std::string path = "envs." + name;
  if (!r.Expect(j, path, j.is_object(), "an object")) return false;
  env->name = name;
  env->raw = j;

  size_t errors = r.errors.size();
  auto nit = j.find("nimbus");
  if (nit == j.end() || nit->is_null()) {
    r.Fail(path, "missing \"nimbus\" (the Nimbus host, host[:port])");
  } else if (r.Expect(*nit, path + ".nimbus", nit->is_string(), "a string \"host[:port]\"")) {
    std::string nimbus = nit->get<std::string>();
    auto colon = nimbus.rfind(':');
    bool port_ok = true;
    if (colon != std::string::npos) {
      port_ok = ParsePort(std::string_view(nimbus).substr(colon + 1), &env->nimbus_port);
      if (!port_ok)
        r.Fail(path + ".nimbus", fmt::format("bad port in \"{}\" (expected host[:port], port 1-65535)", nimbus));
      nimbus.resize(colon);
    }
    if (port_ok && !ValidHost(nimbus))
      r.Fail(path + ".nimbus", fmt::format("bad host name \"{}\"", nit->get<std::string>()));
    env->nimbus_host = nimbus;
  }

  if (auto w = j.find("workers"); w != j.end() && !w->is_null()) {
    if (r.Expect(*w, path + ".workers", w->is_array(), "a list of host names")) {
      for (size_t i = 0; i < w->size(); ++i) {
        const json& e = (*w)[i];
        std::string p = fmt::format("{}.workers[{}]", path, i);
        if (!r.Expect(e, p, e.is_string(), "a host name string")) continue;
        if (!ValidHost(e.get<std::string>())) {
          r.Fail(p, fmt::format("bad host name \"{}\"", e.get<std::string>()));
          continue;
        }
        env->workers.push_back(e.get<std::string>());
      }
    }
  }
  if (r.String(j, "user", path, &env->user) && !env->user.empty() && !ValidHost(env->user))
    r.Fail(path + ".user", fmt::format("bad user name \"{}\"", env->user));
  std::optional<int64_t> ssh_port;
  if (r.Int(j, "ssh_port", path, &ssh_port) && ssh_port) {
    if (*ssh_port < 1 || *ssh_port > 65535)
      r.Fail(path + ".ssh_port", fmt::format("port {} is out of range 1-65535", *ssh_port));
    else
      env->ssh_port = static_cast<int>(*ssh_port);
  }
  r.Bool(j, "use_ssh_for_nimbus", path, &env->use_ssh_for_nimbus);
  bool root_ok = r.String(j, "virtualenv_root", path, &env->virtualenv_root);
  r.Bool(j, "use_virtualenv", path, &env->use_virtualenv);
  r.Bool(j, "install_virtualenv", path, &env->install_virtualenv);
  r.Words(j, "virtualenv_flags", path, &env->virtualenv_flags);
  r.Words(j, "pip_flags", path, &env->pip_flags);
  if (root_ok && env->use_virtualenv && env->virtualenv_root.empty())
    r.Fail(path, "missing \"virtualenv_root\" (needed because use_virtualenv is true; set \"use_virtualenv\": false to run the workers' python3)");

  ReadLog(r, j, path, &env->log);
  if (auto o = j.find("options"); o != j.end() && !o->is_null()) {
    if (r.Expect(*o, path + ".options", o->is_object(), "an object of Storm settings")) env->options = *o;
  }
  return r.errors.size() == errors;
}

}  // namespace

std::string EnvConfig::VirtualenvDir(std::string_view topology) const {
  std::string root = virtualenv_root;
  while (root.size() > 1 && root.back() == '/') root.pop_back();
  return root + "/" + std::string(topology);
}

std::string EnvConfig::PythonInterpreter(std::string_view topology) const {
  if (!use_virtualenv) return "python3";
  return VirtualenvDir(topology) + "/bin/python";
}

const EnvConfig* DeployConfig::FindEnv(std::string_view name) const {
  for (const auto& e : envs)
    if (e.name == name) return &e;
  return nullptr;
}

bool ParseDeployConfig(std::string_view text, const fs::path& file, DeployConfig* out, std::string* error) {
  Reader r;
  r.file = file.string();
  out->file = file;
  json root;
  try {
    root = json::parse(text.begin(), text.end());
  } catch (const json::parse_error& e) {
    // e.byte is the 1-based offset of the offending byte.
    size_t byte = e.byte == 0 ? 0 : e.byte - 1;
    if (byte > text.size()) byte = text.size();
    size_t line = 1, col = 1;
    for (size_t i = 0; i < byte; ++i) {
      if (text[i] == '\n') {
        ++line;
        col = 1;
      } else {
        ++col;
      }
    }
    std::string what = e.what();
    // "[json.exception.parse_error.101] parse error at line 3, column 5: syntax error ..." -> the tail.
    auto p = what.find("syntax error");
    if (p == std::string::npos) p = what.rfind(": ") == std::string::npos ? 0 : what.rfind(": ") + 2;
    *error = fmt::format("{}:{}:{}: invalid JSON: {}", r.file, line, col, what.substr(p));
    return false;
  } catch (const json::exception& e) {
    // Not a syntax error but still unreadable: a number too large for a
    // double (found by fuzz/config_fuzzer.cc: it used to end the process).
    std::string what = e.what();
    auto p = what.find("] ");
    *error = fmt::format("{}: invalid JSON: {}", r.file, p == std::string::npos ? what : what.substr(p + 2));
    return false;
  }
  if (!root.is_object()) {
    *error = fmt::format("{}: expected a JSON object at the top, found {}", r.file, TypeName(root));
    return false;
  }
  JsonLocator locator(text);
  r.where = &locator;
  // Where the project keeps its topologies and virtualenv requirements
  // (streamparse's "topology_specs" and "virtualenv_specs", relative to
  // the project folder; trailing slashes dropped).
  auto folder = [&](const char* key, std::string* out_value) {
    auto it = root.find(key);
    if (it == root.end() || it->is_null()) return;
    if (!r.Expect(*it, key, it->is_string(), "a string (a folder relative to the project)")) return;
    std::string v = it->get<std::string>();
    while (v.size() > 1 && v.back() == '/') v.pop_back();
    if (v.empty()) {
      r.Fail(key, "must not be empty");
      return;
    }
    *out_value = v;
  };
  folder("topology_specs", &out->topology_specs);
  folder("virtualenv_specs", &out->virtualenv_specs);
  LogSettings log;
  if (ReadLog(r, root, "", &log) && root.contains("log") && !root["log"].is_null()) out->log = log;
  auto envs = root.find("envs");
  if (envs != root.end() && !envs->is_null()) {  // none: SelectEnv says what is missing
    if (r.Expect(*envs, "envs", envs->is_object(), "an object of environments")) {
      for (auto it = envs->begin(); it != envs->end(); ++it) {
        EnvConfig env;
        if (ReadEnv(r, it.key(), it.value(), &env)) out->envs.push_back(std::move(env));
      }
    }
  }
  if (r.errors.empty()) return true;
  // One problem: one line. Several: a count, then one line each.
  *error = r.errors.size() == 1 ? r.errors[0]
                                : fmt::format("{} problems in {}:\n{}", r.errors.size(), r.file,
                                              fmt::join(r.errors, "\n"));
  return false;
}

bool LoadDeployConfig(const fs::path& file, DeployConfig* out, std::string* error) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    *error = fmt::format("{}: cannot read the file", file.string());
    return false;
  }
  std::stringstream ss;
  ss << in.rdbuf();
  return ParseDeployConfig(ss.str(), file, out, error);
}

const EnvConfig* SelectEnv(const DeployConfig& config, std::string_view name, std::string* error) {
  std::string known;
  for (const auto& e : config.envs) known += (known.empty() ? "" : ", ") + e.name;
  if (name.empty()) {
    if (config.envs.size() == 1) return &config.envs[0];
    if (config.envs.empty()) {
      *error = fmt::format("{}: no \"envs\" object with an environment (add one, e.g. \"prod\": {{\"nimbus\": ...}})",
                           config.file.string());
    } else {
      *error = fmt::format("{}: several environments ({}); choose one with --environment", config.file.string(), known);
    }
    return nullptr;
  }
  if (const EnvConfig* e = config.FindEnv(name)) return e;
  std::vector<std::string_view> names;
  for (const auto& e : config.envs) names.push_back(e.name);
  std::string hint;
  if (auto best = sema::SuggestName(name, names)) hint = fmt::format("; did you mean '{}'?", *best);
  *error = fmt::format("{}: unknown environment '{}' (known: {}){}", config.file.string(), name,
                       known.empty() ? "none" : known, hint);
  return nullptr;
}

}  // namespace topoc::config
