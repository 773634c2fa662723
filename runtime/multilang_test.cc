#include "runtime/multilang.h"

#include <doctest/doctest.h>

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
