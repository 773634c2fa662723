#include "runtime/multilang.h"

#include <doctest/doctest.h>

#include "runtime/json_scan.h"
#include "runtime/msgpack.h"

namespace topoc::runtime {

namespace {

std::vector<std::string> ReadAll(MessageReader* r) {
  std::vector<std::string> out;
  std::string_view m;
  std::string error;
  while (r->Next(&m, &error) == MessageReader::Status::kMessage) out.emplace_back(m);
  return out;
}

}  // namespace

TEST_CASE("ParseMsg keeps the raw JSON of the members the runner reads") {
  Msg m;
  REQUIRE(ParseMsg(R"({"command":"emit","anchors":["1","2"],"tuple":["a",1],"stream":"s","need_task_ids":false,
                      "id":7,"other":{"x":1}})",
                   &m));
  CHECK(CommandName(m) == "emit");
  CHECK(m.anchors == R"(["1","2"])");
  CHECK(m.tuple == R"(["a",1])");
  CHECK(m.stream == "\"s\"");
  CHECK(m.need_task_ids == "false");
  CHECK(m.id == "7");
  CHECK(m.task.empty());
  REQUIRE(ParseMsg(R"({"command":"metrics","name":"n","params":3})", &m));
  CHECK(m.name == "\"n\"");
  CHECK(m.params == "3");
  CHECK(!ParseMsg("[1,2]", &m));
  CHECK(!ParseMsg("{\"a\":", &m));
}

TEST_CASE("tuple ids: quoted or bare digits only") {
  uint64_t id = 0;
  CHECK(ParseTupleId("\"42\"", &id));
  CHECK(id == 42);
  CHECK(ParseTupleId("18446744073709551615", &id));
  CHECK(id == 18446744073709551615ULL);
  CHECK(!ParseTupleId("\"4x\"", &id));
  CHECK(!ParseTupleId("\"\"", &id));
  CHECK(!ParseTupleId("-1", &id));
  CHECK(Snippet("a\nb") == "a b");
  CHECK(Snippet(std::string(200, 'x')).size() == 163);
  // Bytes a terminal cannot show are written as \xNN; UTF-8 stays.
  CHECK(Snippet("caf\xc3\xa9 \xff\x01") == "caf\xc3\xa9 \\xff\\x01");
  // The cut never splits a character: 159 x's then a 2-byte 'é'.
  CHECK(Snippet(std::string(159, 'x') + "\xc3\xa9yz") == std::string(159, 'x') + "...");
}

TEST_CASE("encoding: tuples, commands, task ids and the handshake, byte for byte") {
  std::string out;
  AppendTuple(&out, 12, "\"spout\"", "\"default\"", 3, "[\"a\",1]");
  CHECK(out == "{\"id\":\"12\",\"comp\":\"spout\",\"stream\":\"default\",\"task\":3,\"tuple\":[\"a\",1]}\nend\n");
  out.clear();
  AppendSpoutCommand(&out, "ack", "\"m\"");
  CHECK(out == "{\"command\":\"ack\",\"id\":\"m\"}\nend\n");
  out.clear();
  AppendTaskIds(&out, {4, 5});
  AppendTaskIds(&out, {});
  CHECK(out == "[4,5]\nend\n[]\nend\n");
  out.clear();
  AppendHandshake(&out, "{}", "/tmp/a \"b\"", "{\"taskid\":1}");
  CHECK(out == "{\"conf\":{},\"pidDir\":\"/tmp/a \\\"b\\\"\",\"context\":{\"taskid\":1}}\nend\n");
}

// The old path: the JSON message, transcoded whole.
std::string ViaJson(const std::string& json_messages) {
  std::string mp;
  REQUIRE(JsonMessagesToMsgpack(json_messages, &mp) == json_messages.size());
  return mp;
}

std::string PackJson(std::string_view json) {
  std::string out;
  REQUIRE(AppendMsgpackFromJson(&out, json));
  return out;
}

