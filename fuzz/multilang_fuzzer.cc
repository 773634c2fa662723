// libFuzzer target for the multilang message parsers of `topoc run`
// (runtime/json_scan.h, runtime/msgpack.h): what a component process sends
// the runner is untrusted bytes. The first byte picks the path:
//   even: the bytes are a JSON message: the scanner's helpers
//         (SkipJsonValue, ForEachJsonMember, SplitJsonArray,
//         DecodeJsonString, ParseJsonInt) and, when AppendMsgpackFromJson
//         accepts it, a round trip: JSON -> MessagePack -> JSON ->
//         MessagePack must give the same MessagePack bytes, and decode
//         whole (kOk, every byte used);
//   odd:  the bytes are a MessagePack stream: MsgpackToJson object by
//         object; an accepted object's JSON must re-encode, and a refusal
//         must say why.
// Never a crash, a sanitizer report or a hang. Build and run:
// fuzz/run.sh multilang SECONDS.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "runtime/json_scan.h"
#include "runtime/msgpack.h"

namespace rt = topoc::runtime;

namespace {

void Json(std::string_view text) {
  const char* end = rt::SkipJsonValue(text.data(), text.data() + text.size());
  if (end != nullptr && (end < text.data() || end > text.data() + text.size())) std::abort();
  bool valid = end != nullptr && rt::TrimJson(std::string_view(end, text.data() + text.size() - end)).empty();
  (void)rt::JsonTypeOf(rt::TrimJson(text));
  rt::ForEachJsonMember(text, [](std::string_view key, std::string_view value) {
    (void)key;
    (void)rt::JsonTypeOf(value);
  });
  std::vector<std::string_view> items;
  if (valid && rt::SplitJsonArray(rt::TrimJson(text), &items)) {
    for (std::string_view item : items) {
      int64_t v;
      (void)rt::ParseJsonInt(item, &v);
      std::string s;
      if (rt::DecodeJsonString(item, &s)) {
        std::string back;
        rt::AppendJsonString(&back, s);
        std::string again;
        if (!rt::DecodeJsonString(back, &again) || again != s) std::abort();  // escape round trip
      }
    }
  }

  std::string packed;
  if (!rt::AppendMsgpackFromJson(&packed, text)) return;
  std::string json, error;
  size_t used = 0;
  if (rt::MsgpackToJson(packed.data(), packed.data() + packed.size(), &json, &used, &error) !=
          rt::MsgpackStatus::kOk ||
      used != packed.size()) {
    std::fprintf(stderr, "our own MessagePack does not decode: %s\n", error.c_str());
    std::abort();
  }
  std::string repacked;
  if (!rt::AppendMsgpackFromJson(&repacked, json) || repacked != packed) {
    std::fprintf(stderr, "JSON -> MessagePack -> JSON changed the value: %s\n", json.c_str());
    std::abort();
  }
}

void Msgpack(std::string_view bytes) {
  const char* p = bytes.data();
  const char* end = p + bytes.size();
  while (p < end) {
    std::string json, error;
    size_t used = 0;
    rt::MsgpackStatus status = rt::MsgpackToJson(p, end, &json, &used, &error);
    if (status == rt::MsgpackStatus::kIncomplete) return;
    if (status == rt::MsgpackStatus::kInvalid) {
      if (error.empty()) std::abort();
      return;
    }
    if (used == 0 || used > size_t(end - p)) std::abort();
    std::string packed;
    if (!rt::AppendMsgpackFromJson(&packed, json)) {
      std::fprintf(stderr, "decoded MessagePack gives JSON we cannot read back: %s\n", json.c_str());
      std::abort();
    }
    p += used;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  std::string_view rest(reinterpret_cast<const char*>(data) + 1, size - 1);
  if (data[0] % 2 == 0) {
    Json(rest);
  } else {
    Msgpack(rest);
  }
  return 0;
}
