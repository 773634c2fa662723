// Wire-level checks of the generated Storm structs: field ids and types as
// Storm's Java classes expect them, and the read side's tolerance of old and
// new Nimbus versions (missing optional fields, unknown fields).
#include <doctest/doctest.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <thrift/protocol/TBinaryProtocol.h>
#include <thrift/transport/TBufferTransports.h>

#include "thrift/gen-cpp/storm_types.h"

namespace {

using apache::thrift::protocol::TBinaryProtocol;
using apache::thrift::transport::TMemoryBuffer;

template <typename T>
std::string Encode(const T& value) {
  auto buffer = std::make_shared<TMemoryBuffer>();
  TBinaryProtocol protocol(buffer);
  value.write(&protocol);
  return buffer->getBufferAsString();
}

template <typename T>
T Decode(const std::string& bytes) {
  auto buffer = std::make_shared<TMemoryBuffer>(
      reinterpret_cast<uint8_t*>(const_cast<char*>(bytes.data())),
      static_cast<uint32_t>(bytes.size()), TMemoryBuffer::COPY);
  TBinaryProtocol protocol(buffer);
  T value;
  value.read(&protocol);
  return value;
}

constexpr int kBool = 2, kI32 = 8, kI64 = 10, kString = 11, kStruct = 12, kMap = 13, kList = 15;

// Tiny TBinaryProtocol writer used to fake what other Storm versions send.
struct Wire {
  std::string bytes;
  void Byte(int b) { bytes.push_back(static_cast<char>(b)); }
  void I16(int v) { Byte((v >> 8) & 0xff); Byte(v & 0xff); }
  void I32(int32_t v) {
    for (int shift = 24; shift >= 0; shift -= 8) Byte((v >> shift) & 0xff);
  }
  void Field(int type, int id) { Byte(type); I16(id); }
  void I64(int64_t v) {
    for (int shift = 56; shift >= 0; shift -= 8) Byte(static_cast<int>((v >> shift) & 0xff));
  }
  void String(const std::string& s) { I32(static_cast<int32_t>(s.size())); bytes += s; }
  void Stop() { Byte(0); }
  // map<string, map<string, i64>> with one window holding one stream.
  void WindowMap(int id, const std::string& window, const std::string& stream, int64_t n) {
    Field(kMap, id); Byte(kString); Byte(kMap); I32(1);
    String(window); Byte(kString); Byte(kI64); I32(1); String(stream); I64(n);
  }
  void EmptyMap(int id, int value_type) { Field(kMap, id); Byte(kString); Byte(value_type); I32(0); }
};

}  // namespace

TEST_CASE("JavaObjectArg members carry Storm's field ids and types") {
  topoc::storm::JavaObjectArg arg;
  arg.__set_long_arg(7);
  std::string bytes = Encode(arg);
  // field header: type i64 (10), id 2, then 8 bytes, then stop.
  REQUIRE(bytes.size() == 1 + 2 + 8 + 1);
  CHECK(bytes[0] == 10);
  CHECK(bytes[1] == 0);
  CHECK(bytes[2] == 2);
  CHECK(bytes.back() == 0);

  topoc::storm::JavaObjectArg d;
  d.__set_double_arg(1.5);
  bytes = Encode(d);
  CHECK(bytes[0] == 4);  // double
  CHECK(bytes[2] == 6);
}

TEST_CASE("Grouping: global is fields([]), local_or_shuffle is id 8") {
  topoc::storm::Grouping global;
  global.__set_fields({});
  std::string bytes = Encode(global);
  // list field id 1, element type string, size 0, stop.
  CHECK(bytes == std::string("\x0f\x00\x01\x0b\x00\x00\x00\x00\x00", 9));

  topoc::storm::Grouping local;
  local.__set_local_or_shuffle(topoc::storm::NullStruct());
  CHECK(Encode(local) == std::string("\x0c\x00\x08\x00\x00", 5));
}

TEST_CASE("ShellComponent round-trips through the binary protocol") {
  topoc::storm::ShellComponent shell;
  shell.__set_execution_command("python3");
  shell.__set_script("_topoc/a.B.py");
  topoc::storm::ComponentObject object;
  object.__set_shell(shell);
  auto back = Decode<topoc::storm::ComponentObject>(Encode(object));
  CHECK(bool(back.__isset.shell));
  CHECK_FALSE(bool(back.__isset.java_object));
  CHECK(back.shell.execution_command == "python3");
  CHECK(back.shell.script == "_topoc/a.B.py");
}

TEST_CASE("StormTopology without optional fields writes only 1-3") {
  topoc::storm::StormTopology topology;
  std::string bytes = Encode(topology);
  // three empty maps: (type 13, id, key type, value type, size 0) x3 + stop
  REQUIRE(bytes.size() == 3 * (3 + 1 + 1 + 4) + 1);
  CHECK(bytes[2] == 1);
  CHECK(bytes[9 + 2] == 2);
  CHECK(bytes[18 + 2] == 3);
  topology.__set_storm_version("2.8.0");
  bytes = Encode(topology);
  CHECK(bytes[27] == kString);
  CHECK(bytes[29] == 7);
}

