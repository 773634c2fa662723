// The `topoc submit` flow after the topology is checked and built
// (cli/cmd_submit.cc does check + build; issue 5 steps 2-6 live here):
//   2. pre_submit hooks: an executable hooks/pre_submit, then pre_submit()
//      of tasks.py / fabfile.py (the seed's FAQ form)
//   3. virtualenvs on every worker, in parallel, over ssh
//   4. the jar (deploy/jar.h)
//   5. Nimbus: optional --force kill + wait, upload, submitTopologyWithOpts
//   6. post_submit hooks
// Progress goes to `out`; each failure is one clear line on `err`.
//
// Hook forms (documented for users in docs/submit.md):
//   hooks/<stage> <topology> <env name> <env config as JSON>   cwd = project
//   tasks.py / fabfile.py: <stage>(topology_name, env_name, env_config)
//     called with `python3` when the file defines it, with the project and
//     the streamparse runtime on sys.path.
// A failing pre_submit stops the submit; a failing post_submit is reported
// (exit 1) after the topology is already on the cluster.
#pragma once

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "compiler/ir/ir.h"
#include "config/config.h"
#include "deploy/nimbus_client.h"
#include "deploy/ssh.h"
#include "thrift/gen-cpp/storm_types.h"

namespace topoc::deploy {

// Step 3's choices (submit, update-virtualenv).
struct VirtualenvOptions {
  // Requirements files (-r), sent one after the other; empty:
  // <project>/<virtualenv_specs>/<topology>.txt.
  std::vector<std::filesystem::path> requirements;
  bool overwrite = false;  // delete the virtualenv and build it afresh
  // Build even when the env says install_virtualenv: false (update-virtualenv
  // is asked for by name); use_virtualenv: false still skips.
  bool ignore_install_virtualenv = false;
};

struct SubmitRequest {
  std::filesystem::path project_root;
  const config::DeployConfig* config = nullptr;
  const config::EnvConfig* env = nullptr;
  const ir::Topology* topology = nullptr;  // checked (ir.h invariants hold)
  // The name on the cluster and of the virtualenv (-N/--override-name);
  // empty: the topology's own name.
  std::string name;
  VirtualenvOptions virtualenv;
  int kill_wait_secs = 0;  // --force: the running one is deactivated this long, then killed
  // Built from `topology` with python_interpreter = env->PythonInterpreter().
  const topoc::storm::StormTopology* storm_topology = nullptr;
  std::vector<std::string> overrides;  // "key=value" from -o
  bool force = false;                  // kill a running topology of that name first
  bool inactive = false;               // SubmitOptions INACTIVE
  bool debug = false;                  // topology.debug, log level debug
  bool verbose = false;                // print ssh commands, jar warnings
  int pool_size = 0;                   // at most this many ssh at once (0: every worker)
  NimbusTimeouts timeouts;
  std::chrono::milliseconds force_wait{std::chrono::seconds(300)};  // --force: wait this long for the kill
  std::filesystem::path python_runtime_dir;  // holds streamparse/ (driver::BuiltinPythonRuntimeDir)
  std::filesystem::path jar_path;            // empty: <project>/_build/<topology>.jar
  bool prebuilt_jar = false;                 // -j: upload jar_path as it is (no build)
  std::string remote_jar;                    // -R: a jar already on Nimbus (no build, no upload)
  std::string hook_python = "python3";       // runs tasks.py / fabfile.py hooks
};

// Runs steps 2-6. Returns the exit code: 0 submitted, 1 a step failed.
int RunSubmit(const SubmitRequest& request, std::FILE* out, std::FILE* err);

// "key=value" -> key and a JSON value: the value is parsed as JSON when it
// is valid JSON (numbers, true/false/null, "quoted", [..], {..}), else it is
// taken as a plain string. False with `error` when there is no '=' or no key.
bool ParseOverride(std::string_view text, std::string* key, nlohmann::ordered_json* value, std::string* error);

// The jsonConf sent with submitTopologyWithOpts: topology config, then the
// env's options, then -o overrides (later wins), then streamparse.log.*
// from the env's log settings (debug forces level "debug" and sets
// topology.debug), and topology.name = `name` (empty: the topology's name).
bool BuildSubmitConf(const ir::Topology& topology, const config::EnvConfig& env, const std::vector<std::string>& overrides,
                     bool debug, nlohmann::ordered_json* conf, std::string* error, const std::string& name = "");

// Runs the project's `stage` hooks ("pre_submit" / "post_submit"). True when
// every hook present succeeded (or none exists).
bool RunSubmitHooks(std::string_view stage, const std::filesystem::path& project_root, std::string_view topology,
                    const config::EnvConfig& env, const std::string& python, const std::filesystem::path& runtime_dir,
                    std::FILE* out, std::string* error);

// Step 3: the virtualenv <virtualenv_root>/<venv_name> on every worker, from
// the requirements of `topology`. True when every worker has it (or there is
// nothing to do).
bool BuildVirtualenvs(const std::filesystem::path& project_root, const config::DeployConfig& config, const config::EnvConfig& env,
                      std::string_view topology, std::string_view venv_name, const VirtualenvOptions& options,
                      const SshSettings& ssh, std::FILE* out, std::string* error);

// Step 4: writes the topology's jar to `jar` (its resources/: the project's
// src/, the streamparse runtime, one launcher per python class) and prints
// "Built <jar> (N files, X MiB)" on `out`, warnings on `err` as
// "topoc <command>: warning: ...".
bool BuildTopologyJar(const std::filesystem::path& project_root, const ir::Topology& topology,
                      const std::filesystem::path& python_runtime_dir, const std::filesystem::path& jar,
                      std::string_view command, std::FILE* out, std::FILE* err, std::string* error);

// Connects `client` to the env's Nimbus, through an ssh -L `tunnel` when
// use_ssh_for_nimbus (the tunnel must outlive the client's use).
bool ConnectNimbus(const config::EnvConfig& env, const SshSettings& ssh, const NimbusTimeouts& timeouts, NimbusClient* client,
                   SshTunnel* tunnel, std::string* error);

}  // namespace topoc::deploy
