#include "compiler/ir/ir.h"

namespace topoc::ir {

std::string_view GroupingKindName(Grouping::Kind kind) {
  switch (kind) {
    case Grouping::Kind::kShuffle: return "shuffle";
    case Grouping::Kind::kFields: return "fields";
    case Grouping::Kind::kAll: return "all";
    case Grouping::Kind::kGlobal: return "global";
    case Grouping::Kind::kNone: return "none";
    case Grouping::Kind::kDirect: return "direct";
    case Grouping::Kind::kLocalOrShuffle: return "local-or-shuffle";
    case Grouping::Kind::kPartialKey: return "partial-key";
    case Grouping::Kind::kCustom: return "custom";
  }
  return "?";
}

std::string_view RoleName(Role role) { return role == Role::kSpout ? "spout" : "bolt"; }

std::string_view KindName(Kind kind) {
  switch (kind) {
    case Kind::kPython: return "python";
    case Kind::kShell: return "shell";
    case Kind::kJava: return "java";
  }
  return "?";
}

const Stream* Component::FindStream(std::string_view id) const {
  for (const auto& s : streams) {
    if (s->id == id) return s.get();
  }
  return nullptr;
}

const Component* Topology::FindComponent(std::string_view id) const {
  // The index is used only while no component was added since BuildIndex;
  // sema builds it once all are lowered, a hand-built IR may never.
  if (indexed_count_ == components.size()) {
    auto it = index_.find(id);
    return it == index_.end() ? nullptr : it->second;
  }
  for (const auto& c : components) {
    if (c->id == id) return c.get();
  }
  return nullptr;
}

void Topology::BuildIndex() {
  index_.clear();
  index_.reserve(components.size());
  // emplace keeps the first of duplicate ids, as the linear scan does.
  for (const auto& c : components) index_.emplace(c->id, c.get());
  indexed_count_ = components.size();
}

const Topology* Program::FindTopology(std::string_view name) const {
  for (const auto& t : topologies) {
    if (t->name == name) return t.get();
  }
  return nullptr;
}

}  // namespace topoc::ir
