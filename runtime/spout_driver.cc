#include "runtime/spout_driver.h"

#include "runtime/multilang.h"

namespace topoc::runtime {

void SpoutDriver::Restart() {
  waiting_sync_ = false;
  active_ = false;
}

void SpoutDriver::Activate(double now, std::string* out) {
  active_ = true;
  Sent("activate", "\"\"", now, out);
}

void SpoutDriver::Queue(Command kind, std::string_view msg_id) { queue_.push_back({kind, std::string(msg_id)}); }

bool SpoutDriver::MayAskNext(bool running, bool stopping, size_t buffered) const {
  if (!running || waiting_sync_ || !active_ || stopping) return false;
  if (max_pending_ > 0 && pending_ >= max_pending_) return false;
  return buffered <= kBackPressureBytes;  // above: bolts are behind
}

bool SpoutDriver::Pump(double now, bool running, bool stopping, size_t buffered, std::string* out) {
  if (!running || waiting_sync_) return false;
  if (!queue_.empty()) {
    Queued c = std::move(queue_.front());
    queue_.pop_front();
    switch (c.kind) {
      case Command::kAck: Sent("ack", c.msg_id, now, out); break;
      case Command::kFail: Sent("fail", c.msg_id, now, out); break;
      case Command::kDeactivate:
        Sent("deactivate", "\"\"", now, out);
        active_ = false;
        break;
    }
    return true;
  }
  if (!MayAskNext(running, stopping, buffered) || now < next_at_) return false;
  Sent("next", "\"\"", now, out);
  return true;
}

void SpoutDriver::Sent(std::string_view command, std::string_view id, double now, std::string* out) {
  AppendSpoutCommand(out, command, id);
  waiting_sync_ = true;
  wait_since_ = now;
  last_was_next_ = command == "next";
  emits_in_command_ = 0;
}

bool SpoutDriver::OnEmit() {
  if (!waiting_sync_) return false;
  ++emits_in_command_;
  return true;
}

bool SpoutDriver::OnSync(double now) {
  if (!waiting_sync_) return false;
  waiting_sync_ = false;
  if (last_was_next_ && emits_in_command_ == 0) next_at_ = now + 0.001;
  return true;
}

}  // namespace topoc::runtime
