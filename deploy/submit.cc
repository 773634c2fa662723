#include "deploy/submit.h"

#include <fstream>
#include <sstream>

#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>

#include "deploy/jar.h"
#include "support/process.h"

namespace topoc::deploy {

namespace fs = std::filesystem;
using json = nlohmann::ordered_json;

namespace {

std::string TrimOutput(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
  return s;
}

std::string Indent(const std::string& s) {
  std::string out;
  std::istringstream in(s);
  std::string line;
  while (std::getline(in, line)) out += "    | " + line + "\n";
  return out;
}

// A text search, not an import: importing tasks.py or fabfile.py may need
// Fabric or Invoke, which topoc does not require.
bool FileDefines(const fs::path& file, std::string_view function) {
  std::ifstream in(file);
  if (!in) return false;
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str().find("def " + std::string(function) + "(") != std::string::npos;
}

// Calls <module>.<function>(topology, env name, env config) in a python.
constexpr const char* kHookDriver = R"PY(
import importlib, json, sys
root, runtime, module, function, topo, env, conf = sys.argv[1:8]
sys.path[:0] = [p for p in (root, runtime) if p]
getattr(importlib.import_module(module), function)(topo, env, json.loads(conf))
)PY";

void ProgressBar(std::FILE* out, bool tty, uint64_t sent, uint64_t total) {
  if (!tty) return;
  int width = 30;
  int filled = total ? static_cast<int>(width * sent / total) : width;
  std::fprintf(out, "\rUploading jar [%s%s] %3d%% %.2f/%.2f MiB", std::string(filled, '#').c_str(),
               std::string(width - filled, '-').c_str(), total ? static_cast<int>(100 * sent / total) : 100,
               sent / 1048576.0, total / 1048576.0);
  if (sent >= total) std::fprintf(out, "\n");
  std::fflush(out);
}

}  // namespace

bool ParseOverride(std::string_view text, std::string* key, json* value, std::string* error) {
  auto eq = text.find('=');
  if (eq == std::string_view::npos || eq == 0) {
    *error = fmt::format("bad -o '{}': expected key=value", text);
    return false;
  }
  *key = std::string(text.substr(0, eq));
  std::string v(text.substr(eq + 1));
  // -o topology.workers=3 is the number 3, -o a="x" the string x; anything
  // that is not JSON (-o a=hello) is taken as a plain string.
  try {
    *value = json::parse(v);
  } catch (const json::parse_error&) {
    *value = v;
  }
  return true;
}

bool BuildSubmitConf(const ir::Topology& topology, const config::EnvConfig& env, const std::vector<std::string>& overrides,
                     bool debug, json* conf, std::string* error, const std::string& name) {
  json c = json::object();
  for (const auto& e : topology.config) c[e.key] = e.value;
  for (auto it = env.options.begin(); it != env.options.end(); ++it) c[it.key()] = it.value();
  for (const auto& o : overrides) {
    std::string key;
    json value;
    if (!ParseOverride(o, &key, &value, error)) return false;
    c[key] = value;
  }
  // streamparse's names for config.json's "log" settings: the Python runtime
  // reads them from its conf at start-up.
  if (env.log.path) c["streamparse.log.path"] = *env.log.path;
  if (env.log.max_bytes) c["streamparse.log.max_bytes"] = *env.log.max_bytes;
  if (env.log.backup_count) c["streamparse.log.backup_count"] = *env.log.backup_count;
  if (env.log.level) c["streamparse.log.level"] = *env.log.level;
  if (debug) {
    c["topology.debug"] = true;
    c["streamparse.log.level"] = "debug";
  }
  c["topology.name"] = name.empty() ? topology.name : name;
  *conf = std::move(c);
  return true;
}

