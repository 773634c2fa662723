// DecodeStormTopology on bad input: truncation, garbage, trailing bytes,
// hostile sizes, other structs. None may crash or throw.
#include <doctest/doctest.h>

#include <cstdint>
#include <random>
#include <string>

#include <memory>

#include <thrift/protocol/TBinaryProtocol.h>
#include <thrift/transport/TBufferTransports.h>

#include "backends/thrift/storm_codec.h"

namespace {

using topoc::backends::thrift::DecodeStormTopology;
using topoc::backends::thrift::EncodeStormTopology;
namespace storm = topoc::storm;

storm::StormTopology Sample() {
  storm::StormTopology t;
  storm::SpoutSpec spout;
  storm::ShellComponent shell;
  shell.__set_execution_command("python3");
  shell.__set_script("_topoc/a.B.py");
  spout.spout_object.__set_shell(shell);
  storm::StreamInfo info;
  info.__set_output_fields({"word"});
  info.__set_direct(false);
  spout.common.streams["default"] = info;
  spout.common.__set_parallelism_hint(2);
  spout.common.__set_json_conf("{\"k\":1}");
  t.spouts["s"] = spout;
  storm::Bolt bolt;
  bolt.bolt_object.__set_shell(shell);
  storm::GlobalStreamId id;
  id.componentId = "s";
  id.streamId = "default";
  storm::Grouping g;
  g.__set_fields({"word"});
  bolt.common.inputs[id] = g;
  t.bolts["b"] = bolt;
  return t;
}

bool Decodes(const std::string& bytes, std::string* error) {
  storm::StormTopology out;
  return DecodeStormTopology(bytes, &out, error);
}

}  // namespace

TEST_CASE("a valid encoding decodes") {
  std::string error;
  storm::StormTopology out;
  REQUIRE(DecodeStormTopology(EncodeStormTopology(Sample()), &out, &error));
  CHECK(out == Sample());
}

TEST_CASE("every truncation is rejected with a message") {
  std::string bytes = EncodeStormTopology(Sample());
  for (size_t n = 0; n < bytes.size(); ++n) {
    std::string error;
    CHECK_FALSE(Decodes(bytes.substr(0, n), &error));
    CHECK_FALSE(error.empty());
  }
}

TEST_CASE("trailing bytes are rejected") {
  std::string error;
  CHECK_FALSE(Decodes(EncodeStormTopology(Sample()) + "x", &error));
  CHECK(error.find("unread bytes") != std::string::npos);
}

TEST_CASE("text, zeros and a huge length do not decode and do not allocate wildly") {
  std::string error;
  CHECK_FALSE(Decodes("hello, this is not thrift\n", &error));
  CHECK_FALSE(Decodes(std::string(64, '\0'), &error));  // empty struct: required fields missing
  CHECK(error.find("not a StormTopology") != std::string::npos);
  // spouts map with 2^31-1 entries claimed
  std::string huge("\x0d\x00\x01\x0b\x0c\x7f\xff\xff\xff", 9);
  CHECK_FALSE(Decodes(huge, &error));
  // a string of 2 GB claimed inside a map key
  std::string big_string("\x0d\x00\x01\x0b\x0c\x00\x00\x00\x01\x7f\xff\xff\xf0", 13);
  CHECK_FALSE(Decodes(big_string, &error));
}

TEST_CASE("a type byte that is no Thrift type is refused before Thrift casts it") {
  // scripts/sanitize.sh: UBSan reported TBinaryProtocol loading 123 ('{')
  // into a TType on `topoc dump` of a JSON file; field, map (key, value),
  // list and set type bytes are all checked now.
  std::string error;
  CHECK_FALSE(Decodes("{\"spouts\": {}}", &error));
  CHECK(error.find("invalid type byte 123") != std::string::npos);
  CHECK_FALSE(Decodes(std::string("\x50\x00\x01", 3), &error));  // field type 80
  CHECK(error.find("invalid type byte 80") != std::string::npos);
  CHECK_FALSE(Decodes(std::string("\x0d\x00\x01\x0b\x7f\x00\x00\x00\x01", 9), &error));  // map value type
  CHECK(error.find("invalid type byte 127") != std::string::npos);
  CHECK_FALSE(Decodes(std::string("\x0d\x00\x01\x05\x0c\x00\x00\x00\x01", 9), &error));  // 5: no type
  CHECK(error.find("invalid type byte 5") != std::string::npos);
  CHECK_FALSE(Decodes(std::string("\x0f\x00\x09\xf0\x00\x00\x00\x01", 8), &error));  // list of 0xf0 (unknown field 9)
  CHECK(error.find("invalid type byte 240") != std::string::npos);
}

TEST_CASE("another Thrift struct is not a StormTopology") {
  storm::JavaObject object;
  object.__set_full_class_name("com.example.X");
  object.__set_args_list({});
  auto buffer = std::make_shared<apache::thrift::transport::TMemoryBuffer>();
  apache::thrift::protocol::TBinaryProtocol protocol(buffer);
  object.write(&protocol);
  std::string error;
  CHECK_FALSE(Decodes(buffer->getBufferAsString(), &error));
  CHECK(error.find("not a StormTopology") != std::string::npos);
  // An empty StormTopology (three empty maps) is valid.
  CHECK(Decodes(EncodeStormTopology(storm::StormTopology()), &error));
}

TEST_CASE("random garbage never crashes") {
  std::mt19937 rng(12345);
  std::string base = EncodeStormTopology(Sample());
  int decoded = 0;
  for (int round = 0; round < 3000; ++round) {
    std::string bytes = base;
    int flips = 1 + static_cast<int>(rng() % 4);
    for (int f = 0; f < flips; ++f) bytes[rng() % bytes.size()] = static_cast<char>(rng() & 0xff);
    std::string error;
    storm::StormTopology out;
    if (DecodeStormTopology(bytes, &out, &error)) {
      ++decoded;
      // Whatever decodes re-encodes without trouble.
      (void)EncodeStormTopology(out);
      (void)topoc::backends::thrift::StormTopologyToJsonText(out);
    } else {
      CHECK_FALSE(error.empty());
    }
  }
  MESSAGE("mutations that still decoded: " << decoded);
}

TEST_CASE("deeply nested unknown fields are refused, not a stack overflow") {
  std::string bytes;
  for (int i = 0; i < 100000; ++i) bytes += std::string("\x0c\x00\x63", 3);  // struct field 99
  bytes += std::string(100001, '\0');                                       // stops
  std::string error;
  CHECK_FALSE(Decodes(bytes, &error));
  CHECK_FALSE(error.empty());
}
