#include "runtime/spout_driver.h"

#include "runtime/multilang.h"

namespace topoc::runtime {

void SpoutDriver::Restart() {
  waiting_sync_ = false;
  active_ = false;
}

void SpoutDriver::Activate(double now, std::string* out) {
  active_ = true;
  Send(Sent::kActivate, "\"\"", now, out);
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
      case Command::kAck: Send(Sent::kAck, c.msg_id, now, out); break;
      case Command::kFail: Send(Sent::kFail, c.msg_id, now, out); break;
      case Command::kDeactivate:
        Send(Sent::kDeactivate, "\"\"", now, out);
        active_ = false;
        break;
    }
    return true;
  }
  if (!MayAskNext(running, stopping, buffered) || now < next_at_) return false;
  Send(Sent::kNext, "\"\"", now, out);
  return true;
}

void SpoutDriver::Send(Sent kind, std::string_view id, double now, std::string* out) {
  static constexpr std::string_view kNames[] = {"", "activate", "next", "ack", "fail", "deactivate"};
  if (!msgpack_) {
    AppendSpoutCommand(out, kNames[static_cast<int>(kind)], id);
  } else {
    size_t before = out->size();
    if (!AppendSpoutCommandMsgpack(out, kNames[static_cast<int>(kind)], id)) {
      out->resize(before);
      encode_failed_ = true;
    }
  }
  waiting_sync_ = true;
  wait_since_ = now;
  in_flight_ = kind;
  emits_in_command_ = 0;
}

int64_t SpoutDriver::Drop() {
  int64_t lost = 0;
  for (const auto& q : queue_) lost += q.kind != Command::kDeactivate;
  if (waiting_sync_ && (in_flight_ == Sent::kAck || in_flight_ == Sent::kFail)) ++lost;
  queue_.clear();
  waiting_sync_ = false;
  in_flight_ = Sent::kNone;
  active_ = false;
  pending_ = 0;
  return lost;
}

bool SpoutDriver::OnEmit() {
  if (!waiting_sync_) return false;
  ++emits_in_command_;
  return true;
}

bool SpoutDriver::OnSync(double now, Sent* done) {
  if (!waiting_sync_) return false;
  waiting_sync_ = false;
  if (in_flight_ == Sent::kNext && emits_in_command_ == 0) next_at_ = now + 0.001;
  if (done) *done = in_flight_;
  in_flight_ = Sent::kNone;
  return true;
}

}  // namespace topoc::runtime
