#include "backends/backend_util.h"

#include <charconv>
#include <cmath>

namespace topoc::backends {

std::vector<const ir::Topology*> SelectTopologies(const ir::Program& program,
                                                  const BackendOptions& options,
                                                  DiagnosticEngine& diags) {
  std::vector<const ir::Topology*> out;
  for (const auto& topology : program.topologies) {
    if (options.topology_name.empty() || topology->name == options.topology_name) {
      out.push_back(topology.get());
    }
  }
  if (out.empty() && !options.topology_name.empty()) {
    Diagnostic d;
    d.code = std::string(kErrNoSuchTopology);
    d.message = "no topology named '" + options.topology_name + "'";
    std::string names;
    for (const auto& topology : program.topologies) {
      if (!names.empty()) names += ", ";
      names += "'" + topology->name + "'";
    }
    Diagnostic note;
    note.severity = Severity::kNote;
    note.message = names.empty() ? "the input declares no topology"
                                 : "the input declares: " + names;
    d.notes.push_back(std::move(note));
    diags.Report(std::move(d));
  }
  return out;
}

bool IsOwnOptionKey(std::string_view raw_key, std::string_view backend, std::string_view* key) {
  // `-O key=v` goes to every backend, `-O flux.key=v` to flux only: a build
  // of several targets passes one option list to all of them.
  static constexpr std::string_view kBackends[] = {"thrift", "clojure", "flux", "dot", "json"};
  *key = raw_key;
  auto dot = raw_key.find('.');
  if (dot == std::string_view::npos) return true;
  std::string_view prefix = raw_key.substr(0, dot);
  if (prefix == backend) {
    *key = raw_key.substr(dot + 1);
    return true;
  }
  for (auto b : kBackends) {
    if (b == prefix) return false;
  }
  return true;
}

std::map<std::string, std::string> OwnOptions(const BackendOptions& options,
                                              std::string_view backend) {
  std::map<std::string, std::string> out;
  for (const auto& [raw_key, value] : options.extra) {
    std::string_view key;
    if (IsOwnOptionKey(raw_key, backend, &key)) out[std::string(key)] = value;
  }
  return out;
}

bool CheckOptionKeys(const BackendOptions& options, std::string_view backend,
                     std::initializer_list<std::string_view> known,
                     DiagnosticEngine& diags) {
  bool ok = true;
  for (const auto& [key, value] : OwnOptions(options, backend)) {
    bool found = false;
    for (auto k : known) found = found || k == key;
    if (found) continue;
    ok = false;
    Diagnostic d;
    d.code = std::string(kErrBadBackendOption);
    d.message = "unknown option '" + key + "' for the " + std::string(backend) + " backend";
    Diagnostic note;
    note.severity = Severity::kNote;
    std::string list;
    for (auto k : known) list += (list.empty() ? "" : ", ") + std::string(k);
    note.message = list.empty() ? "the " + std::string(backend) + " backend takes no options"
                                : "its options are: " + list;
    d.notes.push_back(std::move(note));
    diags.Report(std::move(d));
  }
  return ok;
}

void ReportBadOptionValue(std::string_view backend, std::string_view key,
                          std::string_view value, std::string_view expected,
                          DiagnosticEngine& diags) {
  Diagnostic d;
  d.code = std::string(kErrBadBackendOption);
  d.message = "bad value '" + std::string(value) + "' for option '" + std::string(key) +
              "' of the " + std::string(backend) + " backend";
  Diagnostic note;
  note.severity = Severity::kNote;
  note.message = "expected " + std::string(expected);
  d.notes.push_back(std::move(note));
  diags.Report(std::move(d));
}

ir::Value MergedConfig(const std::vector<ir::ConfigEntry>& entries) {
  ir::Value out = ir::Value::object();
  // Sema reported repeated keys; should any remain, the last one wins, as
  // in Storm's own config maps.
  for (const auto& entry : entries) out[entry.key] = entry.value;
  return out;
}

ir::Value ComponentConf(const ir::Component& component) {
  ir::Value out = MergedConfig(component.config);
  if (component.tasks) out["topology.tasks"] = *component.tasks;
  return out;
}

std::string ShortestDouble(double value) {
  if (std::isnan(value)) return "nan";
  if (std::isinf(value)) return value < 0 ? "-inf" : "inf";
  char buf[64];
  // to_chars without a precision is the shortest text that reads back as
  // the same double: outputs are exact and stable across platforms.
  auto res = std::to_chars(buf, buf + sizeof buf, value);
  return std::string(buf, res.ptr);
}

std::string_view JavaArgTypeName(ir::JavaArg::Type type) {
  switch (type) {
    case ir::JavaArg::Type::kInt: return "int";
    case ir::JavaArg::Type::kLong: return "long";
    case ir::JavaArg::Type::kDouble: return "double";
    case ir::JavaArg::Type::kString: return "string";
    case ir::JavaArg::Type::kBool: return "bool";
  }
  return "string";
}

void AppendValue(const ir::Value& value, const ValueSyntax& syntax, std::string& out) {
  switch (value.type()) {
    case ir::Value::value_t::boolean: out += value.get<bool>() ? "true" : "false"; break;
    case ir::Value::value_t::number_integer: out += std::to_string(value.get<int64_t>()); break;
    case ir::Value::value_t::number_unsigned: out += std::to_string(value.get<uint64_t>()); break;
    case ir::Value::value_t::number_float: out += syntax.format_double(value.get<double>()); break;
    case ir::Value::value_t::string:
      out += syntax.quote_string(value.get_ref<const std::string&>());
      break;
    case ir::Value::value_t::array: {
      out += '[';
      bool first = true;
      for (const auto& v : value) {
        if (!first) out += syntax.list_separator;
        first = false;
        AppendValue(v, syntax, out);
      }
      out += ']';
      break;
    }
    case ir::Value::value_t::object: {
      out += '{';
      bool first = true;
      for (const auto& [k, v] : value.items()) {
        if (!first) out += syntax.entry_separator;
        first = false;
        out += syntax.quote_string(k);
        out += syntax.key_value_separator;
        AppendValue(v, syntax, out);
      }
      out += '}';
      break;
    }
    default: out += syntax.null_literal; break;  // null (binary/discarded: never produced by sema)
  }
}

}  // namespace topoc::backends
