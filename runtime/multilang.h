// Storm's multilang wire format (storm-facts.md §2): reading the messages a
// component writes, and encoding the ones the runner sends. Messages are JSON
// text followed by a line "end"; a task whose serializer is MessagePack sends
// and receives back-to-back MessagePack objects instead: what it sends is
// transcoded so the runner only ever handles JSON text, and what it receives
// is encoded as MessagePack directly.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/msgpack.h"

namespace topoc::runtime {

inline constexpr std::string_view kEnd = "\nend\n";

// The members of a message from a component that the runner reads, as raw
// JSON (strings keep their quotes); empty when absent.
struct Msg {
  std::string_view command, id, tuple, stream, task, anchors, need_task_ids, msg, level, pid, name, params;
};

// False when `text` is not one JSON object.
bool ParseMsg(std::string_view text, Msg* m);
// Sets the member `key` (raw, without its quotes) of `m` to `value` if the
// runner reads it; what ParseMsg does for each member.
void SetMsgMember(Msg* m, std::string_view key, std::string_view value);

// `command` without its quotes.
std::string_view CommandName(const Msg& m);

// A tuple id the runner sent ("123" or 123).
bool ParseTupleId(std::string_view raw, uint64_t* out);

// The first 160 characters of a message, newlines as spaces, for errors.
std::string Snippet(std::string_view text);

// ---- encoding (each appends one whole message, "end" line included) ----

// A tuple for a bolt: {"id":"ID","comp":C,"stream":S,"task":T,"tuple":V}.
// `comp`, `stream` and `tuple` are raw JSON.
void AppendTuple(std::string* out, uint64_t id, std::string_view comp, std::string_view stream, int task,
                 std::string_view tuple);
// A command for a spout: {"command":"next","id":ID}; `id` is raw JSON.
void AppendSpoutCommand(std::string* out, std::string_view command, std::string_view id);
// The reply to an emit that wants its task ids: [1,2].
void AppendTaskIds(std::string* out, const std::vector<int>& tasks);
// The handshake: {"conf":C,"pidDir":"...","context":X}; conf and context raw.
void AppendHandshake(std::string* out, std::string_view conf, std::string_view pid_dir, std::string_view context);

// The same messages encoded straight to MessagePack for a MessagePack task:
// the bytes are those of transcoding the JSON message above, without the
// detour. `comp_mp`, `stream_mp` and `tuple_mp` are already MessagePack
// (AppendMsgpackFromJson of the raw JSON); `id` (raw JSON) is transcoded
// here, false when it is not valid JSON (out unspecified past its old size).
void AppendTupleMsgpack(std::string* out, uint64_t id, std::string_view comp_mp, std::string_view stream_mp,
                        int task, std::string_view tuple_mp);
bool AppendSpoutCommandMsgpack(std::string* out, std::string_view command, std::string_view id);
void AppendTaskIdsMsgpack(std::string* out, const std::vector<int>& tasks);

// Transcodes the whole JSON messages at the start of `text` to MessagePack
// (appended to `out`). Returns how many bytes of `text` it consumed, or
// std::string_view::npos when a message is not valid JSON.
size_t JsonMessagesToMsgpack(std::string_view text, std::string* out);

// Splits what a component writes into messages.
class MessageReader {
 public:
  void set_msgpack(bool on) { msgpack_ = on; }
  bool msgpack() const { return msgpack_; }
  void Append(const char* p, size_t n) { buf_.append(p, n); }
  void Clear();

  enum class Status { kMessage, kMore, kInvalid };
  // The next complete message (JSON text), valid until the next call.
  // kMore: wait for input. kInvalid (MessagePack only): `error` says why.
  Status Next(std::string_view* message, std::string* error);
  // For the message Next just returned: when it came as a MessagePack map,
  // fills `m` as ParseMsg of its JSON text would (without scanning the text
  // again) and returns true; false otherwise (call ParseMsg).
  bool Parsed(Msg* m) const;
  // Drops what was read; false with `error` when the unfinished message has
  // grown past 64 MiB.
  bool Compact(std::string* error);
  // Why a pipe that hit EOF here ended: "process exited", or that it closed
  // in the middle of a message.
  std::string EofReason() const;

 private:
  bool msgpack_ = false;
  std::string buf_;
  size_t start_ = 0;  // start of the current (unfinished) message
  size_t scan_ = 0;   // where to continue looking for "\nend\n"
  std::string json_;  // a MessagePack message as JSON text
  std::vector<JsonMemberSpan> members_;  // json_'s top-level members, if a map
  bool parsed_ = false;                  // members_ describe the last message
};

}  // namespace topoc::runtime
