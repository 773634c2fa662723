// config.json: the project's deployment settings, in streamparse's format.
//
//   {
//     "log": {...},                         as in an env; `topoc run`'s settings
//     "envs": {
//       "prod": {
//         "nimbus": "storm1:6627",          host[:port], port defaults to 6627
//         "workers": ["storm1", "storm2"],  hosts reached over ssh
//         "user": "storm",                  ssh user (default: ssh's own)
//         "ssh_port": 22,
//         "use_ssh_for_nimbus": false,      reach Nimbus through `ssh -L`
//         "virtualenv_root": "/data/virtualenvs",
//         "use_virtualenv": true,           components run <root>/<topology>/bin/python
//         "install_virtualenv": true,       submit builds the virtualenvs
//         "virtualenv_flags": "--system-site-packages",   string or list
//         "pip_flags": ["--no-index", "--find-links", "/srv/wheels"],  (topoc)
//         "log": {"path": "...", "max_bytes": 1000000, "backup_count": 10,
//                 "level": "info"},
//         "options": {"topology.workers": 2}   Storm config sent with submit
//       }
//     }
//   }
//
// Every problem is reported, each as one line naming the file, the
// line:col of the value and its JSON path ("config.json:4:17:
// envs.prod.nimbus: ..."); a JSON syntax error stops the reading.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace topoc::config {

inline constexpr int kDefaultNimbusPort = 6627;

struct LogSettings {
  std::optional<std::string> path;
  std::optional<int64_t> max_bytes;
  std::optional<int64_t> backup_count;
  std::optional<std::string> level;  // critical|error|warning|info|debug
};

struct EnvConfig {
  std::string name;
  std::string nimbus_host;
  int nimbus_port = kDefaultNimbusPort;
  std::vector<std::string> workers;
  std::string user;  // empty: ssh decides (~/.ssh/config, $USER)
  std::optional<int> ssh_port;  // unset: ssh decides (default 22)
  bool use_ssh_for_nimbus = false;
  std::string virtualenv_root;
  bool use_virtualenv = true;
  bool install_virtualenv = true;
  std::vector<std::string> virtualenv_flags;
  std::vector<std::string> pip_flags;
  LogSettings log;
  nlohmann::ordered_json options = nlohmann::ordered_json::object();  // Storm config
  nlohmann::ordered_json raw;  // the env's object exactly as written (for hooks)

  // <virtualenv_root>/<topology>/bin/python when use_virtualenv, else python3.
  std::string PythonInterpreter(std::string_view topology) const;
  std::string VirtualenvDir(std::string_view topology) const;
};

struct DeployConfig {
  std::filesystem::path file;
  std::vector<EnvConfig> envs;  // in file order (none: SelectEnv reports it)
  std::optional<LogSettings> log;  // the top-level "log", for `topoc run`
  std::string topology_specs = "topologies";     // folder of the .topo files
  std::string virtualenv_specs = "virtualenvs";  // folder of <topology>.txt

  const EnvConfig* FindEnv(std::string_view name) const;
};

// Reads and validates `file`. On failure returns false and sets `error` to
// one line ("config.json:3:5: envs.prod.nimbus: ...") or, for several
// problems, "N problems in config.json:" and one such line each.
bool LoadDeployConfig(const std::filesystem::path& file, DeployConfig* out, std::string* error);
// Same, from text (`file` is only used in messages).
bool ParseDeployConfig(std::string_view text, const std::filesystem::path& file, DeployConfig* out,
                       std::string* error);

// The env named `name`; with an empty name, the only env. Otherwise nullptr
// and an error listing the known envs (with a did-you-mean when close).
const EnvConfig* SelectEnv(const DeployConfig& config, std::string_view name, std::string* error);

}  // namespace topoc::config
