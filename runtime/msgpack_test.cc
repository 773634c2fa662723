#include "runtime/msgpack.h"

#include <doctest/doctest.h>

#include <string>

#include "runtime/java_hash.h"

using namespace topoc::runtime;

namespace {

std::string Pack(std::string_view json) {
  std::string out;
  REQUIRE(AppendMsgpackFromJson(&out, json));
  return out;
}

std::string Unpack(const std::string& bytes) {
  std::string json, error;
  size_t used = 0;
  REQUIRE(MsgpackToJson(bytes.data(), bytes.data() + bytes.size(), &json, &used, &error) == MsgpackStatus::kOk);
  CHECK(used == bytes.size());
  return json;
}

std::string B(std::initializer_list<int> bytes) {
  std::string s;
  for (int b : bytes) s.push_back(static_cast<char>(b));
  return s;
}

}  // namespace

TEST_CASE("serializer names that mean MessagePack") {
  CHECK(IsMsgpackSerializerName("org.apache.storm.multilang.MsgpackSerializer"));
  CHECK(IsMsgpackSerializerName("com.example.MessagePackSerializer"));
  CHECK(IsMsgpackSerializerName("msgpack"));
  CHECK_FALSE(IsMsgpackSerializerName("org.apache.storm.multilang.JsonSerializer"));
  CHECK_FALSE(IsMsgpackSerializerName(""));
}

TEST_CASE("JSON to MessagePack uses the smallest encodings") {
  CHECK(Pack("null") == B({0xc0}));
  CHECK(Pack("true") == B({0xc3}));
  CHECK(Pack("false") == B({0xc2}));
  CHECK(Pack("5") == B({0x05}));
  CHECK(Pack("-1") == B({0xff}));
  CHECK(Pack("200") == B({0xcc, 200}));
  CHECK(Pack("-100") == B({0xd0, 0x9c}));
  CHECK(Pack("65536") == B({0xce, 0, 1, 0, 0}));
  CHECK(Pack("4294967296") == B({0xcf, 0, 0, 0, 1, 0, 0, 0, 0}));
  CHECK(Pack("1.5") == B({0xcb, 0x3f, 0xf8, 0, 0, 0, 0, 0, 0}));
  CHECK(Pack("\"ab\"") == B({0xa2, 'a', 'b'}));
  CHECK(Pack(" [1, \"x\"] ") == B({0x92, 0x01, 0xa1, 'x'}));
  CHECK(Pack("{\"a\":1}") == B({0x81, 0xa1, 'a', 0x01}));
  CHECK(Pack("\"\\u00e9\"") == B({0xa2, 0xc3, 0xa9}));
  std::string big(40, 'z');
  std::string packed = Pack("\"" + big + "\"");
  CHECK(packed.substr(0, 2) == B({0xd9, 40}));
  // Over 15 elements: the one-byte header widens in place.
  std::string arr = "[", obj = "{";
  std::string want_arr = B({0xdc, 0, 20}), want_obj = B({0xde, 0, 16});
  for (int i = 0; i < 20; ++i) {
    arr += (i ? "," : "") + std::to_string(i);
    want_arr.push_back(static_cast<char>(i));
  }
  for (int i = 0; i < 16; ++i) {
    obj += std::string(i ? "," : "") + "\"" + static_cast<char>('a' + i) + "\":[" + std::to_string(i) + "]";
    want_obj += B({0xa1, 'a' + i, 0x91, i});
  }
  CHECK(Pack(arr + "]") == want_arr);
  CHECK(Pack(obj + "}") == want_obj);
  CHECK(Pack("[" + arr + "]," + obj + "}]") == B({0x92}) + want_arr + want_obj);
  CHECK(Pack(" { } ") == B({0x80}));
  CHECK(Pack("[ ]") == B({0x90}));
  CHECK(Pack("{\"k\\n\" : \"a\\\"b\"}") == B({0x81, 0xa2, 'k', '\n', 0xa3, 'a', '"', 'b'}));
  std::string out;
  for (const char* bad : {"{\"a\":}", "[1] 2", "[1,]", "{\"a\" 1}", "{1:2}", "nul", "tru", "[", "\"abc", "-", "",
                          "[1 2]", "{\"a\":1,}", "01", "1.", "\"\\x\""}) {
    out.clear();
    CHECK_MESSAGE(!AppendMsgpackFromJson(&out, bad), bad);
  }
  std::string ok200 = std::string(200, '[') + "1" + std::string(200, ']');
  CHECK(AppendMsgpackFromJson(&out, ok200));
  std::string deep = std::string(201, '[') + std::string(201, ']');
  CHECK_FALSE(AppendMsgpackFromJson(&out, deep));
}

