#include "backends/json/json_backend.h"

#include "backends/backend_util.h"

namespace topoc::backends::json {

namespace {

using Json = nlohmann::ordered_json;

Json JavaArgJson(const ir::JavaArg& a) {
  Json out;
  out["type"] = JavaArgTypeName(a.type);
  switch (a.type) {
    case ir::JavaArg::Type::kInt:
    case ir::JavaArg::Type::kLong: out["value"] = a.int_value; break;
    case ir::JavaArg::Type::kDouble: out["value"] = a.double_value; break;
    case ir::JavaArg::Type::kString: out["value"] = a.string_value; break;
    case ir::JavaArg::Type::kBool: out["value"] = a.bool_value; break;
  }
  return out;
}

Json GroupingJson(const ir::Grouping& g) {
  Json out;
  out["kind"] = ir::GroupingKindName(g.kind);
  if (g.kind == ir::Grouping::Kind::kFields || g.kind == ir::Grouping::Kind::kPartialKey) {
    out["fields"] = g.fields;
  }
  if (g.kind == ir::Grouping::Kind::kCustom) {
    out["class"] = g.custom_class;
    Json args = Json::array();
    for (const auto& a : g.custom_args) args.push_back(JavaArgJson(a));
    out["args"] = std::move(args);
  }
  return out;
}

Json ComponentJson(const ir::Component& c) {
  Json out;
  out["id"] = c.id;
  out["role"] = ir::RoleName(c.role);
  out["kind"] = ir::KindName(c.kind);
  switch (c.kind) {
    case ir::Kind::kPython: out["python_class"] = c.python_class; break;
    case ir::Kind::kShell: out["shell_command"] = c.shell_command; break;
    case ir::Kind::kJava: {
      out["java_class"] = c.java_class;
      Json args = Json::array();
      for (const auto& a : c.java_args) args.push_back(JavaArgJson(a));
      out["java_args"] = std::move(args);
      break;
    }
  }
  out["parallelism"] = c.parallelism;
  out["tasks"] = c.tasks ? Json(*c.tasks) : Json(nullptr);
  if (!c.from_template.empty()) out["template"] = c.from_template;
  out["config"] = MergedConfig(c.config);
  Json streams = Json::array();
  for (const auto& s : c.streams) {
    streams.push_back(Json{{"id", s->id}, {"fields", s->fields}, {"direct", s->direct}});
  }
  out["streams"] = std::move(streams);
  Json inputs = Json::array();
  for (const auto& in : c.inputs) {
    inputs.push_back(Json{{"component", in.source->id},
                          {"stream", in.stream->id},
                          {"grouping", GroupingJson(in.grouping)}});
  }
  out["inputs"] = std::move(inputs);
  return out;
}

}  // namespace

Json TopologyToJson(const ir::Topology& t) {
  Json out;
  out["format"] = "topoc-ir";
  out["version"] = kIrJsonVersion;
  out["name"] = t.name;
  out["config"] = MergedConfig(t.config);
  Json components = Json::array();
  for (const auto& c : t.components) components.push_back(ComponentJson(*c));
  out["components"] = std::move(components);
  return out;
}

bool JsonBackend::Generate(const ir::Program& program, const BackendOptions& options,
                           OutputSink& out, DiagnosticEngine& diags) const {
  bool ok = CheckOptionKeys(options, Name(), {}, diags);
  auto topologies = SelectTopologies(program, options, diags);
  if (topologies.empty() || !ok) return false;
  for (const auto* t : topologies) {
    // error_handler replace: a non-UTF-8 byte in a string cannot make dump() throw.
    out.Open(t->name + ".ir.json")
        << TopologyToJson(*t).dump(2, ' ', false, Json::error_handler_t::replace) << "\n";
  }
  return true;
}

}  // namespace topoc::backends::json
