// Checked IRs built directly in C++, for backend tests and the build
// benchmark. They satisfy every ir.h invariant (what sema guarantees).
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "compiler/ir/ir.h"

namespace topoc::backends::testing {

// A small builder: add components, then streams and inputs by id.
class TopologyBuilder {
 public:
  explicit TopologyBuilder(std::string name);

  ir::Component& Python(std::string id, ir::Role role, std::string python_class);
  ir::Component& Shell(std::string id, ir::Role role, std::vector<std::string> command);
  ir::Component& Java(std::string id, ir::Role role, std::string java_class,
                      std::vector<ir::JavaArg> args = {});
  // Adds an output stream to component `id`.
  void Output(std::string_view id, std::string stream, std::vector<std::string> fields,
              bool direct = false);
  // Subscribes `bolt` to `source`.`stream` (the stream must exist already).
  void Input(std::string_view bolt, std::string_view source, std::string_view stream,
             ir::Grouping grouping);
  void Config(std::string key, ir::Value value);

  std::unique_ptr<ir::Topology> Finish();

 private:
  ir::Component& Add(std::string id, ir::Role role, ir::Kind kind);
  ir::Component& Get(std::string_view id);
  std::unique_ptr<ir::Topology> topology_;
  std::unordered_map<std::string, ir::Component*> by_id_;
};

ir::Grouping Group(ir::Grouping::Kind kind, std::vector<std::string> fields = {});
ir::JavaArg IntArg(int32_t v);
ir::JavaArg LongArg(int64_t v);
ir::JavaArg DoubleArg(double v);
ir::JavaArg StringArg(std::string v);
ir::JavaArg BoolArg(bool v);

// The seed's wordcount (language.md, first example).
std::unique_ptr<ir::Program> MakeWordcount();
// The seed's sentences example (language.md, second example).
std::unique_ptr<ir::Program> MakeSentences();
// Every grouping, default/named/direct streams, python/shell/java kinds,
// java args of every type, config values of every type, tasks, and a second
// topology in the same program.
std::unique_ptr<ir::Program> MakeEveryFeature();
// One spout and n-1 python bolts; bolt i reads bolt (i-1)/2 (a binary tree),
// alternating shuffle and fields groupings. For benchmarks.
std::unique_ptr<ir::Program> MakeGenerated(int n);

}  // namespace topoc::backends::testing