TEST_CASE("round trips keep the JSON text and its Java hash") {
  for (std::string json : {"{\"command\":\"emit\",\"tuple\":[\"word\",3,-70000,2.5,true,null],\"anchors\":[\"7\"]}",
                           "[9223372036854775807,-9223372036854775808,2147483648,[[]],{}]",
                           "[3.0,0.1,1e+20]"}) {
    std::string back = Unpack(Pack(json));
    CHECK(JavaHashOfJson(back) == JavaHashOfJson(json));
  }
  CHECK(Unpack(Pack("{\"a\":[1,\"b\"]}")) == "{\"a\":[1,\"b\"]}");
  CHECK(Unpack(Pack("3.0")) == "3.0");  // stays a float (Double, not Integer)
  CHECK(Unpack(Pack("2147483648")) == "2147483648");
}

TEST_CASE("MessagePack from Python: float32, bin, int keys, all int widths") {
  CHECK(Unpack(B({0xca, 0x3f, 0xc0, 0, 0})) == "1.5");
  CHECK(Unpack(B({0xc4, 3, 'a', 0, '"'})) == "\"a\\u0000\\u0022\"");
  CHECK(Unpack(B({0x81, 0x07, 0xa1, 'v'})) == "{\"7\":\"v\"}");
  CHECK(Unpack(B({0xd1, 0xff, 0x00})) == "-256");
  CHECK(Unpack(B({0xcd, 0x01, 0x00})) == "256");
  CHECK(Unpack(B({0xdc, 0, 2, 0xc2, 0xc3})) == "[false,true]");
  CHECK(Unpack(B({0xcb, 0x7f, 0xf8, 0, 0, 0, 0, 0, 0})) == "null");  // NaN
}

TEST_CASE("truncated MessagePack asks for more; garbage is invalid") {
  std::string full = Pack("{\"command\":\"emit\",\"tuple\":[\"a fairly long word to split\",12345678,1.25]}");
  std::string json, error;
  size_t used = 0;
  for (size_t n = 0; n < full.size(); ++n) {
    CHECK(MsgpackToJson(full.data(), full.data() + n, &json, &used, &error) == MsgpackStatus::kIncomplete);
  }
  // Two objects back to back: the first is decoded alone.
  std::string two = full + Pack("[1]");
  REQUIRE(MsgpackToJson(two.data(), two.data() + two.size(), &json, &used, &error) == MsgpackStatus::kOk);
  CHECK(used == full.size());

  std::string bad = B({0xc1});
  CHECK(MsgpackToJson(bad.data(), bad.data() + bad.size(), &json, &used, &error) == MsgpackStatus::kInvalid);
  CHECK(error.find("0xc1") != std::string::npos);
  bad = B({0x92, 0x01, 0xd4, 0x01, 0x02});  // ext inside an array
  CHECK(MsgpackToJson(bad.data(), bad.data() + bad.size(), &json, &used, &error) == MsgpackStatus::kInvalid);
  CHECK(error.find("ext") != std::string::npos);
  bad = B({0x81, 0x91, 0x01, 0x01});  // array as a map key
  CHECK(MsgpackToJson(bad.data(), bad.data() + bad.size(), &json, &used, &error) == MsgpackStatus::kInvalid);
  // str must be UTF-8: a stray continuation byte, an encoded surrogate.
  bad = B({0x91, 0xa2, 0x61, 0x80});
  CHECK(MsgpackToJson(bad.data(), bad.data() + bad.size(), &json, &used, &error) == MsgpackStatus::kInvalid);
  CHECK(error.find("UTF-8") != std::string::npos);
  bad = B({0xa3, 0xed, 0xa0, 0x80});
  CHECK(MsgpackToJson(bad.data(), bad.data() + bad.size(), &json, &used, &error) == MsgpackStatus::kInvalid);
  std::string good = B({0xa2, 0xc3, 0xa9});  // "é"
  REQUIRE(MsgpackToJson(good.data(), good.data() + good.size(), &json, &used, &error) == MsgpackStatus::kOk);
  CHECK(json == "\"\xc3\xa9\"");
  std::string deep(201, static_cast<char>(0x91));
  deep.push_back(0x01);
  CHECK(MsgpackToJson(deep.data(), deep.data() + deep.size(), &json, &used, &error) == MsgpackStatus::kInvalid);
  CHECK(error.find("200") != std::string::npos);
  deep.erase(0, 1);  // 200 levels: fine
  CHECK(MsgpackToJson(deep.data(), deep.data() + deep.size(), &json, &used, &error) == MsgpackStatus::kOk);
  // JSON text sent to a MessagePack reader: '{' is fixint 123, so '{"a"' is
  // one integer; a '"' (0x22) likewise. Plain text never hangs or crashes.
  std::string text = "{\"pid\": 1}\nend\n";
  CHECK(MsgpackToJson(text.data(), text.data() + text.size(), &json, &used, &error) == MsgpackStatus::kOk);
  CHECK(json == "123");
  // Random bytes: every prefix decodes, waits or fails, never overreads.
  uint32_t x = 12345;
  for (int round = 0; round < 2000; ++round) {
    std::string junk;
    for (int i = 0; i < 64; ++i) {
      x = x * 1103515245u + 12345u;
      junk.push_back(static_cast<char>(x >> 16));
    }
    auto st = MsgpackToJson(junk.data(), junk.data() + junk.size(), &json, &used, &error);
    if (st == MsgpackStatus::kOk) CHECK(used <= junk.size());
  }
}
