// The C interface between `topoc` and the live view's plugin (topoc-ui.so).
//
// The web server links Debian's cpp-httplib, a shared library that brings
// libstdc++.so, libssl and libcrypto: linked into `topoc`, every command
// would pay ~20 ms more to start (docs/benchmarks.md, "live view"). So the
// server lives in a module that `topoc run --ui` alone loads with dlopen
// (ui_plugin.h); only C types cross this line (the module has its own C++
// runtime), the topology and the snapshots as JSON text.
#pragma once

#include <stddef.h>

extern "C" {

#define TOPOC_UI_API_VERSION 1

struct TopocUiApi {
  int version;  // TOPOC_UI_API_VERSION
  // info_json: TopologyInfo as InfoToJson writes it (snapshot_json.h), with
  // "dot": the graph's DOT text and "workDir": a folder for Graphviz's files.
  // nullptr with `err` filled on failure.
  void* (*create)(const char* info_json, char* err, size_t err_size);
  // Binds 127.0.0.1:port (0: any free port). Returns the port, or -1 with
  // `err` filled (e.g. the port is in use). Nothing is served yet.
  int (*bind)(void* server, int port, char* err, size_t err_size);
  // Serves on threads of its own until stop.
  void (*start)(void* server);
  // A snapshot as SnapshotToJson writes it. Returns at once.
  void (*publish)(void* server, const char* snapshot_json);
  // Ends the event streams, stops serving and joins the threads.
  void (*stop)(void* server);
  void (*destroy)(void* server);
};

// The module's one exported symbol.
const TopocUiApi* topoc_ui_api(void);
typedef const TopocUiApi* (*TopocUiApiFn)(void);
}
