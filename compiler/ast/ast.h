// The AST of one .topo file, as written (before imports, templates and
// checks). Built by compiler/parse/ from the parse tree; read by sema.
//
// Ownership: every node is allocated in an Arena (owned by the driver's
// Compilation for as long as sema runs) and referred to with plain const
// pointers. Strings are already unescaped; every node has a byte Span.
// Nodes that a syntax error left incomplete hold empty names (sema skips
// them rather than report cascades).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "compiler/ir/values.h"
#include "compiler/source/source_manager.h"

namespace topoc::ast {

// An identifier or a quoted id.
struct Name {
  std::string text;
  Span span;
  bool empty() const { return !span.valid(); }
};

struct Node {
  virtual ~Node() = default;
};

// Owns AST nodes (and the parser state behind them); nodes live until the
// Arena dies. With set_leak(true) the Arena never frees them, like clang's
// -disable-free: a one-shot command skips the cost of freeing millions of
// small objects just before exiting.
class Arena {
 public:
  Arena() = default;
  Arena(const Arena&) = delete;
  Arena& operator=(const Arena&) = delete;
  ~Arena() {
    if (leak_) {
      for (auto& n : nodes_) (void)n.release();
    }
  }
  void set_leak(bool leak) { leak_ = leak; }

  template <class T, class... Args>
  T* Make(Args&&... args) {
    auto node = std::make_unique<T>(std::forward<Args>(args)...);
    T* raw = node.get();
    nodes_.push_back(std::move(node));
    return raw;
  }

 private:
  std::vector<std::unique_ptr<Node>> nodes_;
  bool leak_ = false;
};

// `output [direct] [NAME] (f1, ...)`. An unnamed output is the default stream.
struct Output {
  std::optional<Name> name;
  bool direct = false;
  std::vector<Name> fields;
  Span span;
};

struct Grouping {
  ir::GroupingKind kind = ir::GroupingKind::kShuffle;
  std::vector<Name> fields;          // fields, partial-key
  std::string custom_class;          // custom
  Span custom_class_span;
  std::vector<ir::JavaArg> custom_args;
  Span span;
};

// `input SOURCE[.STREAM] GROUPING`
struct Input {
  Name source;
  std::optional<Name> stream;
  Grouping grouping;
  Span span;
};

// `parallelism N` / `tasks N`
struct IntSetting {
  int64_t value = 0;
  Span span;        // whole statement
  Span value_span;
};

struct Body {
  std::vector<Output> outputs;
  std::vector<Input> inputs;
  std::vector<IntSetting> parallelism;  // more than one is an error
  std::vector<IntSetting> tasks;
  std::vector<ir::ConfigEntry> config;
  Span span;
};

// What a component or template is made of.
struct ComponentKind {
  enum class Tag { kPython, kShell, kJava, kTemplate };
  Tag tag = Tag::kPython;
  std::string python_class;          // kPython
  std::vector<std::string> shell_command;  // kShell
  std::string java_class;            // kJava
  Name template_name;                // kTemplate
  std::optional<std::vector<ir::JavaArg>> java_args;  // kJava, kTemplate (when given)
  Span class_span;                   // the class string / command list / template name
  Span span;
};

struct Template : Node {
  Name name;
  ComponentKind kind;
  Body body;
  Span span;
  FileId file = kNoFile;
};

struct Component : Node {
  ir::Role role = ir::Role::kBolt;
  Name id;
  ComponentKind kind;
  Body body;
  Span span;
};

struct Topology : Node {
  Name name;
  std::vector<ir::ConfigEntry> config;
  std::vector<const Component*> components;
  Span span;
};

struct Import {
  std::string path;
  Span span;
};

struct File : Node {
  FileId file = kNoFile;
  std::vector<Import> imports;
  std::vector<const Template*> templates;
  std::vector<const Topology*> topologies;
};

}  // namespace topoc::ast
