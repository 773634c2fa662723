// What a run shows while it runs (`topoc run --ui`): per-task counters and
// latencies kept by the cluster as it routes, and the snapshot of them it
// publishes about once a second to a LiveSink. The routing loop only ever
// copies counters into a snapshot and hands it over (one mutex-guarded
// pointer swap in the sink); it never waits for a reader.
#pragma once

#include <algorithm>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace topoc::runtime {

// Counters of one task since the run started.
struct TaskStats {
  uint64_t emitted = 0;      // emit commands
  uint64_t transferred = 0;  // tuples delivered to bolt tasks from its emits
  uint64_t acked = 0;        // spout: acks delivered to it; bolt: acks it sent
  uint64_t failed = 0;       // spout: fails delivered (and lost trees); bolt: fails it sent
  uint64_t executed = 0;     // bolt: tuples it acked or failed
  uint64_t restarts = 0;
  // Milliseconds summed, and how many: execute (bolt: from the runner
  // writing the tuple to the task's ack or fail), process (the same, acks
  // only), complete (spout: from its emit to the tree's completion, acked
  // trees only). Tick tuples are not timed.
  double execute_ms = 0;
  uint64_t execute_n = 0;
  double process_ms = 0;
  uint64_t process_n = 0;
  double complete_ms = 0;
  uint64_t complete_n = 0;
  // Bolt: seconds it had a tuple in hand that it then acked or failed (each
  // tuple from max(written, the task's previous ack/fail) to its own), the
  // numerator of capacity.
  double busy_secs = 0;
  double last_done = 0;  // when it last acked or failed (monotonic seconds)

  // A bolt acked (`acked`) or failed an input the runner wrote at `sent_at`
  // (0: not timed).
  void BoltDone(double sent_at, double now, bool ok) {
    ++executed;
    if (ok) ++acked;
    else ++failed;
    if (sent_at > 0) {
      double ms = (now - sent_at) * 1e3;
      execute_ms += ms;
      ++execute_n;
      if (ok) {
        process_ms += ms;
        ++process_n;
      }
      busy_secs += now - std::max(sent_at, last_done);
    }
    last_done = now;
  }
};

// An error a component reported (`error` command) or a death of one of its
// tasks.
struct LiveError {
  double wall_time = 0;  // seconds since the epoch
  int task = 0;
  std::string text;
};

struct TaskSnapshot {
  int id = 0;
  int pid = -1;
  std::string state;        // "starting", "running" or "down"
  double uptime_secs = 0;   // since its process started (0 when down)
  TaskStats stats;
  std::string log_file;     // topoc's task log
};

struct ComponentSnapshot {
  std::string id;
  bool spout = false;
  std::vector<TaskSnapshot> tasks;
  std::vector<LiveError> errors;  // oldest first, the last kMaxLiveErrors
};

inline constexpr size_t kMaxLiveErrors = 20;

struct RunSnapshot {
  double uptime_secs = 0;  // since the run started
  double wall_time = 0;    // when taken, seconds since the epoch
  bool stopping = false;
  bool ended = false;      // the run is over (the last snapshot)
  uint64_t tuples_routed = 0;
  std::vector<ComponentSnapshot> components;  // declaration order
};

// Receives snapshots on the routing thread. Publish must not block for
// long: store and return.
class LiveSink {
 public:
  virtual ~LiveSink() = default;
  virtual void Publish(std::shared_ptr<const RunSnapshot> snapshot) = 0;
};

}  // namespace topoc::runtime
