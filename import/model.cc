#include "import/model.h"

#include <map>
#include <set>

#include <fmt/format.h>

namespace topoc::import {

std::string ImportError::Render() const {
  if (pos.line == 0) return fmt::format("{}: error: {}", file, message);
  return fmt::format("{}:{}:{}: error: {}", file, pos.line, pos.column, message);
}

bool CheckReferences(const Topology& t, ImportError* error) {
  std::map<std::string, const Component*> by_id;
  for (const auto& c : t.components) {
    if (!by_id.emplace(c.id, &c).second) {
      *error = {t.source_file, c.pos, fmt::format("component '{}' is declared twice", c.id)};
      return false;
    }
  }
  for (const auto& c : t.components) {
    for (const auto& in : c.inputs) {
      auto it = by_id.find(in.source);
      if (it == by_id.end()) {
        std::string known;
        for (const auto& [id, _] : by_id) known += (known.empty() ? "" : ", ") + id;
        *error = {t.source_file, in.pos,
                  fmt::format("bolt '{}' subscribes to '{}', which the topology does not declare "
                              "(its components: {})", c.id, in.source, known)};
        return false;
      }
      const Component& src = *it->second;
      bool declared = false;
      for (const auto& o : src.outputs) declared = declared || o.stream == in.stream;
      if (declared) continue;
      if (src.kind == ir::Kind::kJava) {
        *error = {t.source_file, in.pos,
                  fmt::format("bolt '{}' subscribes to stream '{}' of the java {} '{}', whose streams "
                              "only its Java class declares; topoc needs them written: declare them "
                              "({}) and import again, or write its `output` in the .topo by hand",
                              c.id, in.stream, ir::RoleName(src.role), src.id,
                              t.source_file.size() > 3 && t.source_file.substr(t.source_file.size() - 3) == ".py"
                                  ? "outputs=[...] in JavaSpout.spec / JavaBolt.spec"
                                  : "^{:topoc/outputs [\"field\" ...]} before the Java object")};
        return false;
      }
      *error = {t.source_file, in.pos,
                fmt::format("bolt '{}' subscribes to stream '{}' of '{}', which '{}' does not declare",
                            c.id, in.stream, src.id, src.id)};
      return false;
    }
  }
  return true;
}

}  // namespace topoc::import
