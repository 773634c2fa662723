// Driving one spout task (storm-facts.md §2): one command at a time (next,
// ack, fail, activate, deactivate), each answered by `sync`; acks and fails
// waiting their turn; 1 ms back-off after a `next` that emitted nothing;
// topology.max.spout.pending; and back-pressure: no `next` while the bolts'
// input queues hold more than kBackPressureBytes.
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <string_view>

namespace topoc::runtime {

inline constexpr size_t kBackPressureBytes = 16u << 20;

class SpoutDriver {
 public:
  enum class Command { kAck, kFail, kDeactivate };

  // max_pending: topology.max.spout.pending (0: unlimited).
  explicit SpoutDriver(int64_t max_pending = 0) : max_pending_(max_pending) {}

  // A new process for this task: nothing in flight, not active.
  void Restart();
  // Commands are appended as MessagePack (the task's serializer) instead of
  // JSON text. A msg_id that cannot be encoded leaves nothing appended and
  // is reported once by TakeEncodeFailure().
  void set_msgpack(bool on) { msgpack_ = on; }
  bool TakeEncodeFailure() {
    bool failed = encode_failed_;
    encode_failed_ = false;
    return failed;
  }
  // After the handshake: appends `activate` to `out`.
  void Activate(double now, std::string* out);
  // Queues an ack / fail (msg_id: raw JSON) or the deactivation.
  void Queue(Command kind, std::string_view msg_id);

  // Whether `next` may be sent (time back-off aside). `running`: the process
  // finished its handshake; `buffered`: bytes queued to all tasks.
  bool MayAskNext(bool running, bool stopping, size_t buffered) const;
  // Appends the command to send now to `out`: a queued one first, else
  // `next` if allowed and due. False when nothing is to be sent.
  bool Pump(double now, bool running, bool stopping, size_t buffered, std::string* out);

  // An emit from the process; false when it came outside a command.
  bool OnEmit();
  // `sync` from the process; false for a stray one (not waiting). *done:
  // the command it ends (kNext, kAck, ...).
  enum class Sent { kNone, kActivate, kNext, kAck, kFail, kDeactivate };
  bool OnSync(double now, Sent* done = nullptr);
  // The process died: drops the queue and what was in flight. Returns how
  // many acks and fails never reached it (those counted as failed).
  int64_t Drop();

  // Trees of this task being tracked (topology.max.spout.pending).
  void TreeStarted() { ++pending_; }
  void TreeDone() { --pending_; }
  int64_t pending() const { return pending_; }

  bool waiting_sync() const { return waiting_sync_; }
  double wait_since() const { return wait_since_; }
  double next_at() const { return next_at_; }
  bool active() const { return active_; }
  // A command in flight or queued.
  bool busy() const { return waiting_sync_ || !queue_.empty(); }

 private:
  void Send(Sent kind, std::string_view id, double now, std::string* out);
  struct Queued {
    Command kind;
    std::string msg_id;
  };
  int64_t max_pending_;
  bool msgpack_ = false;
  bool encode_failed_ = false;
  int64_t pending_ = 0;
  bool waiting_sync_ = false;
  double wait_since_ = 0;
  Sent in_flight_ = Sent::kNone;
  int emits_in_command_ = 0;
  double next_at_ = 0;
  bool active_ = false;
  std::deque<Queued> queue_;
};

}  // namespace topoc::runtime
