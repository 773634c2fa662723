// Lowering: each component, its template chain resolved, becomes an
// ir::Component (kind, streams, parallelism and tasks, config), checked on
// the way. Input edges are lowered after every component (inputs.cc).
#include <cstdint>
#include <memory>

#include <fmt/format.h>

#include "compiler/diag/diagnostic_kinds.h"
#include "compiler/sema/checker.h"
#include "compiler/sema/config_keys.h"
#include "support/edit_distance.h"

namespace topoc::sema {

using diag::DiagKind;

void Checker::LowerTopologyConfig(const ast::Topology& t, ir::Topology& topo) {
  CheckConfig(UniqueConfigEntries(t.config), topo.config);
}

std::vector<const ir::ConfigEntry*> Checker::UniqueConfigEntries(const std::vector<ir::ConfigEntry>& config) {
  std::vector<const ir::ConfigEntry*> entries;
  std::unordered_map<std::string, const ir::ConfigEntry*> keys;
  for (const ir::ConfigEntry& e : config) {
    // Storm's config is a map: a repeated key would silently keep one value.
    // The first one is checked and lowered; later ones are only reported.
    auto [it, fresh] = keys.emplace(e.key, &e);
    if (!fresh) {
      Diagnostic d = diag::Make(DiagKind::kDuplicateConfigKey, e.key_span, e.key);
      d.notes.push_back(diag::Note(it->second->key_span, "first given here"));
      Report(std::move(d));
      continue;
    }
    entries.push_back(&e);
  }
  return entries;
}

void Checker::LowerComponents(const ast::Topology& t, FileId file, ir::Topology& topo,
                              TopologyState& state) {
  state.effs.reserve(t.components.size());
  state.position.reserve(t.components.size());
  for (const ast::Component* c : t.components) {
    CheckId(c->id, "component", false);
    // A duplicate is still lowered (its body is checked too); inputs naming the
    // id resolve to the first declaration.
    auto [fit, fresh] = state.position.emplace(c->id.text, topo.components.size());
    if (!fresh) {
      Diagnostic d = diag::Make(DiagKind::kDuplicateComponent, c->id.span, c->id.text);
      d.notes.push_back(diag::Note(t.components[fit->second]->id.span,
                                   fmt::format("'{}' first declared here", c->id.text)));
      Report(std::move(d));
    }
    Effective eff = Resolve(*c, file);
    auto comp = std::make_unique<ir::Component>();
    comp->id = c->id.text;
    comp->role = c->role;
    comp->span = c->span;
    comp->id_span = c->id.span;
    comp->from_template = eff.from_template;
    // !eff.ok: the template chain is broken (reported by Resolve); its kind
    // is unknown, so no class or command is checked and no cascade follows.
    if (eff.ok) LowerKind(eff, *comp);
    LowerStreams(eff, *comp);
    LowerSettings(eff, *comp);
    CheckConfig(eff.config, comp->config);
    CheckRole(*c, eff);
    topo.components.push_back(std::move(comp));
    state.effs.push_back(std::move(eff));
  }
}

void Checker::LowerKind(const Effective& eff, ir::Component& comp) {
  using Tag = ast::ComponentKind::Tag;
  switch (eff.tag) {
    case Tag::kPython:
      comp.kind = ir::Kind::kPython;
      comp.python_class = eff.python_class;
      if (!IsPythonClassPath(eff.python_class)) {
        Diagnostic d = diag::Make(DiagKind::kInvalidPythonClass, eff.class_span, eff.python_class);
        d.notes.push_back(diag::Help("write the module path and the class, e.g. \"spouts.words.WordSpout\""));
        Report(std::move(d));
      } else if (options_.python) {
        CheckPythonClass(eff.python_class, eff.class_span);
      }
      break;
    case Tag::kShell:
      comp.kind = ir::Kind::kShell;
      comp.shell_command = eff.shell_command;
      if (eff.shell_command.empty() || eff.shell_command[0].empty()) {
        Report(diag::Make(DiagKind::kEmptyShellCommand, eff.class_span));
      }
      break;
    case Tag::kJava:
    // kTemplate never gets here (Resolve follows the chain to a python,
    // shell or java kind, or fails); listed so the switch stays complete.
    case Tag::kTemplate:
      comp.kind = ir::Kind::kJava;
      comp.java_class = eff.java_class;
      comp.java_args = eff.java_args;
      if (eff.java_class.empty()) Report(diag::Make(DiagKind::kEmptyClassName, eff.class_span, "java"));
      break;
  }
}

void Checker::LowerStreams(const Effective& eff, ir::Component& comp) {
  for (const ast::Output* o : eff.outputs) {
    auto s = std::make_unique<ir::Stream>();
    s->id = o->name ? o->name->text : std::string(ir::kDefaultStream);
    if (o->name) CheckId(*o->name, "stream", true);
    s->direct = o->direct;
    s->span = o->span;
    s->owner = &comp;
    NameIndex<const ast::Name*> fields;
    for (const ast::Name& f : o->fields) {
      if (f.text.empty()) {
        Report(diag::Make(DiagKind::kEmptyId, f.span, "field"));
        continue;
      }
      const ast::Name* first = fields.Insert(f.text, &f);
      if (first != &f) {
        Diagnostic d = diag::Make(DiagKind::kDuplicateField, f.span, f.text, s->id);
        d.notes.push_back(diag::Note(first->span, fmt::format("'{}' first declared here", f.text)));
        Report(std::move(d));
        continue;
      }
      s->fields.push_back(f.text);
      s->field_spans.push_back(f.span);
    }
    comp.streams.push_back(std::move(s));
  }
}

// Parallelism and tasks.
void Checker::LowerSettings(const Effective& eff, ir::Component& comp) {
  if (eff.parallelism) {
    if (auto v = CheckCount(*eff.parallelism, DiagKind::kParallelismBelowOne, "parallelism")) comp.parallelism = *v;
  }
  if (eff.tasks) {
    comp.tasks = CheckCount(*eff.tasks, DiagKind::kTasksBelowOne, "tasks");
    // Storm runs min(tasks, parallelism) executors: fewer tasks than
    // executors is legal but wastes the extra ones, hence a warning.
    if (comp.tasks && eff.parallelism && comp.tasks < comp.parallelism) {
      Diagnostic d = diag::Make(DiagKind::kTasksBelowParallelism, eff.tasks->value_span, *comp.tasks,
                                comp.parallelism);
      d.notes.push_back(diag::Note(eff.parallelism->span, "parallelism set here"));
      Report(std::move(d));
    }
  }
}

// A count (parallelism, tasks): its value when in [1, INT32_MAX].
std::optional<int> Checker::CheckCount(const ast::IntSetting& setting, DiagKind below_one, const char* what) {
  int64_t v = setting.value;
  if (v < 1) {
    Report(diag::Make(below_one, setting.value_span, v));
    return std::nullopt;
  }
  // Storm's parallelism_hint and topology.tasks are Java ints.
  if (v > INT32_MAX) {
    Report(diag::Make(DiagKind::kNumberOutOfRange, setting.value_span, v, what));
    return std::nullopt;
  }
  return static_cast<int>(v);
}

void Checker::CheckRole(const ast::Component& c, const Effective& eff) {
  if (c.role == ir::Role::kSpout && !eff.inputs.empty()) {
    Diagnostic d = diag::Make(DiagKind::kSpoutWithInputs, eff.inputs[0]->span, c.id.text);
    d.notes.push_back(diag::Note(c.id.span, fmt::format("'{}' is declared a spout here", c.id.text)));
    d.notes.push_back(diag::Help("spouts produce tuples; declare it a `bolt` to consume streams"));
    Report(std::move(d));
  }
  // With a broken template chain its inputs may be in the part that failed.
  if (c.role == ir::Role::kBolt && eff.inputs.empty() && eff.ok) {
    Diagnostic d = diag::Make(DiagKind::kBoltWithoutInputs, c.id.span, c.id.text);
    d.notes.push_back(diag::Help("add `input SOURCE GROUPING`, e.g. `input word-spout shuffle`"));
    Report(std::move(d));
  }
}

void Checker::CheckConfig(const std::vector<const ir::ConfigEntry*>& entries,
                          std::vector<ir::ConfigEntry>& out) {
  for (const ir::ConfigEntry* e : entries) {
    // Kept even when wrong: the IR is used only when there were no errors,
    // and later checks see the config as written.
    out.push_back(*e);
    if (e->key.empty()) {
      Report(diag::Make(DiagKind::kEmptyConfigKey, e->key_span));
      continue;
    }
    const ConfigKeyInfo* info = FindConfigKey(e->key);
    if (info) {
      if (auto expected = CheckConfigValue(*info, e->value)) {
        Diagnostic d = diag::Make(DiagKind::kConfigTypeMismatch, e->value_span, e->key, *expected,
                                  DescribeValue(e->value));
        Report(std::move(d));
      }
      continue;
    }
    // Unknown topology.* keys are warned about (a typo Storm would ignore);
    // other keys are the user's own, unless one is close to a Storm key.
    // Suggestions are capped per topology: edit distance against every
    // known key is slow on a file with thousands of user keys.
    bool storm_key = e->key.rfind("topology.", 0) == 0;
    std::optional<std::string> near;
    if (suggestions_left_ > 0) near = support::SuggestName(e->key, KnownConfigKeys());
    if (!storm_key && !near) continue;  // a user key: Storm passes it through
    Diagnostic d = diag::Make(DiagKind::kUnknownTopologyKey, e->key_span, e->key);
    Suggest(d, e->key, e->key_span, KnownConfigKeys());
    Report(std::move(d));
  }
}

}  // namespace topoc::sema
