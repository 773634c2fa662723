// The checker behind CheckProgram (sema.h), internal to compiler/sema/.
// One Checker runs over a whole program; CheckTopology (sema.cc) is a short
// driver of named steps, each in the file of its concern:
//   templates.cc       Resolve: a component's template chain, merged
//   lower.cc           lowering a component (kind, streams, settings,
//                      config) to an ir::Component
//   inputs.cc          input edges and their groupings; the flow rules
//   python_classes.cc  python class paths and the classes under src/
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "compiler/ast/ast.h"
#include "compiler/diag/diagnostic.h"
#include "compiler/diag/diagnostic_kinds.h"
#include "compiler/ir/ir.h"
#include "compiler/sema/sema.h"
#include "compiler/source/source_manager.h"

namespace topoc::sema {

inline constexpr int kMaxSuggestionsPerTopology = 200;

// A component after its template chain is resolved and its layers merged.
struct Effective {
  bool ok = false;  // kind resolved
  ast::ComponentKind::Tag tag = ast::ComponentKind::Tag::kPython;
  std::string python_class;
  std::vector<std::string> shell_command;
  std::string java_class;
  std::vector<ir::JavaArg> java_args;
  Span class_span;
  std::string from_template;
  std::vector<const ast::Output*> outputs;
  std::vector<const ast::Input*> inputs;
  const ast::IntSetting* parallelism = nullptr;
  const ast::IntSetting* tasks = nullptr;
  std::vector<const ir::ConfigEntry*> config;
};

// What the steps of one topology hand on to the next.
struct TopologyState {
  std::vector<Effective> effs;  // parallel to ir::Topology::components
  // Component id -> position of its first declaration (in the AST's and the
  // IR's components alike): duplicates, and the sources of inputs.
  std::unordered_map<std::string_view, size_t> position;
  std::vector<std::vector<size_t>> consumers;     // by position: who subscribes
  std::unordered_set<const ir::Stream*> consumed;
};

// Names -> values for the short lists of one declaration (a stream's
// fields): a linear scan while short, a hash map past that, so lists stay
// cheap to build and long ones linear to check.
template <class T>
class NameIndex {
 public:
  // Adds `name` unless present; returns the value it maps to (`value` when
  // it was new).
  T Insert(std::string_view name, T value) {
    if (const T* found = Lookup(name)) return *found;
    if (map_.empty() && list_.size() < kLinear) {
      list_.emplace_back(name, value);
    } else {
      if (map_.empty()) map_.insert(list_.begin(), list_.end());
      map_.emplace(name, value);
    }
    return value;
  }
  // The value of `name`, or T{} when absent.
  T Find(std::string_view name) const {
    const T* found = Lookup(name);
    return found ? *found : T{};
  }

 private:
  static constexpr size_t kLinear = 16;
  const T* Lookup(std::string_view name) const {
    if (!map_.empty()) {
      auto it = map_.find(name);
      return it == map_.end() ? nullptr : &it->second;
    }
    for (const auto& [n, v] : list_) {
      if (n == name) return &v;
    }
    return nullptr;
  }
  std::vector<std::pair<std::string_view, T>> list_;
  std::unordered_map<std::string_view, T> map_;
};

class Checker {
 public:
  Checker(const ScopeOf& scopes, const SourceManager& sources, const SemaOptions& options,
          DiagnosticEngine& diags)
      : scopes_(scopes), sources_(sources), options_(options), diags_(diags) {}

  void CheckFile(const ast::File* file, ir::Program& program,
                 std::unordered_map<std::string, const ir::Topology*>& seen_topologies);

 private:
  void Report(Diagnostic d) { diags_.Report(std::move(d)); }
  // "did you mean" as a help child replacing `span` (quoted when the
  // source wrote a quoted id).
  void Suggest(Diagnostic& d, std::string_view name, Span span,
               const std::vector<std::string_view>& candidates);
  void CheckId(const ast::Name& name, std::string_view what, bool is_stream);
  void CheckTopology(const ast::Topology& t, FileId file, ir::Topology& topo);

  // templates.cc
  Effective Resolve(const ast::Component& c, FileId file);
  void Merge(const ast::Body& body, Effective& eff, std::unordered_map<std::string, size_t>& output_index,
             std::unordered_map<std::string, size_t>& config_index);

  // lower.cc
  void LowerTopologyConfig(const ast::Topology& t, ir::Topology& topo);
  // The entries of one config block, the first of each key (later ones
  // are reported).
  std::vector<const ir::ConfigEntry*> UniqueConfigEntries(const std::vector<ir::ConfigEntry>& config);
  void LowerComponents(const ast::Topology& t, FileId file, ir::Topology& topo, TopologyState& state);
  void LowerKind(const Effective& eff, ir::Component& comp);
  void LowerStreams(const Effective& eff, ir::Component& comp);
  void LowerSettings(const Effective& eff, ir::Component& comp);
  std::optional<int> CheckCount(const ast::IntSetting& setting, diag::DiagKind below_one, const char* what);
  void CheckRole(const ast::Component& c, const Effective& eff);
  void CheckConfig(const std::vector<const ir::ConfigEntry*>& entries, std::vector<ir::ConfigEntry>& out);

  // inputs.cc
  void CheckInputs(ir::Topology& topo, TopologyState& state);
  bool LowerGrouping(const ast::Input& in, const ir::Component& source, const ir::Stream& stream,
                     ir::Input& edge);
  bool CheckHasSpout(const ast::Topology& t, const ir::Topology& topo);
  void CheckFlow(const ir::Topology& topo, const TopologyState& state);

  // python_classes.cc
  void CheckPythonClass(const std::string& cls, Span span);

  const ScopeOf& scopes_;
  const SourceManager& sources_;
  const SemaOptions& options_;
  DiagnosticEngine& diags_;
  int suggestions_left_ = kMaxSuggestionsPerTopology;
  std::unordered_set<const ast::Template*> reported_cycles_;
  // python module -> its text (nullopt: missing)
  std::unordered_map<std::string, std::optional<std::string>> modules_;
};

}  // namespace topoc::sema
