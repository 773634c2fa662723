#include "deploy/config.h"

#include <algorithm>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "compiler/sema/edit_distance.h"

namespace topoc::deploy {

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

// Collects the first error; every getter returns false once one is set.
struct Reader {
  std::string file;
  std::string error;

  bool Fail(const std::string& path, const std::string& msg) {
    if (error.empty()) error = fmt::format("{}: {}: {}", file, path, msg);
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
    for (size_t i = 0; i < it->size(); ++i) {
      const json& e = (*it)[i];
      if (!Expect(e, fmt::format("{}[{}]", p, i), e.is_string(), "a string")) return false;
      out->push_back(e.get<std::string>());
    }
    return true;
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
  std::string s;
  if (l->contains("path")) {
    if (!r.String(*l, "path", lp, &s)) return false;
    log->path = s;
  }
  if (!r.Int(*l, "max_bytes", lp, &log->max_bytes)) return false;
  if (!r.Int(*l, "backup_count", lp, &log->backup_count)) return false;
  if (log->max_bytes && *log->max_bytes < 0) return r.Fail(lp + ".max_bytes", "must not be negative");
  if (log->backup_count && *log->backup_count < 0) return r.Fail(lp + ".backup_count", "must not be negative");
  if (l->contains("level")) {
    s.clear();
    if (!r.String(*l, "level", lp, &s)) return false;
    std::string lower = s;
    std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
    static const char* kLevels[] = {"critical", "error", "warning", "info", "debug"};
    if (std::find_if(std::begin(kLevels), std::end(kLevels), [&](const char* k) { return lower == k; }) == std::end(kLevels))
      return r.Fail(lp + ".level", fmt::format("unknown level \"{}\" (expected critical, error, warning, info or debug)", s));
    log->level = lower;
  }
  return true;
}

bool ReadEnv(Reader& r, const std::string& name, const json& j, EnvConfig* env) {
  std::string path = "envs." + name;
  if (!r.Expect(j, path, j.is_object(), "an object")) return false;
  env->name = name;
  env->raw = j;

  auto nit = j.find("nimbus");
  if (nit == j.end() || nit->is_null()) return r.Fail(path, "missing \"nimbus\" (the Nimbus host, host[:port])");
  if (!r.Expect(*nit, path + ".nimbus", nit->is_string(), "a string \"host[:port]\"")) return false;
  std::string nimbus = nit->get<std::string>();
  auto colon = nimbus.rfind(':');
  if (colon != std::string::npos) {
    if (!ParsePort(std::string_view(nimbus).substr(colon + 1), &env->nimbus_port))
      return r.Fail(path + ".nimbus", fmt::format("bad port in \"{}\" (expected host[:port], port 1-65535)", nimbus));
    nimbus.resize(colon);
  }
  if (!ValidHost(nimbus)) return r.Fail(path + ".nimbus", fmt::format("bad host name \"{}\"", nit->get<std::string>()));
  env->nimbus_host = nimbus;

  if (auto w = j.find("workers"); w != j.end() && !w->is_null()) {
    if (!r.Expect(*w, path + ".workers", w->is_array(), "a list of host names")) return false;
    for (size_t i = 0; i < w->size(); ++i) {
      const json& e = (*w)[i];
      std::string p = fmt::format("{}.workers[{}]", path, i);
      if (!r.Expect(e, p, e.is_string(), "a host name string")) return false;
      if (!ValidHost(e.get<std::string>())) return r.Fail(p, fmt::format("bad host name \"{}\"", e.get<std::string>()));
      env->workers.push_back(e.get<std::string>());
    }
  }
  if (!r.String(j, "user", path, &env->user)) return false;
  if (!env->user.empty() && !ValidHost(env->user)) return r.Fail(path + ".user", fmt::format("bad user name \"{}\"", env->user));
  std::optional<int64_t> ssh_port;
  if (!r.Int(j, "ssh_port", path, &ssh_port)) return false;
  if (ssh_port) {
    if (*ssh_port < 1 || *ssh_port > 65535) return r.Fail(path + ".ssh_port", fmt::format("port {} is out of range 1-65535", *ssh_port));
    env->ssh_port = static_cast<int>(*ssh_port);
  }
  if (!r.Bool(j, "use_ssh_for_nimbus", path, &env->use_ssh_for_nimbus)) return false;
  if (!r.String(j, "virtualenv_root", path, &env->virtualenv_root)) return false;
  if (!r.Bool(j, "use_virtualenv", path, &env->use_virtualenv)) return false;
  if (!r.Bool(j, "install_virtualenv", path, &env->install_virtualenv)) return false;
  if (!r.Words(j, "virtualenv_flags", path, &env->virtualenv_flags)) return false;
  if (!r.Words(j, "pip_flags", path, &env->pip_flags)) return false;
  if (env->use_virtualenv && env->virtualenv_root.empty())
    return r.Fail(path, "missing \"virtualenv_root\" (needed because use_virtualenv is true; set \"use_virtualenv\": false to run the workers' python3)");

  if (!ReadLog(r, j, path, &env->log)) return false;
  if (auto o = j.find("options"); o != j.end() && !o->is_null()) {
    if (!r.Expect(*o, path + ".options", o->is_object(), "an object of Storm settings")) return false;
    env->options = *o;
  }
  return true;
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
  }
  if (!root.is_object()) {
    *error = fmt::format("{}: expected a JSON object at the top, found {}", r.file, TypeName(root));
    return false;
  }
  if (auto vs = root.find("virtualenv_specs"); vs != root.end() && vs->is_string() && !vs->get<std::string>().empty()) {
    out->virtualenv_specs = vs->get<std::string>();
    while (out->virtualenv_specs.size() > 1 && out->virtualenv_specs.back() == '/') out->virtualenv_specs.pop_back();
  }
  LogSettings log;
  if (!ReadLog(r, root, "", &log)) {
    *error = r.error;
    return false;
  }
  if (root.contains("log") && !root["log"].is_null()) out->log = log;
  auto envs = root.find("envs");
  if (envs == root.end() || envs->is_null()) return true;  // SelectEnv says what is missing
  if (!envs->is_object()) {
    *error = fmt::format("{}: envs: expected an object of environments, found {}", r.file, TypeName(*envs));
    return false;
  }
  for (auto it = envs->begin(); it != envs->end(); ++it) {
    EnvConfig env;
    if (!ReadEnv(r, it.key(), it.value(), &env)) {
      *error = r.error;
      return false;
    }
    out->envs.push_back(std::move(env));
  }
  return true;
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

}  // namespace topoc::deploy