TEST_CASE("MessagePack encoders: the same bytes as transcoding the JSON message") {
  const std::vector<std::string> names = {"spout", "", "a \"quoted\" name", std::string(40, 'c'),
                                          std::string(300, 'd'), "\u00e9t\u00e9"};
  const std::vector<std::string> tuples = {"[]", "[\"word\"]", "[1,-1,200,-100,65536,4294967296,1.5,-0.25]",
                                           "[null,true,false,{\"k\":[1,{}]}]",
                                           "[\"" + std::string(70000, 'x') + "\"]",
                                           "[9223372036854775807,-9223372036854775808,18446744073709551615]",
                                           "[[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17]]", "[\"\\n\\u0000\"]"};
  const std::vector<uint64_t> ids = {0, 7, 127, 128, 65535, 1ull << 40, UINT64_MAX};
  const std::vector<int> tasks = {-1, 0, 3, 127, 128, 255, 256, 70000, -33, -200};
  int checked = 0;
  for (const auto& comp : names) {
    std::string comp_json;
    AppendJsonString(&comp_json, comp);
    for (size_t i = 0; i < tuples.size(); ++i) {
      uint64_t id = ids[i % ids.size()];
      int task = tasks[(i + comp.size()) % tasks.size()];
      std::string stream_json = i % 2 ? "\"default\"" : comp_json;
      std::string json;
      AppendTuple(&json, id, comp_json, stream_json, task, tuples[i]);
      std::string mp;
      AppendTupleMsgpack(&mp, id, PackJson(comp_json), PackJson(stream_json), task, PackJson(tuples[i]));
      CHECK(mp == ViaJson(json));
      ++checked;
    }
  }
  CHECK(checked == 48);
  for (std::string_view cmd : {"activate", "next", "ack", "fail", "deactivate"}) {
    for (std::string_view id : {"\"\"", "\"m-1\"", "7", "-3", "1.5", "null", "[1,\"a\"]", "{\"k\":\"v\"}"}) {
      std::string json;
      AppendSpoutCommand(&json, cmd, id);
      std::string mp;
      REQUIRE(AppendSpoutCommandMsgpack(&mp, cmd, id));
      CHECK(mp == ViaJson(json));
    }
  }
  std::string bad;
  CHECK_FALSE(AppendSpoutCommandMsgpack(&bad, "ack", "{oops"));
  std::vector<int> many;
  for (int n : {0, 1, 15, 16, 70000}) {
    many.clear();
    for (int k = 0; k < n; ++k) many.push_back(k * 37 - 5);
    std::string json;
    AppendTaskIds(&json, many);
    std::string mp;
    AppendTaskIdsMsgpack(&mp, many);
    CHECK(mp == ViaJson(json));
  }
}

bool SameMsg(const Msg& a, const Msg& b) {
  return a.command == b.command && a.id == b.id && a.tuple == b.tuple && a.stream == b.stream && a.task == b.task &&
         a.anchors == b.anchors && a.need_task_ids == b.need_task_ids && a.msg == b.msg && a.level == b.level &&
         a.pid == b.pid && a.name == b.name && a.params == b.params;
}

TEST_CASE("MessagePack reader: members as ParseMsg finds them in the transcoded JSON") {
  std::vector<std::string> corpus;
  for (std::string_view json :
       {"{\"command\":\"emit\",\"anchors\":[\"12\"],\"tuple\":[\"word\"],\"need_task_ids\":false}",
        "{\"command\":\"emit\",\"id\":\"m\",\"stream\":\"s\",\"task\":4,\"tuple\":[1,2.5,null,{\"a\":[true]}]}",
        "{\"command\":\"ack\",\"id\":\"123\"}", "{\"command\":\"sync\"}", "{\"pid\":4242}",
        "{\"command\":\"log\",\"msg\":\"h\\u00e9\\n\\\"q\\\"\",\"level\":3}",
        "{\"command\":\"metrics\",\"name\":\"n\",\"params\":{\"x\":[1,2]}}",
        "{\"id\":1,\"id\":2,\"unknown\":{\"id\":3},\"co\\\"mmand\":\"x\"}", "{}"}) {
    std::string mp;
    REQUIRE(AppendMsgpackFromJson(&mp, json));
    corpus.push_back(mp);
  }
  // Integer keys, a bin value, a float32, a 16-bit map.
  corpus.push_back(std::string("\x83\x05\xa1" "x\xa2" "id\xc4\x02\x00\xff\xa4" "task\xca\x3f\xc0\x00\x00", 21));
  std::string wide = "\xde";
  wide += std::string("\x00\x11", 2);
  for (int i = 0; i < 16; ++i) wide += "\xa1" + std::string(1, static_cast<char>('a' + i)) + std::string(1, static_cast<char>(i));
  wide += "\xa7" "command\xa4" "sync";
  corpus.push_back(wide);
  // Not maps: nothing parsed (ParseMsg of the text decides).
  corpus.push_back("\x92\x01\x02");
  corpus.push_back("\xa3" "abc");
  std::string wire;
  for (const auto& m : corpus) wire += m;
  MessageReader r;
  r.set_msgpack(true);
  r.Append(wire.data(), wire.size());
  std::string_view text;
  std::string error;
  size_t n = 0, maps = 0;
  while (r.Next(&text, &error) == MessageReader::Status::kMessage) {
    Msg direct, scanned;
    bool is_map = r.Parsed(&direct);
    CHECK(is_map == ParseMsg(text, &scanned));
    if (is_map) {
      CHECK(SameMsg(direct, scanned));
      ++maps;
    }
    ++n;
  }
  CHECK(n == corpus.size());
  CHECK(maps == corpus.size() - 2);
  Msg m;
  CHECK_FALSE(r.Parsed(&m));  // after kMore
  MessageReader json;
  const std::string sync = "{\"command\":\"sync\"}\nend\n";
  json.Append(sync.data(), sync.size());
  REQUIRE(json.Next(&text, &error) == MessageReader::Status::kMessage);
  CHECK_FALSE(json.Parsed(&m));
}

