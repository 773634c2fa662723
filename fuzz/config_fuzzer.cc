// libFuzzer target for the config.json reader (config/config.h): any bytes
// -> ParseDeployConfig. It must never crash, throw or hang; a refusal must
// say why, with the file name and, for a located problem, line:column; an
// accepted file must satisfy what the rest of topoc relies on. Build and
// run: fuzz/run.sh config SECONDS.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "config/config.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  topoc::config::DeployConfig config;
  std::string error;
  bool ok = topoc::config::ParseDeployConfig(text, "config.json", &config, &error);
  if (!ok) {
    if (error.empty() || error.find("config.json") == std::string::npos) {
      std::fprintf(stderr, "refused without a message naming the file: '%s'\n", error.c_str());
      std::abort();
    }
    return 0;
  }
  if (!error.empty()) std::abort();  // accepted yet an error
  if (config.topology_specs.empty() || config.virtualenv_specs.empty()) std::abort();
  for (const auto& env : config.envs) {
    if (env.nimbus_host.empty() || env.nimbus_host[0] == '-') std::abort();
    if (env.nimbus_port < 1 || env.nimbus_port > 65535) std::abort();
    if (env.use_virtualenv && env.virtualenv_root.empty()) std::abort();
    for (const auto& w : env.workers) {
      if (w.empty() || w[0] == '-') std::abort();
    }
    if (env.ssh_port && (*env.ssh_port < 1 || *env.ssh_port > 65535)) std::abort();
    (void)env.PythonInterpreter("t");
  }
  std::string select_error;
  (void)topoc::config::SelectEnv(config, "", &select_error);
  (void)topoc::config::SelectEnv(config, "prod", &select_error);
  return 0;
}
