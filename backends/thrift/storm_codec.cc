#include "backends/thrift/storm_codec.h"

#include <cstdint>
#include <exception>
#include <memory>
#include <string>

#include <thrift/protocol/TBinaryProtocol.h>
#include <thrift/transport/TBufferTransports.h>

namespace topoc::backends::thrift {

namespace {

using apache::thrift::protocol::TBinaryProtocol;
using apache::thrift::protocol::TBinaryProtocolT;
using apache::thrift::protocol::TProtocolException;
using apache::thrift::protocol::TType;
using apache::thrift::protocol::TVirtualProtocol;
using apache::thrift::transport::TMemoryBuffer;
using apache::thrift::transport::TTransport;
using Json = nlohmann::ordered_json;
namespace storm = topoc::storm;

// TBinaryProtocol casts the type byte of a field, map, list or set to TType
// before looking at it; a byte outside the enum's range makes that cast
// undefined behaviour (UBSan, scripts/sanitize.sh: "load of value 123, which
// is not a valid value for type 'TType'" on `topoc dump` of a JSON file).
// This protocol looks at those bytes first (without consuming them) and
// refuses any that is not a Thrift type; the reading itself stays
// TBinaryProtocol's.
class CheckedBinaryProtocol
    : public TVirtualProtocol<CheckedBinaryProtocol, TBinaryProtocolT<TTransport>> {
 public:
  CheckedBinaryProtocol(std::shared_ptr<TTransport> transport, int32_t limit)
      : TVirtualProtocol(std::move(transport)) {
    setStringSizeLimit(limit);
    setContainerSizeLimit(limit);
    setStrict(/*strict_read=*/false, /*strict_write=*/true);
  }

  uint32_t readFieldBegin(std::string& name, TType& type, int16_t& id) {
    CheckTypes(1);
    return TBinaryProtocolT::readFieldBegin(name, type, id);
  }
  uint32_t readMapBegin(TType& key, TType& value, uint32_t& size) {
    CheckTypes(2);
    return TBinaryProtocolT::readMapBegin(key, value, size);
  }
  uint32_t readListBegin(TType& element, uint32_t& size) {
    CheckTypes(1);
    return TBinaryProtocolT::readListBegin(element, size);
  }
  uint32_t readSetBegin(TType& element, uint32_t& size) {
    CheckTypes(1);
    return TBinaryProtocolT::readSetBegin(element, size);
  }

 private:
  // The next `n` bytes must each be a TType (fewer left: the read that
  // follows reports the end of the input).
  void CheckTypes(uint32_t n) {
    uint32_t len = n;
    const uint8_t* next = trans_->borrow(nullptr, &len);
    if (next == nullptr || len < n) return;
    for (uint32_t i = 0; i < n; ++i) {
      switch (next[i]) {
        case 0: case 1: case 2: case 3: case 4: case 6: case 8: case 9: case 10: case 11:
        case 12: case 13: case 14: case 15: case 16: case 17:
          break;
        default:
          throw TProtocolException(TProtocolException::INVALID_DATA,
                                   "invalid type byte " + std::to_string(next[i]));
      }
    }
  }
};

Json BinaryToJson(const std::string& bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    hex.push_back(kHex[c >> 4]);
    hex.push_back(kHex[c & 15]);
  }
  Json j = Json::object();
  j["hex"] = hex;
  return j;
}

// Appends key -> value to a JSON object whose keys are known to be unique
// (they come from a std::map). ordered_json's operator[] searches linearly,
// which made large dumps quadratic.
void AppendUnique(Json& object, const std::string& key, Json value) {
  auto& entries = static_cast<std::vector<std::pair<const std::string, Json>>&>(
      object.get_ref<Json::object_t&>());
  entries.emplace_back(key, std::move(value));
}

// Strings from a file may hold invalid UTF-8; show them, never throw.
Json Text(const std::string& s) { return Json(s); }

Json JavaObjectToJson(const storm::JavaObject& object) {
  Json j = Json::object();
  j["full_class_name"] = Text(object.full_class_name);
  Json args = Json::array();
  for (const auto& arg : object.args_list) {
    Json a = Json::object();
    if (arg.__isset.int_arg) a["int_arg"] = arg.int_arg;
    if (arg.__isset.long_arg) a["long_arg"] = arg.long_arg;
    if (arg.__isset.string_arg) a["string_arg"] = Text(arg.string_arg);
    if (arg.__isset.bool_arg) a["bool_arg"] = arg.bool_arg;
    if (arg.__isset.binary_arg) a["binary_arg"] = BinaryToJson(arg.binary_arg);
    if (arg.__isset.double_arg) a["double_arg"] = arg.double_arg;
    args.push_back(std::move(a));
  }
  j["args_list"] = std::move(args);
  return j;
}

Json ComponentObjectToJson(const storm::ComponentObject& object) {
  Json j = Json::object();
  if (object.__isset.serialized_java) j["serialized_java"] = BinaryToJson(object.serialized_java);
  if (object.__isset.shell) {
    Json shell = Json::object();
    shell["execution_command"] = Text(object.shell.execution_command);
    shell["script"] = Text(object.shell.script);
    j["shell"] = std::move(shell);
  }
  if (object.__isset.java_object) j["java_object"] = JavaObjectToJson(object.java_object);
  return j;
}

Json GroupingToJson(const storm::Grouping& g) {
  Json j = Json::object();
  if (g.__isset.fields) {
    Json fields = Json::array();
    for (const auto& f : g.fields) fields.push_back(Text(f));
    j["fields"] = std::move(fields);
  }
  if (g.__isset.shuffle) j["shuffle"] = Json::object();
  if (g.__isset.all) j["all"] = Json::object();
  if (g.__isset.none) j["none"] = Json::object();
  if (g.__isset.direct) j["direct"] = Json::object();
  if (g.__isset.custom_object) j["custom_object"] = JavaObjectToJson(g.custom_object);
  if (g.__isset.custom_serialized) j["custom_serialized"] = BinaryToJson(g.custom_serialized);
  if (g.__isset.local_or_shuffle) j["local_or_shuffle"] = Json::object();
  return j;
}

Json CommonToJson(const storm::ComponentCommon& common) {
  Json j = Json::object();
  Json inputs = Json::array();
  for (const auto& [id, grouping] : common.inputs) {
    Json in = Json::object();
    in["component"] = Text(id.componentId);
    in["stream"] = Text(id.streamId);
    in["grouping"] = GroupingToJson(grouping);
    inputs.push_back(std::move(in));
  }
  j["inputs"] = std::move(inputs);
  Json streams = Json::object();
  for (const auto& [id, info] : common.streams) {
    Json s = Json::object();
    Json fields = Json::array();
    for (const auto& f : info.output_fields) fields.push_back(Text(f));
    s["output_fields"] = std::move(fields);
    s["direct"] = info.direct;
    AppendUnique(streams, id, std::move(s));
  }
  j["streams"] = std::move(streams);
  if (common.__isset.parallelism_hint) j["parallelism_hint"] = common.parallelism_hint;
  if (common.__isset.json_conf) {
    Json conf = Json::parse(common.json_conf, nullptr, /*allow_exceptions=*/false);
    if (conf.is_discarded()) {
      j["json_conf_raw"] = Text(common.json_conf);
    } else {
      j["json_conf"] = std::move(conf);
    }
  }
  return j;
}

template <typename Spec>
Json SpecsToJson(const std::map<std::string, Spec>& specs, const char* object_key,
                 const storm::ComponentObject& (*object_of)(const Spec&)) {
  Json j = Json::object();
  j.get_ref<Json::object_t&>().reserve(specs.size());
  for (const auto& [id, spec] : specs) {
    Json s = Json::object();
    s[object_key] = ComponentObjectToJson(object_of(spec));
    s["common"] = CommonToJson(spec.common);
    AppendUnique(j, id, std::move(s));
  }
  return j;
}

const storm::ComponentObject& SpoutObject(const storm::SpoutSpec& s) { return s.spout_object; }
const storm::ComponentObject& BoltObject(const storm::Bolt& s) { return s.bolt_object; }
const storm::ComponentObject& StateSpoutObject(const storm::StateSpoutSpec& s) {
  return s.state_spout_object;
}

Json StringList(const std::vector<std::string>& list) {
  Json j = Json::array();
  for (const auto& s : list) j.push_back(Text(s));
  return j;
}

}  // namespace

