// What the cli/ unit tests (cmd_*_test.cc, cli_unit_test) share: running one
// subcommand in process as main.cc would (the same CLI11 app, the same exit
// code for usage errors) while capturing what it writes to fds 1 and 2, a
// current folder for the length of a test, and small project trees.
#pragma once

#include <doctest/doctest.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "support/temp_dir.h"

namespace topoc::cli::testing {

namespace fs = std::filesystem;

struct CliResult {
  int exit_code = -1;
  std::string out;  // fd 1
  std::string err;  // fd 2
};

// Points fd `fd` at a temp file until Take(): catches printf, fmt::print,
// std::cout and std::cerr alike (the commands use all four).
class FdCapture {
 public:
  explicit FdCapture(int fd) : fd_(fd) {
    Flush();
    file_ = std::tmpfile();
    saved_ = dup(fd_);
    dup2(fileno(file_), fd_);
  }
  ~FdCapture() { Take(); }
  std::string Take() {
    if (saved_ < 0) return text_;
    Flush();
    dup2(saved_, fd_);
    close(saved_);
    saved_ = -1;
    std::rewind(file_);
    std::ostringstream s;
    for (int c; (c = std::fgetc(file_)) != EOF;) s.put(static_cast<char>(c));
    std::fclose(file_);
    text_ = s.str();
    return text_;
  }

 private:
  static void Flush() {
    std::cout.flush();
    std::cerr.flush();
    std::fflush(nullptr);
  }
  int fd_;
  int saved_ = -1;
  std::FILE* file_ = nullptr;
  std::string text_;
};

using RegisterFn = void (*)(CLI::App&, int&);

// `topoc <args...>` with only the subcommands the `register_fns` add, parsed
// and run as main.cc does: a usage error prints CLI11's message, exit 2.
inline CliResult RunCli(std::vector<RegisterFn> register_fns, std::vector<std::string> args) {
  CliResult r;
  CLI::App app{"topoc: the app under test"};
  app.require_subcommand(1);
  int exit_code = 0;
  for (RegisterFn fn : register_fns) fn(app, exit_code);
  args.insert(args.begin(), "topoc");
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  FdCapture out(STDOUT_FILENO), err(STDERR_FILENO);
  try {
    app.parse(static_cast<int>(argv.size()), argv.data());
    r.exit_code = exit_code;
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    r.exit_code = rc == 0 ? 0 : 2;
  }
  r.out = out.Take();
  r.err = err.Take();
  return r;
}

inline CliResult RunCli(RegisterFn register_fn, std::vector<std::string> args) {
  return RunCli(std::vector<RegisterFn>{register_fn}, std::move(args));
}

// Runs the test in `dir` (the commands find their project from the current
// folder), then goes back.
class ScopedCwd {
 public:
  explicit ScopedCwd(const fs::path& dir) : saved_(fs::current_path()) { fs::current_path(dir); }
  ~ScopedCwd() { fs::current_path(saved_); }

 private:
  fs::path saved_;
};

// Sets an environment variable for one scope (restores the old value).
struct EnvVar {
  std::string name;
  std::optional<std::string> old;
  EnvVar(std::string n, const std::string& value) : name(std::move(n)) {
    if (const char* v = getenv(name.c_str())) old = v;
    setenv(name.c_str(), value.c_str(), 1);
  }
  ~EnvVar() {
    if (old) setenv(name.c_str(), old->c_str(), 1);
    else unsetenv(name.c_str());
  }
};

inline void WriteFile(const fs::path& p, const std::string& text) {
  fs::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << text;
}

inline std::string ReadFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// A shell-component topology that checks clean (no python classes, so no
// src/ needed): `topology NAME` with a spout and a bolt.
inline std::string ShellTopology(const std::string& name) {
  return "topology " + name +
         " {\n"
         "    spout words = shell [\"python3\", \"words.py\"] {\n"
         "        output (word)\n"
         "    }\n"
         "    bolt counts = shell [\"python3\", \"counts.py\"] {\n"
         "        input words shuffle\n"
         "    }\n"
         "}\n";
}

}  // namespace topoc::cli::testing
