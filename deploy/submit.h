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
#include "deploy/config.h"
#include "deploy/nimbus_client.h"
#include "deploy/ssh.h"
#include "thrift/gen-cpp/storm_types.h"

namespace topoc::deploy {

struct SubmitRequest {
  std::filesystem::path project_root;
  const DeployConfig* config = nullptr;
  const EnvConfig* env = nullptr;
  const ir::Topology* topology = nullptr;  // checked (ir.h invariants hold)
  // Built from `topology` with python_interpreter = env->PythonInterpreter().
  const topoc::storm::StormTopology* storm_topology = nullptr;
  std::vector<std::string> overrides;  // "key=value" from -o
  bool force = false;                  // kill a running topology of that name first
  bool inactive = false;               // SubmitOptions INACTIVE
  bool debug = false;                  // topology.debug, log level debug
  bool verbose = false;                // print ssh commands, jar warnings
  NimbusTimeouts timeouts;
  std::chrono::milliseconds force_wait{std::chrono::seconds(300)};  // --force: wait this long for the kill
  std::filesystem::path python_runtime_dir;  // holds streamparse/ (driver::BuiltinPythonRuntimeDir)
  std::filesystem::path jar_path;            // empty: <project>/_build/<topology>.jar
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
// topology.debug), and topology.name = the topology's name.
bool BuildSubmitConf(const ir::Topology& topology, const EnvConfig& env, const std::vector<std::string>& overrides,
                     bool debug, nlohmann::ordered_json* conf, std::string* error);

// Runs the project's `stage` hooks ("pre_submit" / "post_submit"). True when
// every hook present succeeded (or none exists).
bool RunSubmitHooks(std::string_view stage, const std::filesystem::path& project_root, std::string_view topology,
                    const EnvConfig& env, const std::string& python, const std::filesystem::path& runtime_dir,
                    std::FILE* out, std::string* error);

// Step 3. True when every worker has the virtualenv (or nothing to do).
bool BuildVirtualenvs(const std::filesystem::path& project_root, const DeployConfig& config, const EnvConfig& env,
                      std::string_view topology, const SshSettings& ssh, std::FILE* out, std::string* error);

// Connects `client` to the env's Nimbus, through an ssh -L `tunnel` when
// use_ssh_for_nimbus (the tunnel must outlive the client's use).
bool ConnectNimbus(const EnvConfig& env, const SshSettings& ssh, const NimbusTimeouts& timeouts, NimbusClient* client,
                   SshTunnel* tunnel, std::string* error);

}  // namespace topoc::deploy
