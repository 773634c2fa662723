// What `topoc import` reads out of a Clojure or streamparse Python topology
// file before writing it as .topo: a plain description of one topology, with
// the source positions of its parts for messages. Both front ends
// (clojure_import.h, python_import.h) produce it; topo_writer.h prints it.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "compiler/ir/ir.h"
#include "import/clojure_reader.h"

namespace topoc::import {

// A problem in the file being imported, at file:line:column (line 0: the
// whole file).
struct ImportError {
  std::string file;
  Pos pos{0, 0};
  std::string message;
  // "file:line:col: error: message" (or "file: error: message").
  std::string Render() const;
};

struct Output {
  std::string stream = std::string(ir::kDefaultStream);
  std::vector<std::string> fields;
  bool direct = false;
};

struct Input {
  std::string source;
  std::string stream = std::string(ir::kDefaultStream);
  ir::Grouping grouping;  // spans unused
  Pos pos{0, 0};
};

struct Component {
  std::string id;
  ir::Role role = ir::Role::kSpout;
  ir::Kind kind = ir::Kind::kPython;
  std::string python_class;                // kPython
  std::vector<std::string> shell_command;  // kShell
  std::string java_class;                  // kJava
  std::vector<ir::JavaArg> java_args;      // kJava
  std::vector<Output> outputs;
  std::vector<Input> inputs;
  int parallelism = 1;
  std::optional<int> tasks;
  ir::Value config = ir::Value::object();  // component config (without topology.tasks)
  Pos pos{0, 0};
};

struct Topology {
  std::string name;
  std::string source_file;                 // as given on the command line
  ir::Value config = ir::Value::object();  // topology config
  std::vector<Component> components;       // spouts first, then bolts, each in file order
};

// Checks what the .topo language would refuse in a way the user should
// hear about in terms of the imported file (an input naming a component
// that does not exist, a stream the source does not declare, a java spout
// whose streams only its Java class knows). Returns false with `error`.
bool CheckReferences(const Topology& topology, ImportError* error);

}  // namespace topoc::import