std::string EncodeStormTopology(const storm::StormTopology& topology) {
  auto buffer = std::make_shared<TMemoryBuffer>();
  // TBinaryProtocol, unframed: the struct's own encoding, as Nimbus's Thrift
  // API carries it (the framing belongs to the transport, deploy/).
  TBinaryProtocol protocol(buffer);
  topology.write(&protocol);
  return buffer->getBufferAsString();
}

bool DecodeStormTopology(std::string_view bytes, storm::StormTopology* out, std::string* error) {
  if (bytes.empty()) {
    *error = "empty file";
    return false;
  }
  // TMemoryBuffer takes a 32-bit size.
  if (bytes.size() > UINT32_MAX / 2) {
    *error = "file too large";
    return false;
  }
  try {
    auto buffer = std::make_shared<TMemoryBuffer>(
        reinterpret_cast<uint8_t*>(const_cast<char*>(bytes.data())),
        // OBSERVE: the buffer reads `bytes` in place, no copy.
        static_cast<uint32_t>(bytes.size()), TMemoryBuffer::OBSERVE);
    // Every string byte and every container element takes at least one byte
    // of input, so the input size bounds both.
    auto limit = static_cast<int32_t>(bytes.size());
    CheckedBinaryProtocol protocol(buffer, limit);
    storm::StormTopology topology;
    topology.read(&protocol);
    uint32_t left = buffer->available_read();
    // Trailing bytes mean the file is not (only) a StormTopology: refuse
    // rather than show part of it.
    if (left != 0) {
      *error = "not a single StormTopology: " + std::to_string(left) +
               " unread bytes after the end of the structure";
      return false;
    }
    *out = std::move(topology);
    return true;
  } catch (const apache::thrift::transport::TTransportException& e) {
    *error = std::string("truncated or not a StormTopology (") + e.what() + ")";
  } catch (const std::exception& e) {
    *error = std::string("not a StormTopology (") + e.what() + ")";
  }
  return false;
}

