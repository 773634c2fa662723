// Native multilang spout for the runner benchmark.
//   native_spout [--batch N] [--count N] [--reliable]
// Each `next` emits up to N tuples ["w<i % 1000>", i] (need_task_ids false;
// with --reliable each carries message id i), then syncs. Stops emitting
// after --count tuples (0: never). Acks/fails are counted and synced.
#include <cstdlib>
#include <cstring>

#include "bench/runtime/native_multilang.h"

int main(int argc, char** argv) {
  long batch = 100, count = 0;
  bool reliable = false;
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--batch") && i + 1 < argc) batch = std::atol(argv[++i]);
    else if (!std::strcmp(argv[i], "--count") && i + 1 < argc) count = std::atol(argv[++i]);
    else if (!std::strcmp(argv[i], "--reliable")) reliable = true;
  }
  bench::Endpoint ep;
  ep.Handshake();
  long next_id = 0;
  std::string_view msg;
  char buf[160];
  while (ep.Next(&msg)) {
    if (msg.find("\"next\"") != std::string_view::npos) {
      for (long k = 0; k < batch && (count == 0 || next_id < count); ++k, ++next_id) {
        int n = reliable ? std::snprintf(buf, sizeof buf,
                                         "{\"command\":\"emit\",\"id\":%ld,\"tuple\":[\"w%ld\",%ld],"
                                         "\"need_task_ids\":false}",
                                         next_id, next_id % 1000, next_id)
                         : std::snprintf(buf, sizeof buf,
                                         "{\"command\":\"emit\",\"tuple\":[\"w%ld\",%ld],\"need_task_ids\":false}",
                                         next_id % 1000, next_id);
        ep.Send(std::string_view(buf, static_cast<size_t>(n)));
      }
    }
    ep.Send("{\"command\":\"sync\"}");
  }
  return 0;
}