TEST_CASE("ClusterSummary from a 0.9 Nimbus (no nimbuses field) decodes") {
  Wire w;
  w.Field(kList, 1); w.Byte(kStruct); w.I32(0);             // supervisors []
  w.Field(kI32, 2); w.I32(99);                              // nimbus_uptime_secs
  w.Field(kList, 3); w.Byte(kStruct); w.I32(1);             // topologies [ ... ]
  w.Field(kString, 1); w.String("wc-1-2");
  w.Field(kString, 2); w.String("wc");
  w.Field(kI32, 3); w.I32(4);
  w.Field(kI32, 4); w.I32(4);
  w.Field(kI32, 5); w.I32(1);
  w.Field(kI32, 6); w.I32(60);
  w.Field(kString, 7); w.String("ACTIVE");
  w.Stop();
  w.Stop();
  auto summary = Decode<topoc::storm::ClusterSummary>(w.bytes);
  CHECK(summary.nimbus_uptime_secs == 99);
  CHECK_FALSE(bool(summary.__isset.nimbuses));
  REQUIRE(summary.topologies.size() == 1);
  CHECK(summary.topologies[0].name == "wc");
  CHECK(summary.topologies[0].status == "ACTIVE");
}

TEST_CASE("TopologyInfo from a 0.9 Nimbus: ExecutorStats without rate; component_debug skipped") {
  Wire w;
  w.Field(kString, 1); w.String("wc-1-2");
  w.Field(kString, 2); w.String("wc");
  w.Field(kI32, 3); w.I32(5);
  w.Field(kList, 4); w.Byte(kStruct); w.I32(1);
  w.Field(kStruct, 1); w.Field(kI32, 1); w.I32(1); w.Field(kI32, 2); w.I32(2); w.Stop();
  w.Field(kString, 2); w.String("spout");
  w.Field(kString, 3); w.String("host-a");
  w.Field(kI32, 4); w.I32(6700);
  w.Field(kI32, 5); w.I32(5);
  w.Field(kStruct, 7);                                          // stats (no 4: rate, as in 0.9)
  w.WindowMap(1, "600", "default", 20);                         //   emitted
  w.EmptyMap(2, kMap);                                          //   transferred
  w.Field(kStruct, 3); w.Field(kStruct, 2);                     //   specific.spout
  w.WindowMap(1, ":all-time", "default", 7);                    //     acked
  w.EmptyMap(2, kMap); w.EmptyMap(3, kMap);                     //     failed, complete_ms_avg
  w.Stop(); w.Stop();
  w.Stop();
  w.Stop();
  w.Field(kString, 5); w.String("ACTIVE");
  w.Field(kMap, 6); w.Byte(kString); w.Byte(kList); w.I32(0);
  w.Field(kMap, 7); w.Byte(kString); w.Byte(kStruct); w.I32(0);  // component_debug
  w.Stop();
  auto info = Decode<topoc::storm::TopologyInfo>(w.bytes);
  REQUIRE(info.executors.size() == 1);
  CHECK(info.executors[0].executor_info.task_end == 2);
  CHECK(info.executors[0].port == 6700);
  CHECK(info.status == "ACTIVE");
  const auto& stats = info.executors[0].stats;
  REQUIRE(bool(info.executors[0].__isset.stats));
  CHECK_FALSE(bool(stats.__isset.rate));
  CHECK(stats.emitted.at("600").at("default") == 20);
  REQUIRE(bool(stats.specific.__isset.spout));
  CHECK(stats.specific.spout.acked.at(":all-time").at("default") == 7);
}

TEST_CASE("BoltStats keys its maps by the input GlobalStreamId; rate is field 4, a double") {
  topoc::storm::GlobalStreamId in;
  in.componentId = "spout";
  in.streamId = "default";
  topoc::storm::BoltStats bolt;
  bolt.executed["600"][in] = 5;
  topoc::storm::ExecutorStats stats;
  stats.specific.__set_bolt(bolt);
  stats.__set_rate(1.0);
  std::string bytes = Encode(stats);
  // The last field before stop is the double (type 4) with id 4.
  REQUIRE(bytes.size() > 12);
  CHECK(bytes[bytes.size() - 12] == 4);
  CHECK(bytes[bytes.size() - 10] == 4);
  auto back = Decode<topoc::storm::ExecutorStats>(bytes);
  CHECK(back.specific.bolt.executed.at("600").at(in) == 5);
  CHECK(back.rate == 1.0);
}

TEST_CASE("A missing required field is rejected by the reader") {
  Wire w;
  w.Field(kString, 1); w.String("x");  // JavaObject without args_list
  w.Stop();
  CHECK_THROWS(Decode<topoc::storm::JavaObject>(w.bytes));
}

TEST_CASE("inputs are ordered by component id, then stream id") {
  topoc::storm::GlobalStreamId a, b, c;
  a.componentId = "a"; a.streamId = "z";
  b.componentId = "b"; b.streamId = "a";
  c.componentId = "b"; c.streamId = "b";
  CHECK(a < b);
  CHECK(b < c);
  CHECK_FALSE(c < b);
  CHECK_FALSE(b < b);
}
