#include "runtime/multilang.h"

#include <algorithm>
#include <charconv>

#include "support/utf8.h"
#include "runtime/json_scan.h"
#include "runtime/msgpack.h"

namespace topoc::runtime {

namespace {

void AppendInt(std::string* out, int64_t v) {
  char buf[24];
  auto [p, ec] = std::to_chars(buf, buf + sizeof buf, v);
  out->append(buf, p);
}

void AppendUint(std::string* out, uint64_t v) {
  char buf[24];
  auto [p, ec] = std::to_chars(buf, buf + sizeof buf, v);
  out->append(buf, p);
}

}  // namespace

// Members stay raw JSON views into the message (strings keep their quotes):
// nothing is copied or decoded unless a handler needs it. The switch on the
// key's length makes each member one or two comparisons.
void SetMsgMember(Msg* m, std::string_view k, std::string_view v) {
  switch (k.size()) {
    case 2:
      if (k == "id") m->id = v;
      break;
    case 3:
      if (k == "msg") m->msg = v;
      else if (k == "pid") m->pid = v;
      break;
    case 4:
      if (k == "task") m->task = v;
      else if (k == "name") m->name = v;
      break;
    case 5:
      if (k == "tuple") m->tuple = v;
      else if (k == "level") m->level = v;
      break;
    case 6:
      if (k == "stream") m->stream = v;
      else if (k == "params") m->params = v;
      break;
    case 7:
      if (k == "command") m->command = v;
      else if (k == "anchors") m->anchors = v;
      break;
    case 13:
      if (k == "need_task_ids") m->need_task_ids = v;
      break;
  }
}

bool ParseMsg(std::string_view text, Msg* m) {
  *m = Msg{};
  return ForEachJsonMember(text, [&](std::string_view k, std::string_view v) { SetMsgMember(m, k, v); });
}

std::string_view CommandName(const Msg& m) {
  std::string_view cmd = m.command;
  // Command names have no escapes: dropping the quotes decodes them.
  if (cmd.size() >= 2 && cmd.front() == '"') cmd = cmd.substr(1, cmd.size() - 2);
  return cmd;
}

bool ParseTupleId(std::string_view raw, uint64_t* out) {
  std::string_view digits = raw;
  // The runner sends tuple ids as strings of digits; components send them back
  // as strings or, some, as numbers.
  if (raw.size() >= 2 && raw.front() == '"' && raw.back() == '"') digits = raw.substr(1, raw.size() - 2);
  auto [p, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), *out);
  return ec == std::errc() && p == digits.data() + digits.size() && !digits.empty();
}

std::string Snippet(std::string_view text) {
  // At most 160 bytes of the message, on one line, as a terminal can show
  // it: control bytes and bytes that are not UTF-8 as \xNN, and never half
  // of a multi-byte character.
  constexpr size_t kMax = 160;
  std::string s;
  size_t i = 0;
  while (i < text.size() && i < kMax) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    size_t n = c < 0x80 ? 1 : Utf8SequenceLength(text, i);
    if (n > 1 && i + n > kMax) break;
    if (c == '\n') {
      s.push_back(' ');
    } else if (n == 0 || c < 0x20 || c == 0x7f) {
      static const char kHex[] = "0123456789abcdef";
      s += "\\x";
      s.push_back(kHex[c >> 4]);
      s.push_back(kHex[c & 15]);
      n = 1;
    } else {
      s.append(text.substr(i, n));
    }
    i += n;
  }
  return i < text.size() ? s + "..." : s;
}

void AppendTuple(std::string* w, uint64_t id, std::string_view comp, std::string_view stream, int task,
                 std::string_view tuple) {
  // Written by hand: comp and stream come quoted already and the tuple is the
  // raw JSON its emitter sent, so nothing is decoded and encoded again. The id
  // is a string, as Storm sends it (64 bits do not fit a JSON number everywhere).
  w->append("{\"id\":\"");
  AppendUint(w, id);
  w->append("\",\"comp\":");
  w->append(comp);
  w->append(",\"stream\":");
  w->append(stream);
  w->append(",\"task\":");
  AppendInt(w, task);
  w->append(",\"tuple\":");
  w->append(tuple);
  w->append("}");
  w->append(kEnd);
}

void AppendSpoutCommand(std::string* out, std::string_view command, std::string_view id) {
  out->append("{\"command\":\"");
  out->append(command);
  out->append("\",\"id\":");
  out->append(id);
  out->append("}");
  out->append(kEnd);
}

void AppendTaskIds(std::string* out, const std::vector<int>& tasks) {
  out->push_back('[');
  for (size_t i = 0; i < tasks.size(); ++i) {
    if (i) out->push_back(',');
    AppendInt(out, tasks[i]);
  }
  out->push_back(']');
  out->append(kEnd);
}

void AppendHandshake(std::string* out, std::string_view conf, std::string_view pid_dir, std::string_view context) {
  out->append("{\"conf\":");
  out->append(conf);
  out->append(",\"pidDir\":");
  AppendJsonString(out, pid_dir);
  out->append(",\"context\":");
  out->append(context);
  out->append("}");
  out->append(kEnd);
}

