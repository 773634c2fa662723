#include "tests/deploy/sshd_fixture.h"

#include <fstream>
#include <thread>

#include <pwd.h>
#include <unistd.h>

#include <fmt/format.h>

#include "deploy/ssh.h"

namespace topoc::deploy::testing {

namespace fs = std::filesystem;

bool SshdFixture::Start(const std::vector<std::string>& aliases, const std::vector<std::string>& unreachable,
                        std::string* error) {
  const fs::path d = tmp_.path();
  if (d.empty()) {
    *error = "no temp dir";
    return false;
  }
  if (!fs::exists("/usr/sbin/sshd")) {
    *error = "/usr/sbin/sshd not found (install openssh-server)";
    return false;
  }
  std::error_code ec;
  fs::create_directories("/run/sshd", ec);
  for (const char* key : {"host_key", "id_test"}) {
    support::ProcessResult r = support::RunProcess({"ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", (d / key).string()});
    if (!r.ok()) {
      *error = "ssh-keygen failed: " + r.output + r.error;
      return false;
    }
  }
  fs::copy_file(d / "id_test.pub", d / "authorized_keys", ec);
  struct passwd* pw = getpwuid(getuid());
  user_ = pw ? pw->pw_name : "root";
  port_ = FreeLocalPort();
  int dead_port = FreeLocalPort();
  {
    std::ofstream cfg(d / "sshd_config");
    cfg << fmt::format(
        "Port {}\nListenAddress 127.0.0.1\nHostKey {}\nPidFile {}\nAuthorizedKeysFile {}\n"
        "StrictModes no\nPasswordAuthentication no\nKbdInteractiveAuthentication no\nPubkeyAuthentication yes\n"
        "PermitRootLogin prohibit-password\nUsePAM no\nAllowTcpForwarding yes\nPrintMotd no\nLogLevel ERROR\n"
        "AcceptEnv LANG\n",
        port_, (d / "host_key").string(), (d / "sshd.pid").string(), (d / "authorized_keys").string());
  }
  {
    std::ofstream cfg(d / "ssh_config");
    auto block = [&](const std::string& alias, int port) {
      cfg << fmt::format(
          "Host {}\n  HostName 127.0.0.1\n  Port {}\n  User {}\n  IdentityFile {}\n  IdentitiesOnly yes\n"
          "  StrictHostKeyChecking no\n  UserKnownHostsFile /dev/null\n  LogLevel ERROR\n  ConnectTimeout 5\n",
          alias, port, user_, (d / "id_test").string());
    };
    for (const auto& a : aliases) block(a, port_);
    for (const auto& a : unreachable) block(a, dead_port);
  }
  if (!sshd_.Start({"/usr/sbin/sshd", "-D", "-e", "-f", (d / "sshd_config").string()}, error)) return false;
  // Ready when a real login works.
  SshSettings s;
  s.config_file = client_config().string();
  for (int i = 0; i < 100; ++i) {
    if (!sshd_.Running()) {
      *error = "sshd exited: " + sshd_.Output();
      return false;
    }
    if (!aliases.empty() && RunSsh(s, aliases[0], "true").ok()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  *error = "sshd did not accept a login within 10 s: " + sshd_.Output();
  return false;
}

}  // namespace topoc::deploy::testing
