// For runtime/ui's tests: a plain HTTP/1.0 GET to 127.0.0.1, and waiting
// until the live view's server answers one (its listening thread is up).
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <thread>

namespace topoc::runtime::ui::testing {

struct HttpResponse {
  int status = 0;  // 0: no answer
  std::string headers, body;
};

// GET `path` on 127.0.0.1:port; the server closes the connection when done.
inline HttpResponse HttpGet(int port, const std::string& path) {
  HttpResponse r;
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (fd < 0 || connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    if (fd >= 0) close(fd);
    return r;
  }
  std::string req = "GET " + path + " HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n";
  if (write(fd, req.data(), req.size()) != static_cast<ssize_t>(req.size())) {
    close(fd);
    return r;
  }
  std::string all;
  char buf[4096];
  for (ssize_t n; (n = read(fd, buf, sizeof buf)) > 0;) all.append(buf, static_cast<size_t>(n));
  close(fd);
  size_t split = all.find("\r\n\r\n");
  size_t space = all.find(' ');
  if (split == std::string::npos || space == std::string::npos) return r;
  r.headers = all.substr(0, split);
  r.body = all.substr(split + 4);
  r.status = std::stoi(all.substr(space + 1, 3));
  return r;
}

// True once the server answers (at most ~5 s). Its connections are accepted
// by a thread of its own, which may not be running yet right after start.
inline bool WaitUntilServing(int port) {
  for (int i = 0; i < 250; ++i) {
    if (HttpGet(port, "/api/v1/cluster/summary").status == 200) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return false;
}

}  // namespace topoc::runtime::ui::testing