void AppendTupleMsgpack(std::string* out, uint64_t id, std::string_view comp_mp, std::string_view stream_mp,
                        int task, std::string_view tuple_mp) {
  char digits[24];
  auto [end, ec] = std::to_chars(digits, digits + sizeof digits, id);
  // The same five members as the JSON form; comp and stream come encoded.
  AppendMsgpackMapHeader(out, 5);
  AppendMsgpackStr(out, "id");
  AppendMsgpackStr(out, std::string_view(digits, static_cast<size_t>(end - digits)));
  AppendMsgpackStr(out, "comp");
  out->append(comp_mp);
  AppendMsgpackStr(out, "stream");
  out->append(stream_mp);
  AppendMsgpackStr(out, "task");
  AppendMsgpackInt(out, task);
  AppendMsgpackStr(out, "tuple");
  out->append(tuple_mp);
}

bool AppendSpoutCommandMsgpack(std::string* out, std::string_view command, std::string_view id) {
  AppendMsgpackMapHeader(out, 2);
  AppendMsgpackStr(out, "command");
  AppendMsgpackStr(out, command);
  AppendMsgpackStr(out, "id");
  if (id == "\"\"") {  // what activate and next carry: no need to parse it
    AppendMsgpackStr(out, "");
    return true;
  }
  return AppendMsgpackFromJson(out, id);
}

void AppendTaskIdsMsgpack(std::string* out, const std::vector<int>& tasks) {
  AppendMsgpackArrayHeader(out, tasks.size());
  for (int t : tasks) AppendMsgpackInt(out, t);
}

size_t JsonMessagesToMsgpack(std::string_view text, std::string* out) {
  size_t pos = 0;
  while (true) {
    size_t e = text.find(kEnd, pos);
    if (e == std::string_view::npos) break;
    if (!AppendMsgpackFromJson(out, text.substr(pos, e - pos))) return std::string_view::npos;
    pos = e + kEnd.size();
  }
  return pos;
}

void MessageReader::Clear() {
  parsed_ = false;
  buf_.clear();
  start_ = scan_ = 0;
}

MessageReader::Status MessageReader::Next(std::string_view* message, std::string* error) {
  if (msgpack_) {
    // Back-to-back MessagePack objects, each transcoded to JSON text.
    scan_ = start_;
    parsed_ = false;
    if (start_ >= buf_.size()) return Status::kMore;
    size_t used = 0;
    std::string why;
    MsgpackStatus st =
        MsgpackToJson(buf_.data() + start_, buf_.data() + buf_.size(), &json_, &used, &why, &members_);
    if (st == MsgpackStatus::kIncomplete) return Status::kMore;
    if (st == MsgpackStatus::kInvalid) {
      *error = "invalid MessagePack (" + why + ")";
      return Status::kInvalid;
    }
    start_ += used;
    scan_ = start_;
    *message = json_;
    // members_ holds where each member lies in json_: Parsed() needs no second
    // parse.
    parsed_ = !json_.empty() && json_.front() == '{';
    return Status::kMessage;
  }
  // Lines up to a line that is exactly "end".
  std::string_view buf(buf_);
  size_t from = std::max(scan_, start_);
  // "end" right after the previous message: an empty one (kEnd starts with
  // the newline that ends a message's last line).
  if (from == start_ && buf.substr(start_).starts_with("end\n")) {
    *message = std::string_view();  // an empty message
    start_ += 4;
    scan_ = start_;
    return Status::kMessage;
  }
  // The search resumes where the last one stopped (less the bytes a split
  // kEnd may have left at the end), so bytes are scanned once however the pipe
  // splits a message.
  size_t pos = buf.find(kEnd, from > 0 ? from - 1 : 0);
  if (pos == std::string_view::npos || pos < start_) {
    scan_ = buf.size() >= 4 ? buf.size() - 4 : 0;
    return Status::kMore;
  }
  *message = buf.substr(start_, pos - start_);
  start_ = pos + kEnd.size();
  scan_ = start_;
  return Status::kMessage;
}

bool MessageReader::Parsed(Msg* m) const {
  if (!parsed_) return false;
  *m = Msg{};
  std::string_view text(json_);
  for (const auto& s : members_) {
    SetMsgMember(m, text.substr(s.key_at, s.key_size), text.substr(s.value_at, s.value_size));
  }
  return true;
}

bool MessageReader::Compact(std::string* error) {
  // Usually every message was taken: start over. Otherwise the consumed head
  // is dropped only past 64 KiB, not on every read.
  if (start_ == buf_.size()) {
    buf_.clear();
    start_ = scan_ = 0;
  } else if (start_ > 65536) {
    buf_.erase(0, start_);
    scan_ -= std::min(scan_, start_);
    start_ = 0;
  }
  if (buf_.size() - start_ > (64u << 20)) {
    *error = msgpack_ ? "a MessagePack message over 64 MiB" : "more than 64 MiB without an \"end\" line";
    return false;
  }
  return true;
}

std::string MessageReader::EofReason() const {
  if (msgpack_) {
    return start_ < buf_.size() ? "pipe closed in the middle of a MessagePack message" : "process exited";
  }
  std::string_view rest = TrimJson(std::string_view(buf_).substr(start_));
  if (rest.empty()) return "process exited";
  return "pipe closed in the middle of a message (no \"end\" line after: " + std::string(rest.substr(0, 120)) + ")";
}

}  // namespace topoc::runtime
