// Subcommands of the `topoc` driver, one file each (cmd_<name>.cc). Each
// Register function adds its subcommand to `app`; when the subcommand runs,
// its callback stores the process exit code in `exit_code`:
//   0 success, 1 errors in the user's input (diagnostics), 2 usage or I/O.
#pragma once

#include <CLI/CLI.hpp>

namespace topoc::cli {

void RegisterCheck(CLI::App& app, int& exit_code);       // cmd_check.cc
void RegisterExplain(CLI::App& app, int& exit_code);     // cmd_explain.cc
void RegisterQuickstart(CLI::App& app, int& exit_code);  // cmd_quickstart.cc
void RegisterBuild(CLI::App& app, int& exit_code);       // cmd_build.cc
void RegisterDump(CLI::App& app, int& exit_code);        // cmd_dump.cc
void RegisterGraph(CLI::App& app, int& exit_code);       // cmd_graph.cc
void RegisterRun(CLI::App& app, int& exit_code);         // cmd_run.cc
// submit, jar, update-virtualenv
void RegisterSubmit(CLI::App& app, int& exit_code);      // cmd_submit.cc
void RegisterImport(CLI::App& app, int& exit_code);      // cmd_import.cc
// list, kill, activate, deactivate, rebalance, tail, remove-logs, stats,
// slot-usage, worker-uptime
void RegisterClusterCommands(CLI::App& app, int& exit_code);  // cmd_cluster.cc
void RegisterFmt(CLI::App& app, int& exit_code);         // cmd_fmt.cc
void RegisterLsp(CLI::App& app, int& exit_code);         // cmd_lsp.cc
void RegisterTest(CLI::App& app, int& exit_code);        // cmd_test.cc
void RegisterDoctor(CLI::App& app, int& exit_code);      // cmd_doctor.cc
// Hidden `__docs man|bash`: walks `app`, which must hold every command.
void RegisterDocs(CLI::App& app, int& exit_code);  // cmd_docs.cc

}  // namespace topoc::cli
