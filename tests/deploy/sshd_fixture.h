// A real OpenSSH server for tests: /usr/sbin/sshd on 127.0.0.1 and a free
// port, with a throw-away host key and user key made by ssh-keygen in a temp
// folder, and an ssh client config (for `ssh -F`, which topoc takes from
// $TOPOC_SSH_CONFIG) where every listed alias reaches it:
//   Host <alias> -> 127.0.0.1:<port> as the current user with the
//   test key and no host key checking.
// Aliases in `unreachable` point at a closed port instead (a dead worker).
// sshd needs /run/sshd (created here; tests run as root) and StrictModes
// off for keys in /tmp.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "support/process.h"
#include "support/temp_dir.h"

namespace topoc::deploy::testing {

class SshdFixture {
 public:
  // False with `error` when sshd cannot be started (missing binary, ...).
  bool Start(const std::vector<std::string>& aliases, const std::vector<std::string>& unreachable, std::string* error);
  ~SshdFixture() { Stop(); }
  void Stop() { sshd_.Stop(); }

  int port() const { return port_; }
  const std::filesystem::path& dir() const { return tmp_.path(); }
  // The client config to pass as TOPOC_SSH_CONFIG / ssh -F.
  std::filesystem::path client_config() const { return tmp_.path() / "ssh_config"; }
  std::string user() const { return user_; }

 private:
  support::TempDir tmp_{"topoc-sshd"};
  support::BackgroundProcess sshd_;
  int port_ = 0;
  std::string user_;
};

}  // namespace topoc::deploy::testing
