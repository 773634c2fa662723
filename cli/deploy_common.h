// What the commands that talk to a cluster share (cmd_submit.cc,
// cmd_cluster.cc): the env options, loading config.json and the env, and
// choosing the topology a command acts on.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "compiler/driver/compilation.h"
#include "config/config.h"
#include "deploy/nimbus_client.h"

namespace topoc::cli {

struct EnvArgs {
  std::string environment;
  std::string config_path;  // --config: another config.json
  bool verbose = false;
  double timeout_secs = 60;
  int pool_size = 0;  // --pool-size: parallel ssh connections (0: every worker)
};

// -e/--environment/--env, --config, -v/--verbose, --timeout; with ssh, also
// --pool-size (and sparse's --pool_size, hidden).
void AddEnvOptions(CLI::App* cmd, EnvArgs& a, bool ssh);

// Adds sparse's underscore spelling of a long option (`--override_name` for
// `--override-name`), bound to the same value and left out of --help.
template <typename T>
void AddHiddenOption(CLI::App* cmd, const std::string& name, T& value) {
  cmd->add_option(name, value)->group("");
}
void AddHiddenFlag(CLI::App* cmd, const std::string& name, bool& value);

struct DeployContext {
  std::filesystem::path root;  // the project (or --config's folder)
  config::DeployConfig config;
  const config::EnvConfig* env = nullptr;
  deploy::NimbusTimeouts timeouts;
};

// Finds the project (walking up from the current folder), reads config.json
// (or --config) and selects the env. Returns 0, or the exit code after
// printing "topoc <cmd>: ..." (2: no config.json; 1: a bad one or env).
int LoadDeployContext(const std::string& cmd, const EnvArgs& a, DeployContext* out);

// Compiles the project's topologies (diagnostics printed as `topoc check`
// does) and returns `name`'s, or the only one when `name` is empty; nullptr
// after printing why (exit 1).
const ir::Topology* CompileProjectTopology(const std::string& cmd, const std::filesystem::path& root,
                                           const std::string& name, const std::vector<std::string>& stdlib_dirs,
                                           driver::Compilation& compilation);

// The topology a cluster command acts on: `name` when given, else the
// project's only topology (its .topo files compiled quietly). When the
// project has none or several (or does not compile) it returns false after
// printing "choose one with -n/--name" (exit 1), unless `any_ok`, where it
// returns true with an empty name (meaning: every topology).
bool ChooseTopologyName(const std::string& cmd, const std::string& name, bool any_ok, std::string* out);

// Takes the topology name from the positional argument or -n/--name (they
// must agree when both are given).
bool MergeNames(const std::string& cmd, const std::string& positional, const std::string& option, std::string* out);

}  // namespace topoc::cli