TEST_CASE("reader: messages split anywhere, empty messages, and what is left at EOF") {
  std::string wire = "{\"a\":1}\nend\n\nend\nend\n{\"b\":\n2}\nend\n";
  for (size_t cut = 0; cut <= wire.size(); ++cut) {
    MessageReader r;
    r.Append(wire.data(), cut);
    std::vector<std::string> got = ReadAll(&r);
    std::string error;
    REQUIRE(r.Compact(&error));
    r.Append(wire.data() + cut, wire.size() - cut);
    for (auto& m : ReadAll(&r)) got.push_back(m);
    CAPTURE(cut);
    REQUIRE(got.size() == 4);
    CHECK(got[0] == "{\"a\":1}");
    CHECK(got[1] == "");
    CHECK(got[2] == "");
    CHECK(got[3] == "{\"b\":\n2}");
    CHECK(r.EofReason() == "process exited");
  }
  MessageReader r;
  std::string half = "{\"c\":3}\n";
  r.Append(half.data(), half.size());
  CHECK(ReadAll(&r).empty());
  CHECK(r.EofReason() == "pipe closed in the middle of a message (no \"end\" line after: {\"c\":3})");
}

TEST_CASE("reader: more than 64 MiB without an end line is an error") {
  MessageReader r;
  std::string big((64u << 20) + 10, ' ');
  r.Append(big.data(), big.size());
  CHECK(ReadAll(&r).empty());
  std::string error;
  CHECK(!r.Compact(&error));
  CHECK(error == "more than 64 MiB without an \"end\" line");
}

TEST_CASE("MessagePack both ways: queued JSON messages transcode, objects read back as JSON") {
  std::string json = "{\"command\":\"next\",\"id\":\"\"}\nend\n[1,2]\nend\n{\"half\":";
  std::string mp;
  size_t used = JsonMessagesToMsgpack(json, &mp);
  CHECK(used == json.size() - 8);  // the unfinished message stays
  MessageReader r;
  r.set_msgpack(true);
  r.Append(mp.data(), mp.size() - 1);
  std::vector<std::string> got = ReadAll(&r);
  REQUIRE(got.size() == 1);
  CHECK(got[0] == "{\"command\":\"next\",\"id\":\"\"}");
  CHECK(r.EofReason() == "pipe closed in the middle of a MessagePack message");
  r.Append(mp.data() + mp.size() - 1, 1);
  got = ReadAll(&r);
  REQUIRE(got.size() == 1);
  CHECK(got[0] == "[1,2]");
  CHECK(r.EofReason() == "process exited");
  std::string bad;
  CHECK(JsonMessagesToMsgpack("{oops}\nend\n", &bad) == std::string_view::npos);
  MessageReader inv;
  inv.set_msgpack(true);
  char ext = static_cast<char>(0xc7);  // ext 8: rejected
  std::string junk = {ext, 1, 1, 0};
  inv.Append(junk.data(), junk.size());
  std::string_view m;
  std::string error;
  CHECK(inv.Next(&m, &error) == MessageReader::Status::kInvalid);
  CHECK(error.find("invalid MessagePack") == 0);
}

}  // namespace topoc::runtime
