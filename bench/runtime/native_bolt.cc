// Native multilang bolt for the runner benchmark.
//   native_bolt [--emit]
// Acks every tuple; with --emit first re-emits its values anchored to it
// (need_task_ids false). Heartbeats are answered with sync.
#include <cstring>
#include <string>

#include "bench/runtime/native_multilang.h"

int main(int argc, char** argv) {
  bool emit = argc > 1 && !std::strcmp(argv[1], "--emit");
  bench::Endpoint ep;
  ep.Handshake();
  std::string_view msg;
  std::string& out = ep.out();
  while (ep.Next(&msg)) {
    if (msg.find("\"__heartbeat\"") != std::string_view::npos) {
      ep.Send("{\"command\":\"sync\"}");
      continue;
    }
    std::string id = bench::Endpoint::RawValue(msg, "id");
    if (emit) {
      std::string tuple = bench::Endpoint::RawValue(msg, "tuple");
      out.append("{\"command\":\"emit\",\"anchors\":[");
      out.append(id);
      out.append("],\"tuple\":");
      out.append(tuple);
      out.append(",\"need_task_ids\":false}\nend\n");
    }
    out.append("{\"command\":\"ack\",\"id\":");
    out.append(id);
    out.append("}\nend\n");
  }
  ep.Flush();
  return 0;
}