bool RunSubmitHooks(std::string_view stage, const fs::path& root, std::string_view topology, const config::EnvConfig& env,
                    const std::string& python, const fs::path& runtime_dir, std::FILE* out, std::string* error) {
  std::error_code ec;
  std::string env_json = env.raw.dump();
  fs::path hook = root / "hooks" / std::string(stage);
  if (fs::exists(hook, ec)) {
    // Refused rather than run with sh: a hook may be written in any language.
    if (access(hook.c_str(), X_OK) != 0) {
      *error = fmt::format("{} is not executable (chmod +x it)", hook.string());
      return false;
    }
    std::fprintf(out, "Running hooks/%s\n", std::string(stage).c_str());
    std::fflush(out);
    support::RunOptions opt;
    opt.cwd = root;
    // Not captured: the hook's own output goes straight to the terminal.
    opt.capture = false;
    support::ProcessResult r = support::RunProcess({hook.string(), std::string(topology), env.name, env_json}, opt);
    if (!r.ok()) {
      *error = r.started ? fmt::format("hooks/{} failed (exit {})", stage, r.exit_code)
                         : fmt::format("hooks/{}: {}", stage, r.error);
      return false;
    }
  }
  for (const char* file : {"tasks.py", "fabfile.py"}) {
    fs::path p = root / file;
    if (!FileDefines(p, stage)) continue;
    std::string module = fs::path(file).stem().string();
    std::fprintf(out, "Running %s(%s, %s, ...) from %s\n", std::string(stage).c_str(), std::string(topology).c_str(),
                 env.name.c_str(), file);
    std::fflush(out);
    support::RunOptions opt;
    opt.cwd = root;
    opt.capture = false;
    support::ProcessResult r = support::RunProcess({python, "-c", kHookDriver, root.string(), runtime_dir.string(), module,
                                  std::string(stage), std::string(topology), env.name, env_json},
                                 opt);
    if (!r.ok()) {
      *error = r.started ? fmt::format("{}() in {} failed (exit {})", stage, file, r.exit_code)
                         : fmt::format("{}() in {}: {}", stage, file, r.error);
      return false;
    }
  }
  return true;
}

bool BuildVirtualenvs(const fs::path& root, const config::DeployConfig& config, const config::EnvConfig& env, std::string_view topology,
                      std::string_view venv_name, const VirtualenvOptions& options, const SshSettings& ssh,
                      std::FILE* out, std::string* error) {
  if (!env.use_virtualenv || (!env.install_virtualenv && !options.ignore_install_virtualenv)) {
    std::fprintf(out, "Virtualenvs: skipped (%s is false)\n", env.use_virtualenv ? "install_virtualenv" : "use_virtualenv");
    return true;
  }
  if (env.workers.empty()) {
    std::fprintf(out, "Virtualenvs: skipped (env '%s' lists no workers)\n", env.name.c_str());
    return true;
  }
  std::vector<fs::path> files = options.requirements;
  if (files.empty()) files.push_back(root / config.virtualenv_specs / (std::string(topology) + ".txt"));
  std::string requirements;
  for (const auto& req : files) {
    std::ifstream in(req);
    if (!in) {
      *error = options.requirements.empty()
                   ? fmt::format("{} not found: it lists what the workers' virtualenv needs (set \"install_virtualenv\": "
                                 "false to skip this step)", req.string())
                   : fmt::format("requirements file {} not found (-r)", req.string());
      return false;
    }
    std::stringstream ss;
    ss << in.rdbuf();
    requirements += ss.str();
    if (!requirements.empty() && requirements.back() != '\n') requirements += '\n';
  }
  std::string venv = env.VirtualenvDir(venv_name);
  std::fprintf(out, "%s virtualenv %s on %zu worker(s)\n", options.overwrite ? "Rebuilding" : "Building", venv.c_str(),
               env.workers.size());
  std::fflush(out);
  support::RunOptions opt;
  // The requirements go to every worker on ssh's stdin: no scp, no file left
  // on the worker (VirtualenvScript keeps them in a temp file for pip).
  opt.stdin_data = requirements;
  opt.timeout = std::chrono::minutes(30);
  std::string script = VirtualenvScript(env, venv_name, options.overwrite);
  auto results = RunOnWorkers(ssh, env.workers, [&](const std::string&) { return script; }, opt,
                              [&](const WorkerResult& w) {
                                std::fprintf(out, "  %-24s %s (%.1fs)\n", w.host.c_str(),
                                             w.result.ok() ? "ok" : "FAILED", w.seconds);
                                std::fflush(out);
                              });
  std::vector<std::string> failed;
  for (const auto& w : results) {
    if (w.result.ok()) continue;
    failed.push_back(w.host);
    std::string why = !w.result.started ? w.result.error
                      : w.result.timed_out ? "timed out"
                      : w.result.exit_code == 255 ? "ssh could not connect (exit 255)"
                                                  : fmt::format("exit {}", w.result.exit_code);
    std::fprintf(out, "virtualenv on worker %s failed: %s\n%s", w.host.c_str(), why.c_str(),
                 Indent(TrimOutput(w.result.output)).c_str());
  }
  if (!failed.empty()) {
    std::string names;
    for (const auto& f : failed) names += (names.empty() ? "" : ", ") + f;
    *error = fmt::format("virtualenv {} failed on {} of {} worker(s): {}", venv, failed.size(), env.workers.size(), names);
    return false;
  }
  return true;
}

