// A minimal native multilang endpoint for the runner benchmark: buffered
// reads of "<json>\nend\n" messages from stdin and batched writes to
// stdout. Just enough JSON handling for the messages topoc run sends.
#pragma once

#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>

namespace bench {

class Endpoint {
 public:
  // Next complete message (without the "\nend\n"), or false on EOF. Before
  // blocking for input, pending output is flushed.
  bool Next(std::string_view* msg) {
    while (true) {
      size_t pos = in_.find("\nend\n", start_);
      if (pos != std::string::npos) {
        *msg = std::string_view(in_).substr(start_, pos - start_);
        start_ = pos + 5;
        return true;
      }
      in_.erase(0, start_);
      start_ = 0;
      Flush();
      size_t old = in_.size();
      in_.resize(old + 262144);
      ssize_t n = read(0, in_.data() + old, 262144);
      if (n <= 0) return false;
      in_.resize(old + static_cast<size_t>(n));
    }
  }
  std::string& out() { return out_; }
  void Send(std::string_view json) {
    out_.append(json);
    out_.append("\nend\n");
  }
  void Flush() {
    size_t off = 0;
    while (off < out_.size()) {
      ssize_t n = write(1, out_.data() + off, out_.size() - off);
      if (n <= 0) std::exit(1);
      off += static_cast<size_t>(n);
    }
    out_.clear();
  }
  // Handshake: create <pidDir>/<pid>, reply {"pid": N}.
  void Handshake() {
    std::string_view msg;
    if (!Next(&msg)) std::exit(1);
    std::string dir = RawValue(msg, "pidDir");
    if (dir.size() >= 2) dir = dir.substr(1, dir.size() - 2);
    std::string path = dir + "/" + std::to_string(getpid());
    int fd = open(path.c_str(), O_CREAT | O_WRONLY, 0644);
    if (fd >= 0) close(fd);
    Send("{\"pid\":" + std::to_string(getpid()) + "}");
    Flush();
  }
  // Raw JSON value of a top-level key (flat scan; enough for our messages).
  static std::string RawValue(std::string_view msg, std::string_view key) {
    std::string pat = "\"" + std::string(key) + "\":";
    size_t p = msg.find(pat);
    if (p == std::string_view::npos) return {};
    p += pat.size();
    while (p < msg.size() && msg[p] == ' ') ++p;
    size_t e = p;
    if (e < msg.size() && msg[e] == '"') {
      ++e;
      while (e < msg.size() && msg[e] != '"') e += msg[e] == '\\' ? 2 : 1;
      ++e;
    } else {
      int depth = 0;
      bool in_str = false;
      for (; e < msg.size(); ++e) {
        char c = msg[e];
        if (in_str) {
          if (c == '\\') ++e;
          else if (c == '"') in_str = false;
          continue;
        }
        if (c == '"') in_str = true;
        else if (c == '[' || c == '{') ++depth;
        else if (c == ']' || c == '}') {
          if (depth == 0) break;
          if (--depth == 0) {
            ++e;
            break;
          }
        } else if (c == ',' && depth == 0) break;
      }
    }
    return std::string(msg.substr(p, e - p));
  }

 private:
  std::string in_;
  size_t start_ = 0;
  std::string out_;
};

}  // namespace bench
