// MessagePack for the multilang pipes of tasks whose topology conf asks for
// it (docs/run.md, "Serializer"). The runner keeps working on JSON text
// internally: each MessagePack object a task sends is transcoded to JSON
// text before the usual handling; the messages it sends are encoded straight
// to MessagePack (multilang.h), byte for byte what transcoding their JSON
// text would give. So a value hashes for fields
// grouping exactly as the same value arriving as JSON does (integers as
// Integer/Long by size, floats as Double, strings as String).
//
// Subset: nil, bool, ints (all widths), float32/64, str, bin, array, map
// (keys must be str, or ints, which become their decimal string). bin
// becomes a JSON string of U+0000..U+00FF, one code point per byte (sent on
// as str). Ext types are rejected. NaN/infinities become null (JSON has none).
// Nesting deeper than 200 levels is rejected.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace topoc::runtime {

// Whether a `topology.multilang.serializer` value means MessagePack: it
// contains "msgpack" or "messagepack", case-insensitive.
bool IsMsgpackSerializerName(std::string_view name);

// Appends the MessagePack encoding of the JSON value `json` (whitespace
// around allowed) to `out`. False (out unspecified past its old size) when
// `json` is not one valid JSON value.
bool AppendMsgpackFromJson(std::string* out, std::string_view json);

// The pieces AppendMsgpackFromJson writes, for messages the runner encodes
// directly (multilang.h): the same smallest encodings, so the bytes match
// transcoding the JSON text of the same message.
void AppendMsgpackStr(std::string* out, std::string_view s);
void AppendMsgpackInt(std::string* out, int64_t v);
void AppendMsgpackArrayHeader(std::string* out, size_t n);
void AppendMsgpackMapHeader(std::string* out, size_t n);

enum class MsgpackStatus { kOk, kIncomplete, kInvalid };

// Decodes the one MessagePack object at the start of [p, end) to JSON text
// (appended to `json`, which is cleared first) and sets *used to its size.
// kIncomplete: the bytes end inside the object (wait for more input).
// kInvalid: not MessagePack this runner accepts; `error` says why.
MsgpackStatus MsgpackToJson(const char* p, const char* end, std::string* json, size_t* used,
                            std::string* error);

// A member of the top-level map, as offsets into the JSON text: the key's
// characters (inside its quotes, escaped as in the text) and the value.
struct JsonMemberSpan {
  size_t key_at, key_size, value_at, value_size;
};

// MsgpackToJson that also lists, when the object is a map, its members in
// `members` (cleared first; left empty for anything else), so the caller
// need not scan the JSON text again for them.
MsgpackStatus MsgpackToJson(const char* p, const char* end, std::string* json, size_t* used, std::string* error,
                            std::vector<JsonMemberSpan>* members);

}  // namespace topoc::runtime