bool ConnectNimbus(const config::EnvConfig& env, const SshSettings& ssh, const NimbusTimeouts& timeouts, NimbusClient* client,
                   SshTunnel* tunnel, std::string* error) {
  if (!env.use_ssh_for_nimbus) return client->Connect(env.nimbus_host, env.nimbus_port, timeouts, error);
  std::string terr;
  // use_ssh_for_nimbus: Nimbus listens only on its own host; ssh to it and
  // forward a local port to its localhost:<port>.
  if (!tunnel->Start(ssh, env.nimbus_host, "localhost", env.nimbus_port, timeouts.connect + std::chrono::seconds(5),
                     &terr)) {
    *error = fmt::format("cannot reach Nimbus {}:{} through ssh: {}", env.nimbus_host, env.nimbus_port, terr);
    return false;
  }
  if (!client->Connect("127.0.0.1", tunnel->local_port(), timeouts, error)) {
    *error += fmt::format(" (ssh tunnel to {}:{})", env.nimbus_host, env.nimbus_port);
    return false;
  }
  return true;
}

bool BuildTopologyJar(const fs::path& project_root, const ir::Topology& topology, const fs::path& python_runtime_dir,
                      const fs::path& jar, std::string_view command, std::FILE* out, std::FILE* err,
                      std::string* error) {
  JarInputs jin;
  jin.project_root = project_root;
  jin.src_dir = project_root / "src";
  jin.python_runtime_dir = python_runtime_dir;
  for (const auto& c : topology.components) {
    if (c->kind == ir::Kind::kPython && !c->python_class.empty()) jin.python_classes.push_back(c->python_class);
    if (c->kind == ir::Kind::kShell) jin.shell_commands[c->id] = c->shell_command;
  }
  // One launcher per class, however many components use it.
  std::sort(jin.python_classes.begin(), jin.python_classes.end());
  jin.python_classes.erase(std::unique(jin.python_classes.begin(), jin.python_classes.end()), jin.python_classes.end());
  JarReport report;
  if (!WriteJar(jin, jar, &report, error)) return false;
  for (const auto& w : report.warnings)
    std::fprintf(err, "topoc %s: warning: %s\n", std::string(command).c_str(), w.c_str());
  std::fprintf(out, "Built %s (%zu files, %.2f MiB)\n", jar.string().c_str(), report.entries.size(),
               report.bytes / 1048576.0);
  return true;
}

