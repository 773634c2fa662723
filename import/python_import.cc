#include "import/python_import.h"

#include <climits>
#include <stdexcept>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace topoc::import {

namespace {

using json = nlohmann::ordered_json;  // keeps the config's key order

// The recording is written by topoc's own recorder: a malformed one is a
// bug in topoc, not in the user's file, so one exception type carries the
// reason out to a single "could not be read (a bug in topoc)" message.
struct Bad : std::runtime_error {
  using std::runtime_error::runtime_error;
};

const json& Get(const json& obj, const char* key) {
  if (!obj.is_object() || !obj.contains(key)) throw Bad(fmt::format("the recording lacks \"{}\"", key));
  return obj.at(key);
}

std::string Str(const json& obj, const char* key) {
  const json& v = Get(obj, key);
  if (!v.is_string()) throw Bad(fmt::format("\"{}\" is not a string", key));
  return v.get<std::string>();
}

std::vector<std::string> Strings(const json& v, const char* what) {
  if (!v.is_array()) throw Bad(fmt::format("{} is not a list", what));
  std::vector<std::string> out;
  for (const auto& s : v) {
    if (!s.is_string()) throw Bad(fmt::format("{} holds a non-string", what));
    out.push_back(s.get<std::string>());
  }
  return out;
}

ir::JavaArg Arg(const json& a) {
  ir::JavaArg out;
  std::string type = Str(a, "type");
  const json& v = Get(a, "value");
  if (type == "int" || type == "long") {
    if (!v.is_number_integer()) throw Bad("an integer java argument is not an integer");
    out.type = type == "int" ? ir::JavaArg::Type::kInt : ir::JavaArg::Type::kLong;
    out.int_value = v.get<int64_t>();
  } else if (type == "double") {
    out.type = ir::JavaArg::Type::kDouble;
    out.double_value = v.get<double>();
  } else if (type == "string") {
    out.type = ir::JavaArg::Type::kString;
    out.string_value = v.get<std::string>();
  } else if (type == "bool") {
    out.type = ir::JavaArg::Type::kBool;
    out.bool_value = v.get<bool>();
  } else {
    throw Bad("unknown java argument type " + type);
  }
  return out;
}

ir::Grouping GroupingOf(const json& g) {
  using K = ir::Grouping::Kind;
  ir::Grouping out;
  std::string kind = Str(g, "kind");
  static const std::pair<std::string_view, K> kKinds[] = {
      {"shuffle", K::kShuffle}, {"fields", K::kFields}, {"all", K::kAll}, {"global", K::kGlobal},
      {"none", K::kNone}, {"direct", K::kDirect}, {"local-or-shuffle", K::kLocalOrShuffle},
      // The recorder's Grouping (stdlib/python/streamparse/dsl) has no
      // partial-key grouping: it never writes one.
      {"custom", K::kCustom}};
  bool found = false;
  for (const auto& [name, k] : kKinds) {
    if (kind == name) {
      out.kind = k;
      found = true;
    }
  }
  if (!found) throw Bad("unknown grouping " + kind);
  if (out.kind == K::kFields) out.fields = Strings(Get(g, "fields"), "the grouping's fields");
  if (out.kind == K::kCustom) {
    out.custom_class = Str(g, "class");
    for (const auto& a : Get(g, "args")) out.custom_args.push_back(Arg(a));
  }
  return out;
}

// "path/to/file.py:12" -> line 12 when the path is the topology file.
Pos WhereLine(const json& c) {
  if (!c.contains("where") || !c["where"].is_string()) return {0, 0};
  std::string where = c["where"].get<std::string>();
  auto colon = where.rfind(':');
  if (colon == std::string::npos) return {0, 0};
  try {
    return {static_cast<uint32_t>(std::stoul(where.substr(colon + 1))), 1};
  } catch (...) {
    return {0, 0};
  }
}

}  // namespace

bool TopologyFromRecording(std::string_view text, const std::string& file, const std::string& name,
                           Topology* out, ImportError* error) {
  *out = Topology{};
  out->name = name;
  out->source_file = file;
  try {
    json j = json::parse(text);
    const json& config = Get(j, "config");
    if (!config.is_object()) throw Bad("the topology config is not an object");
    out->config = config;
    // The name comes from the command line (or the file's name); a .topo
    // topology is named by its declaration, never by its config.
    out->config.erase("topology.name");
    for (const auto& c : Get(j, "components")) {
      Component comp;
      comp.id = Str(c, "id");
      comp.pos = WhereLine(c);
      std::string role = Str(c, "role");
      comp.role = role == "spout" ? ir::Role::kSpout : ir::Role::kBolt;
      std::string kind = Str(c, "kind");
      if (kind == "python") {
        comp.kind = ir::Kind::kPython;
        comp.python_class = Str(c, "python_class");
      } else if (kind == "shell") {
        comp.kind = ir::Kind::kShell;
        comp.shell_command = Strings(Get(c, "command"), "the command");
      } else if (kind == "java") {
        comp.kind = ir::Kind::kJava;
        comp.java_class = Str(c, "java_class");
        for (const auto& a : Get(c, "java_args")) comp.java_args.push_back(Arg(a));
      } else {
        throw Bad("unknown component kind " + kind);
      }
      for (const auto& o : Get(c, "outputs")) {
        comp.outputs.push_back({Str(o, "stream"), Strings(Get(o, "fields"), "the output fields"),
                                Get(o, "direct").get<bool>()});
      }
      for (const auto& in : Get(c, "inputs")) {
        Input input;
        input.source = Str(in, "source");
        input.stream = Str(in, "stream");
        input.grouping = GroupingOf(Get(in, "grouping"));
        // The recorder knows where a component's spec is, not each input: an
        // input's errors point at its component.
        input.pos = comp.pos;
        comp.inputs.push_back(std::move(input));
      }
      const json& par = Get(c, "parallelism");
      if (!par.is_number_integer() || par.get<int64_t>() < 1 || par.get<int64_t>() > INT_MAX) {
        *error = {file, comp.pos, fmt::format("par of '{}' must be a positive 32-bit integer", comp.id)};
        return false;
      }
      comp.parallelism = static_cast<int>(par.get<int64_t>());
      comp.config = Get(c, "config");
      // A .topo file says `tasks N`, not config: move it out of the config.
      if (comp.config.contains("topology.tasks")) {
        const auto& tasks = comp.config["topology.tasks"];
        if (!tasks.is_number_integer() || tasks.get<int64_t>() < 1 || tasks.get<int64_t>() > INT_MAX) {
          *error = {file, comp.pos, fmt::format("topology.tasks of '{}' must be a positive 32-bit integer", comp.id)};
          return false;
        }
        comp.tasks = static_cast<int>(tasks.get<int64_t>());
        comp.config.erase("topology.tasks");
      }
      out->components.push_back(std::move(comp));
    }
  } catch (const std::exception& e) {
    *error = {file, {0, 0}, std::string("the recorded topology could not be read (a bug in topoc): ") + e.what()};
    return false;
  }
  return CheckReferences(*out, error);
}

}  // namespace topoc::import
