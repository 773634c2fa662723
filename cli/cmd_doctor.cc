// topoc doctor [PROJECT_DIR] [--format text|json] [-e ENV] [--python PY]
// Says whether this machine can do each of topoc's jobs and where topoc
// finds what it uses: the binary, the stdlib and runtime folders (installed
// or source tree), the Python interpreter (does it import the runtime,
// msgpack, pytest), Graphviz, Clojure/lein and Java, ssh and libzip; with
// --environment, whether Nimbus answers getClusterInfo and every worker
// accepts SSH in BatchMode (short timeouts). Exit 0 when everything the
// project needs is there, 1 when something is missing, 2 usage or a bad
// config.json / unknown env. docs/install.md.
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <system_error>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "compiler/driver/project.h"
#include "config/config.h"
#include "deploy/libzip_loader.h"
#include "deploy/nimbus_client.h"
#include "deploy/ssh.h"
#include "deploy/submit.h"
#include "support/process.h"

namespace topoc::cli {
namespace {

namespace fs = std::filesystem;

struct DoctorArgs {
  std::string project_dir;
  std::string format = "text";
  std::string env;
  std::string python;
  double timeout_secs = 5;
};

struct Check {
  std::string job;     // what it is for: topoc, run, test, graph, clojure, submit
  std::string name;    // what was checked
  bool ok = false;
  bool needed = true;  // missing and needed: exit 1
  std::string detail;  // where it is / why not
  bool probe = false;  // a question to a remote host: FAILED rather than MISSING
};

// `name` looked up on PATH as execvp would; empty when absent.
std::string Which(const std::string& name) {
  if (name.find('/') != std::string::npos) {
    return ::access(name.c_str(), X_OK) == 0 ? name : std::string();
  }
  const char* path = std::getenv("PATH");
  std::string p = path ? path : "";
  size_t start = 0;
  while (start <= p.size()) {
    size_t colon = p.find(':', start);
    if (colon == std::string::npos) colon = p.size();
    std::string dir = p.substr(start, colon - start);
    if (dir.empty()) dir = ".";
    std::string candidate = dir + "/" + name;
    std::error_code ec;
    if (::access(candidate.c_str(), X_OK) == 0 && !fs::is_directory(candidate, ec)) return candidate;
    start = colon + 1;
  }
  return {};
}

std::string FirstLine(const std::string& text) {
  std::string line = text.substr(0, text.find('\n'));
  while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
  return line;
}

std::string LastLine(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) text.pop_back();
  size_t nl = text.rfind('\n');
  return nl == std::string::npos ? text : text.substr(nl + 1);
}

// Where a built-in folder comes from.
std::string Origin(const fs::path& dir, const char* env_var) {
  if (const char* env = std::getenv(env_var); env && *env) return std::string("$") + env_var;
  std::error_code ec;
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  fs::path share = exe.parent_path().parent_path() / "share" / "topoc";
  std::string d = dir.lexically_normal().string();
  if (!ec && d.rfind(share.lexically_normal().string(), 0) == 0) return "installed";
  return "source tree";
}

// A program's version line (`args` e.g. {"dot", "-V"}); empty when it does
// not run.
std::string VersionOf(const std::vector<std::string>& args, double timeout_secs) {
  support::RunOptions o;
  o.timeout = std::chrono::milliseconds(static_cast<int64_t>(timeout_secs * 1000));
  support::ProcessResult r = support::RunProcess(args, o);
  if (!r.ok()) return {};
  return FirstLine(r.output);
}

void AddTool(std::vector<Check>* checks, const std::string& job, const std::string& program,
             const std::vector<std::string>& version_args, bool needed, double timeout, const std::string& why) {
  Check c{job, program, false, needed, ""};
  std::string path = Which(program);
  if (path.empty()) {
    c.detail = "not on PATH (" + why + ")";
  } else {
    std::vector<std::string> argv = {path};
    argv.insert(argv.end(), version_args.begin(), version_args.end());
    std::string version = version_args.empty() ? "" : VersionOf(argv, timeout);
    c.ok = true;
    c.detail = path + (version.empty() ? "" : " (" + version + ")");
  }
  checks->push_back(std::move(c));
}

void PythonChecks(std::vector<Check>* checks, const std::string& python, const fs::path& runtime, double timeout) {
  Check interp{"run, test", "python: " + python, false, true, ""};
  std::string path = Which(python);
  if (path.empty()) {
    interp.detail = "not found (set --python or $TOPOC_PYTHON)";
    checks->push_back(interp);
    return;
  }
  support::RunOptions o;
  o.timeout = std::chrono::milliseconds(static_cast<int64_t>(timeout * 1000 * 2));
  if (!runtime.empty()) o.env["PYTHONPATH"] = fs::absolute(runtime).string();
  // One line per module: name, then its file or the import error.
  const char* probe =
      "import sys\n"
      "print(sys.executable, sys.version.split()[0])\n"
      "for m in ('streamparse', 'streamparse.testing', 'msgpack', 'pytest'):\n"
      "    try:\n"
      "        mod = __import__(m, fromlist=['x'])\n"
      "        print(m, 'ok', getattr(mod, '__file__', ''))\n"
      "    except Exception as e:\n"
      "        print(m, 'missing', type(e).__name__ + ': ' + str(e))\n";
  support::ProcessResult r = support::RunProcess({path, "-c", probe}, o);
  if (!r.started || r.timed_out || r.exit_code != 0) {
    interp.detail = path + " does not run: " + (r.error.empty() ? FirstLine(r.output) : r.error);
    checks->push_back(interp);
    return;
  }
  std::vector<std::string> lines;
  for (size_t start = 0; start < r.output.size();) {
    size_t nl = r.output.find('\n', start);
    if (nl == std::string::npos) nl = r.output.size();
    lines.push_back(r.output.substr(start, nl - start));
    start = nl + 1;
  }
  interp.ok = true;
  interp.detail = lines.empty() ? path : "Python " + lines[0].substr(lines[0].rfind(' ') + 1) + " at " +
                                             lines[0].substr(0, lines[0].rfind(' '));
  checks->push_back(interp);
  struct Module {
    const char* name;
    const char* job;
    bool needed;
    const char* why;
  };
  const Module modules[] = {
      {"streamparse", "run, test", true, "the bundled runtime"},
      {"streamparse.testing", "test", true, "BoltTester/SpoutTester"},
      {"msgpack", "run", false, "optional: the msgpack serializer"},
      {"pytest", "test", false, "optional: topoc test uses unittest without it"},
  };
  for (const Module& m : modules) {
    Check c{m.job, std::string("import ") + m.name, false, m.needed, ""};
    for (size_t i = 1; i < lines.size(); ++i) {
      std::string prefix = std::string(m.name) + " ";
      if (lines[i].rfind(prefix, 0) != 0) continue;
      std::string rest = lines[i].substr(prefix.size());
      c.ok = rest.rfind("ok", 0) == 0;
      c.detail = c.ok ? rest.substr(rest.find(' ') == std::string::npos ? rest.size() : rest.find(' ') + 1)
                      : rest.substr(rest.find(' ') + 1) + " (" + m.why + ")";
    }
    if (c.detail.empty()) c.detail = "not checked";
    checks->push_back(std::move(c));
  }
}

void EnvironmentChecks(std::vector<Check>* checks, const config::EnvConfig& env, double timeout) {
  deploy::SshSettings ssh = deploy::SshSettings::FromEnv(env);
  ssh.connect_timeout_secs = std::max(1, static_cast<int>(timeout));
  deploy::NimbusTimeouts t;
  t.connect = std::chrono::milliseconds(static_cast<int64_t>(timeout * 1000));
  t.io = t.connect;
  {
    Check c{"submit", fmt::format("nimbus {}:{}", env.nimbus_host, env.nimbus_port), false, true, "", true};
    deploy::NimbusClient client;
    deploy::SshTunnel tunnel;
    std::string error;
    storm::ClusterSummary summary;
    if (deploy::ConnectNimbus(env, ssh, t, &client, &tunnel, &error) && client.GetClusterInfo(&summary, &error)) {
      c.ok = true;
      c.detail = fmt::format("getClusterInfo answered: {} supervisor(s), {} topolog{}", summary.supervisors.size(),
                             summary.topologies.size(), summary.topologies.size() == 1 ? "y" : "ies");
    } else {
      c.detail = error;
    }
    checks->push_back(std::move(c));
  }
  // Each worker: SSH in BatchMode, and what builds the virtualenv there.
  const std::string script =
      "if command -v virtualenv >/dev/null 2>&1; then echo virtualenv; "
      "elif python3 -c 'import venv' >/dev/null 2>&1; then echo 'python3 -m venv'; "
      "else echo none; fi";
  support::RunOptions o;
  o.timeout = std::chrono::milliseconds(static_cast<int64_t>(timeout * 3000));
  std::vector<deploy::WorkerResult> results =
      deploy::RunOnWorkers(ssh, env.workers, [&](const std::string&) { return script; }, o);
  for (size_t i = 0; i < results.size() && i < env.workers.size(); ++i) {
    const auto& r = results[i].result;
    Check c{"submit", "ssh " + env.workers[i], false, true, "", true};
    if (!r.started) {
      c.detail = r.error;
    } else if (r.timed_out) {
      c.detail = "no answer within the timeout";
    } else if (r.exit_code == 255) {
      c.detail = "ssh could not connect or log in (BatchMode): " + FirstLine(r.output);
    } else if (r.exit_code != 0) {
      c.detail = fmt::format("remote check exited {}: {}", r.exit_code, FirstLine(r.output));
    } else {
      std::string how = LastLine(r.output);
      c.ok = env.use_virtualenv ? how != "none" : true;
      c.detail = how == "none" ? "ssh ok; neither virtualenv nor python3 -m venv on the worker"
                               : "ssh ok; virtualenvs built with " + how;
    }
    checks->push_back(std::move(c));
  }
}

int Doctor(const DoctorArgs& args) {
  std::vector<Check> checks;
  std::error_code ec;
  fs::path start = args.project_dir.empty() ? fs::current_path(ec) : fs::path(args.project_dir);
  if (!args.project_dir.empty() && !fs::is_directory(start, ec)) {
    std::fprintf(stderr, "topoc doctor: '%s' is not a folder\n", args.project_dir.c_str());
    return 2;
  }
  auto project = driver::FindProject(start);
  config::DeployConfig config;
  bool has_envs = false;
  if (project && fs::exists(project->root / "config.json", ec)) {
    std::string error;
    if (!config::LoadDeployConfig(project->root / "config.json", &config, &error)) {
      std::fprintf(stderr, "topoc doctor: %s\n", error.c_str());
      return 2;
    }
    has_envs = !config.envs.empty();
  }
  const config::EnvConfig* env = nullptr;
  if (!args.env.empty()) {
    if (!project) {
      std::fprintf(stderr, "topoc doctor: --environment %s: no project found (no config.json here or above)\n",
                   args.env.c_str());
      return 2;
    }
    std::string error;
    env = config::SelectEnv(config, args.env, &error);
    if (!env) {
      std::fprintf(stderr, "topoc doctor: %s\n", error.c_str());
      return 2;
    }
  }

  // topoc itself.
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  checks.push_back({"topoc", "binary", true, true, exe.string() + " (topoc 0.1.0)"});
  if (project) checks.push_back({"topoc", "project", true, true, project->root.string()});
  fs::path stdlib = driver::BuiltinStdlibDir();
  checks.push_back({"topoc", "stdlib folder", !stdlib.empty() && fs::is_directory(stdlib, ec), true,
                    stdlib.empty() ? "not found (set TOPOC_STDLIB)"
                                   : stdlib.string() + " (" + Origin(stdlib, "TOPOC_STDLIB") + ")"});
  fs::path runtime = driver::BuiltinPythonRuntimeDir();
  checks.push_back({"topoc", "python runtime folder", !runtime.empty(), true,
                    runtime.empty() ? "no streamparse/ found (set TOPOC_PYTHON_RUNTIME)"
                                    : runtime.string() + " (" + Origin(runtime, "TOPOC_PYTHON_RUNTIME") + ")"});

  // The interpreter `topoc run` and `topoc test` use.
  std::string python = args.python;
  if (python.empty()) {
    const char* env_py = std::getenv("TOPOC_PYTHON");
    python = env_py && *env_py ? env_py : "python3";
  }
  PythonChecks(&checks, python, runtime, args.timeout_secs);

  AddTool(&checks, "graph", "dot", {"-V"}, true, args.timeout_secs, "Graphviz, for topoc graph --format svg/png");
  // The clojure target's output is built into a jar by lein and Storm.
  bool have_clojure = !Which("clojure").empty() || !Which("lein").empty();
  AddTool(&checks, "clojure", Which("lein").empty() && have_clojure ? "clojure" : "lein", {}, false,
          args.timeout_secs, "optional: Clojure/lein, to use --target clojure's output");
  AddTool(&checks, "clojure", "java", {}, false, args.timeout_secs, "optional: Java, for Clojure and Storm");
  // submit: needed when the project has envs to submit to.
  bool submit_needed = has_envs || env != nullptr;
  AddTool(&checks, "submit", "ssh", {}, submit_needed, args.timeout_secs, "OpenSSH client, for topoc submit");
  {
    std::string error;
    const deploy::LibZip* zip = deploy::LoadLibZip(&error);
    checks.push_back({"submit", "libzip", zip != nullptr, submit_needed,
                      zip ? std::string(deploy::kLibZipSoname) + " loads" : error});
  }
  if (env) EnvironmentChecks(&checks, *env, args.timeout_secs);

  bool all_needed = true;
  for (const Check& c : checks) {
    if (c.needed && !c.ok) all_needed = false;
  }

  if (args.format == "json") {
    nlohmann::ordered_json out = nlohmann::ordered_json::object();
    out["ok"] = all_needed;
    out["project"] = project ? nlohmann::ordered_json(project->root.string()) : nlohmann::ordered_json(nullptr);
    out["binary"] = exe.string();
    out["stdlib"] = stdlib.string();
    out["python_runtime"] = runtime.string();
    out["checks"] = nlohmann::ordered_json::array();
    for (const Check& c : checks) {
      out["checks"].push_back(
          {{"job", c.job}, {"check", c.name}, {"ok", c.ok}, {"needed", c.needed}, {"detail", c.detail}});
    }
    std::printf("%s\n", out.dump(2).c_str());
  } else {
    size_t wj = 3, wn = 5;
    for (const Check& c : checks) {
      wj = std::max(wj, c.job.size());
      wn = std::max(wn, c.name.size());
    }
    std::printf("%-*s  %-*s  %-8s  %s\n", static_cast<int>(wj), "JOB", static_cast<int>(wn), "CHECK", "STATUS",
                "DETAIL");
    for (const Check& c : checks) {
      const char* status = c.ok ? "ok" : !c.needed ? "absent" : c.probe ? "FAILED" : "MISSING";
      std::printf("%-*s  %-*s  %-8s  %s\n", static_cast<int>(wj), c.job.c_str(), static_cast<int>(wn),
                  c.name.c_str(), status, c.detail.c_str());
    }
    std::printf("\n%s\n", all_needed ? "Everything topoc needs here is in place."
                                     : "Something topoc needs is missing or failed (above).");
  }
  std::fflush(stdout);
  return all_needed ? 0 : 1;
}

}  // namespace

void RegisterDoctor(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<DoctorArgs>();
  auto* cmd = app.add_subcommand(
      "doctor", "Check that this machine can run, test, draw and submit topologies, and where topoc finds its files");
  cmd->add_option("PROJECT_DIR", args->project_dir, "project folder (default: found from the current folder)");
  cmd->add_option("--format", args->format, "output format (default: text, a table)")
      ->check(CLI::IsMember({"text", "json"}));
  cmd->add_option("-e,--environment", args->env,
                  "env of config.json: also check that Nimbus answers and every worker accepts SSH");
  cmd->add_option("--python", args->python, "Python interpreter to check (default: $TOPOC_PYTHON or python3)");
  cmd->add_option("--timeout", args->timeout_secs, "seconds to wait for each tool, Nimbus and SSH (default 5)")
      ->check(CLI::PositiveNumber);
  cmd->callback([args, &exit_code] { exit_code = Doctor(*args); });
}

}  // namespace topoc::cli