int RunSubmit(const SubmitRequest& q, std::FILE* out, std::FILE* err) {
  const std::string& name = q.name.empty() ? q.topology->name : q.name;
  std::string error;
  auto fail = [&](const std::string& msg) {
    std::fprintf(err, "topoc submit: error: %s\n", msg.c_str());
    return 1;
  };

  json conf;
  if (!BuildSubmitConf(*q.topology, *q.env, q.overrides, q.debug, &conf, &error, name)) return fail(error);

  // 2. pre_submit
  if (!RunSubmitHooks("pre_submit", q.project_root, name, *q.env, q.hook_python, q.python_runtime_dir, out, &error))
    return fail(error + "; not submitting");

  SshSettings ssh = SshSettings::FromEnv(*q.env);
  ssh.verbose = q.verbose;
  ssh.pool_size = q.pool_size;

  // Before spending minutes on virtualenvs: is Nimbus there, and is the name
  // free (or --force)? The connection is not kept: Nimbus drops idle ones.
  {
    NimbusClient client;
    SshTunnel tunnel;
    topoc::storm::ClusterSummary cs;
    if (!ConnectNimbus(*q.env, ssh, q.timeouts, &client, &tunnel, &error) || !client.GetClusterInfo(&cs, &error))
      return fail(error);
    for (const auto& t : cs.topologies) {
      if (t.name == name && !q.force)
        return fail(fmt::format("topology '{}' is already on the cluster (status {}); use --force to kill and replace it",
                                name, t.status));
    }
  }

  // 3. virtualenvs
  if (!BuildVirtualenvs(q.project_root, *q.config, *q.env, q.topology->name, name, q.virtualenv, ssh, out, &error))
    return fail(error);

  // 4. the jar
  fs::path jar = q.jar_path.empty() ? q.project_root / "_build" / (name + ".jar") : q.jar_path;
  std::error_code ec;
  if (!q.remote_jar.empty()) {
    std::fprintf(out, "Using the jar already on Nimbus: %s\n", q.remote_jar.c_str());
  } else if (q.prebuilt_jar) {
    if (!fs::is_regular_file(jar, ec)) return fail(fmt::format("--local-jar-path {}: no such file", jar.string()));
    std::fprintf(out, "Using the prebuilt jar %s\n", jar.string().c_str());
  } else if (!BuildTopologyJar(q.project_root, *q.topology, q.python_runtime_dir, jar, "submit", out, err, &error)) {
    return fail(error);
  }

  // 5. Nimbus
  NimbusClient client;
  SshTunnel tunnel;
  if (!ConnectNimbus(*q.env, ssh, q.timeouts, &client, &tunnel, &error)) return fail(error);
  // --force: killTopology, then wait until Nimbus no longer lists the name
  // (the workers stop after kill_wait_secs); submitting earlier would be
  // refused with AlreadyAliveException.
  if (q.force) {
    topoc::storm::ClusterSummary cs;
    if (!client.GetClusterInfo(&cs, &error)) return fail(error);
    bool running = std::any_of(cs.topologies.begin(), cs.topologies.end(), [&](const auto& t) { return t.name == name; });
    if (running) {
      std::fprintf(out, "Killing running topology %s (--force)\n", name.c_str());
      std::fflush(out);
      if (!client.KillTopology(name, q.kill_wait_secs, &error)) return fail(error);
      if (!client.WaitUntilGone(name, q.force_wait, &error)) return fail(error);
    }
  }
  // A progress bar on a terminal; one line in a log.
  bool tty = isatty(fileno(out));
  std::string location = q.remote_jar;
  if (location.empty()) {
    if (!client.UploadJar(jar, &location, [&](uint64_t s, uint64_t t) { ProgressBar(out, tty, s, t); }, &error))
      return fail(error);
    if (!tty) std::fprintf(out, "Uploaded jar to %s\n", location.c_str());
  }
  if (!client.SubmitTopology(name, location, conf.dump(), *q.storm_topology, !q.inactive, &error)) return fail(error);
  std::fprintf(out, "Submitted topology %s to %s:%d (env %s, %s)\n", name.c_str(), q.env->nimbus_host.c_str(),
               q.env->nimbus_port, q.env->name.c_str(), q.inactive ? "inactive" : "active");
  std::fflush(out);

  // 6. post_submit
  if (!RunSubmitHooks("post_submit", q.project_root, name, *q.env, q.hook_python, q.python_runtime_dir, out, &error))
    return fail(error + " (the topology was submitted)");
  return 0;
}

}  // namespace topoc::deploy