Json StormTopologyToJson(const storm::StormTopology& topology) {
  Json j = Json::object();
  j["spouts"] = SpecsToJson(topology.spouts, "spout_object", &SpoutObject);
  j["bolts"] = SpecsToJson(topology.bolts, "bolt_object", &BoltObject);
  j["state_spouts"] =
      SpecsToJson(topology.state_spouts, "state_spout_object", &StateSpoutObject);
  if (topology.__isset.worker_hooks) {
    Json hooks = Json::array();
    for (const auto& h : topology.worker_hooks) hooks.push_back(BinaryToJson(h));
    j["worker_hooks"] = std::move(hooks);
  }
  if (topology.__isset.dependency_jars) j["dependency_jars"] = StringList(topology.dependency_jars);
  if (topology.__isset.dependency_artifacts) {
    j["dependency_artifacts"] = StringList(topology.dependency_artifacts);
  }
  if (topology.__isset.storm_version) j["storm_version"] = Text(topology.storm_version);
  if (topology.__isset.jdk_version) j["jdk_version"] = Text(topology.jdk_version);
  if (topology.__isset.component_to_shared_memory) {
    Json m = Json::object();
    for (const auto& [component, names] : topology.component_to_shared_memory) {
      Json list = Json::array();
      for (const auto& n : names) list.push_back(Text(n));
      AppendUnique(m, component, std::move(list));
    }
    j["component_to_shared_memory"] = std::move(m);
  }
  if (topology.__isset.shared_memory) {
    Json m = Json::object();
    for (const auto& [key, mem] : topology.shared_memory) {
      Json s = Json::object();
      s["name"] = Text(mem.name);
      if (mem.__isset.on_heap) s["on_heap"] = mem.on_heap;
      if (mem.__isset.off_heap_worker) s["off_heap_worker"] = mem.off_heap_worker;
      if (mem.__isset.off_heap_node) s["off_heap_node"] = mem.off_heap_node;
      AppendUnique(m, key, std::move(s));
    }
    j["shared_memory"] = std::move(m);
  }
  return j;
}

std::string StormTopologyToJsonText(const storm::StormTopology& topology) {
  return StormTopologyToJson(topology).dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

}  // namespace topoc::backends::thrift
