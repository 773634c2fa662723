// The checked topology IR. Sema lowers the AST to an ir::Program; every
// backend, `topoc run` and `topoc submit` read only this. Nothing after sema
// sees ANTLR types or the AST.
//
// Ownership: Program owns Topologies, a Topology owns its Components, a
// Component owns its Streams (unique_ptr, so pointers stay stable). Input
// edges refer to their source Component and Stream with plain const
// pointers into the same Topology.
//
// Invariants once sema reports no error (backends may rely on them):
//  - component ids are unique in a topology; stream ids unique in a component;
//  - every Input has non-null source and stream, and stream->owner == source;
//  - grouping fields exist in the source stream; spouts have no inputs;
//  - parallelism >= 1; tasks, when set, >= 1.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "compiler/ir/values.h"
#include "compiler/source/source_manager.h"

namespace topoc::ir {

// Storm's default stream id.
inline constexpr std::string_view kDefaultStream = "default";

struct Component;

struct Stream {
  std::string id;                  // "default" for the default stream
  std::vector<std::string> fields;
  std::vector<Span> field_spans;   // parallel to fields
  bool direct = false;
  Span span;                       // the `output ...` statement
  const Component* owner = nullptr;
};

struct Grouping {
  using Kind = GroupingKind;
  Kind kind = Kind::kShuffle;
  std::vector<std::string> fields;     // kFields, kPartialKey
  std::string custom_class;            // kCustom: Java CustomStreamGrouping
  std::vector<JavaArg> custom_args;    // kCustom
  Span span;
};

// "shuffle", "fields", "local-or-shuffle", ... (the .topo spelling).
std::string_view GroupingKindName(Grouping::Kind kind);

struct Input {
  const Component* source = nullptr;
  const Stream* stream = nullptr;
  Grouping grouping;
  Span span;  // the whole `input ...` statement
};

enum class Kind { kPython, kShell, kJava };

std::string_view RoleName(Role role);  // "spout" / "bolt"
std::string_view KindName(Kind kind);  // "python" / "shell" / "java"

struct Component {
  std::string id;
  Role role = Role::kBolt;
  Kind kind = Kind::kPython;

  std::string python_class;                // kPython: "spouts.words.WordSpout"
  std::vector<std::string> shell_command;  // kShell: argv, e.g. {"node", "x.js"}
  std::string java_class;                  // kJava
  std::vector<JavaArg> java_args;          // kJava

  // Output streams in declaration order.
  std::vector<std::unique_ptr<Stream>> streams;
  std::vector<Input> inputs;               // in declaration order (bolts only)
  int parallelism = 1;                     // executors (Storm parallelism_hint)
  std::optional<int> tasks;                // topology.tasks when set
  std::vector<ConfigEntry> config;         // component config, declaration order

  std::string from_template;               // template name, if made from one
  Span span;                               // the whole declaration
  Span id_span;

  // The stream with this id, or nullptr.
  const Stream* FindStream(std::string_view id) const;
  // Number of tasks Storm runs: tasks if set, else parallelism.
  int TaskCount() const { return tasks.value_or(parallelism); }
};

struct Topology {
  std::string name;
  std::vector<ConfigEntry> config;               // topology config
  std::vector<std::unique_ptr<Component>> components;  // declaration order
  Span span;
  Span name_span;

  // The component with this id, or nullptr. O(1) once BuildIndex ran.
  const Component* FindComponent(std::string_view id) const;
  // (Re)builds the id index; sema calls it after adding components.
  void BuildIndex();

 private:
  std::unordered_map<std::string_view, const Component*> index_;  // first wins
  size_t indexed_count_ = SIZE_MAX;  // components.size() when index_ was built
};

struct Program {
  std::vector<std::unique_ptr<Topology>> topologies;  // file order
  const Topology* FindTopology(std::string_view name) const;
};

}  // namespace topoc::ir
