#include "compiler/sema/sema.h"

#include <deque>
#include <fstream>
#include <sstream>
#include <unordered_set>

#include <fmt/format.h>

#include "compiler/diag/diagnostic_kinds.h"
#include "compiler/sema/config_keys.h"
#include "compiler/sema/edit_distance.h"

namespace topoc::sema {

namespace fs = std::filesystem;
using diag::DiagKind;

bool IsValidTopologyName(std::string_view name, std::string* why) {
  if (name.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    *why = "it must not be empty or blank";
    return false;
  }
  for (char c : name) {
    if (c == '/' || c == '.' || c == ':' || c == '\\') {
      *why = fmt::format("Storm refuses names containing '{}'", c);
      return false;
    }
  }
  return true;
}

bool IsPythonClassPath(std::string_view cls) {
  size_t parts = 0;
  size_t i = 0;
  while (true) {
    size_t dot = cls.find('.', i);
    std::string_view part = cls.substr(i, dot == std::string_view::npos ? std::string_view::npos : dot - i);
    if (part.empty()) return false;
    auto c0 = static_cast<unsigned char>(part[0]);
    if (!(std::isalpha(c0) || c0 == '_')) return false;
    for (unsigned char c : part) {
      if (!(std::isalnum(c) || c == '_')) return false;
    }
    ++parts;
    if (dot == std::string_view::npos) break;
    i = dot + 1;
  }
  return parts >= 2;
}

namespace {

constexpr int kMaxSuggestionsPerTopology = 200;

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

std::string FieldList(const std::vector<std::string>& fields) {
  std::string out = "(";
  for (size_t i = 0; i < fields.size(); ++i) out += (i ? ", " : "") + fields[i];
  return out + ")";
}

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
               const std::vector<std::string_view>& candidates) {
    if (suggestions_left_ <= 0) return;
    --suggestions_left_;
    auto s = SuggestName(name, candidates);
    if (!s) return;
    std::string replacement = *s;
    std::string_view text = sources_.Text(span);
    if (!text.empty() && text[0] == '"') replacement = "\"" + replacement + "\"";
    d.notes.push_back(diag::Help(fmt::format("did you mean '{}'?", *s), span, replacement));
  }

  Effective Resolve(const ast::Component& c, FileId file);
  void Merge(const ast::Body& body, Effective& eff, std::unordered_map<std::string, size_t>& output_index,
             std::unordered_map<std::string, size_t>& config_index);
  void CheckConfig(const std::vector<const ir::ConfigEntry*>& entries, std::vector<ir::ConfigEntry>& out);
  void CheckId(const ast::Name& name, std::string_view what, bool is_stream);
  void CheckPythonClass(const std::string& cls, Span span);
  void CheckTopology(const ast::Topology& t, FileId file, ir::Topology& topo);

  const ScopeOf& scopes_;
  const SourceManager& sources_;
  const SemaOptions& options_;
  DiagnosticEngine& diags_;
  int suggestions_left_ = kMaxSuggestionsPerTopology;
  std::unordered_set<const ast::Template*> reported_cycles_;
  // python module -> its text (nullopt: missing)
  std::unordered_map<std::string, std::optional<std::string>> modules_;
  std::unordered_set<std::string> checked_classes_;
};

Effective Checker::Resolve(const ast::Component& c, FileId file) {
  using Tag = ast::ComponentKind::Tag;
  Effective eff;
  std::vector<const ast::Body*> layers;  // outermost (the component) first
  layers.push_back(&c.body);
  const ast::ComponentKind* kind = &c.kind;
  FileId scope_file = file;
  std::optional<std::vector<ir::JavaArg>> use_args;
  Span args_span;
  std::string first_template;
  std::unordered_set<const ast::Template*> chain;
  while (kind->tag == Tag::kTemplate) {
    if (!use_args && kind->java_args) {
      use_args = kind->java_args;
      args_span = kind->span;
    }
    auto sit = scopes_.find(scope_file);
    const ast::Template* t = nullptr;
    if (sit != scopes_.end()) {
      auto it = sit->second->find(kind->template_name.text);
      if (it != sit->second->end()) t = it->second;
    }
    if (!t) {
      Diagnostic d = diag::Make(DiagKind::kUnknownTemplate, kind->template_name.span, kind->template_name.text);
      if (sit != scopes_.end()) {
        std::vector<std::string_view> names;
        for (const auto& [n, tp] : *sit->second) names.push_back(n);
        std::sort(names.begin(), names.end());
        Suggest(d, kind->template_name.text, kind->template_name.span, names);
      }
      if (sit == scopes_.end() || sit->second->empty()) {
        d.notes.push_back(diag::Help("templates come from `template` declarations in this file or in an imported file"));
      }
      Report(std::move(d));
      return eff;
    }
    if (!chain.insert(t).second) {
      if (reported_cycles_.insert(t).second) {
        Report(diag::Make(DiagKind::kTemplateCycle, t->name.span, t->name.text));
      }
      return eff;
    }
    if (first_template.empty()) first_template = t->name.text;
    layers.push_back(&t->body);
    kind = &t->kind;
    scope_file = t->file;
  }
  eff.ok = true;
  eff.tag = kind->tag;
  eff.python_class = kind->python_class;
  eff.shell_command = kind->shell_command;
  eff.java_class = kind->java_class;
  eff.class_span = kind->class_span;
  eff.from_template = first_template;
  if (kind->tag == Tag::kJava) {
    eff.java_args = use_args ? *use_args : kind->java_args.value_or(std::vector<ir::JavaArg>{});
  } else if (use_args) {
    const char* kname = kind->tag == Tag::kPython ? "python" : "shell";
    Report(diag::Make(DiagKind::kTemplateArgsNotJava, args_span, first_template, kname));
  }
  // Merge from the deepest template outwards, so later layers override.
  std::unordered_map<std::string, size_t> output_index, config_index;
  for (auto it = layers.rbegin(); it != layers.rend(); ++it) Merge(**it, eff, output_index, config_index);
  return eff;
}

void Checker::Merge(const ast::Body& body, Effective& eff,
                    std::unordered_map<std::string, size_t>& output_index,
                    std::unordered_map<std::string, size_t>& config_index) {
  std::unordered_map<std::string, const ast::Output*> layer_outputs;
  for (const ast::Output& o : body.outputs) {
    std::string id = o.name ? o.name->text : std::string(ir::kDefaultStream);
    auto [lit, fresh] = layer_outputs.emplace(id, &o);
    if (!fresh) {
      Diagnostic d = diag::Make(DiagKind::kDuplicateStream, o.name ? o.name->span : o.span, id,
                                "this component");
      d.notes.push_back(diag::Note(lit->second->span, fmt::format("stream '{}' first declared here", id)));
      Report(std::move(d));
      continue;
    }
    auto it = output_index.find(id);
    if (it != output_index.end()) {
      eff.outputs[it->second] = &o;  // overrides the template's stream
    } else {
      output_index.emplace(id, eff.outputs.size());
      eff.outputs.push_back(&o);
    }
  }
  for (const ast::Input& in : body.inputs) eff.inputs.push_back(&in);
  auto setting = [&](const std::vector<ast::IntSetting>& v, const ast::IntSetting*& slot, const char* what) {
    for (size_t i = 0; i < v.size(); ++i) {
      if (i > 0) {
        Diagnostic d = diag::Make(DiagKind::kDuplicateSetting, v[i].span, what);
        d.notes.push_back(diag::Note(v[0].span, "first set here"));
        Report(std::move(d));
        continue;
      }
      slot = &v[i];
    }
  };
  setting(body.parallelism, eff.parallelism, "parallelism");
  setting(body.tasks, eff.tasks, "tasks");
  std::unordered_map<std::string, const ir::ConfigEntry*> layer_keys;
  for (const ir::ConfigEntry& e : body.config) {
    auto [lit, fresh] = layer_keys.emplace(e.key, &e);
    if (!fresh) {
      Diagnostic d = diag::Make(DiagKind::kDuplicateConfigKey, e.key_span, e.key);
      d.notes.push_back(diag::Note(lit->second->key_span, "first given here"));
      Report(std::move(d));
      continue;
    }
    auto it = config_index.find(e.key);
    if (it != config_index.end()) {
      eff.config[it->second] = &e;
    } else {
      config_index.emplace(e.key, eff.config.size());
      eff.config.push_back(&e);
    }
  }
}

void Checker::CheckConfig(const std::vector<const ir::ConfigEntry*>& entries,
                          std::vector<ir::ConfigEntry>& out) {
  for (const ir::ConfigEntry* e : entries) {
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
    bool storm_key = e->key.rfind("topology.", 0) == 0;
    std::optional<std::string> near;
    if (suggestions_left_ > 0) near = SuggestName(e->key, KnownConfigKeys());
    if (!storm_key && !near) continue;  // a user key: Storm passes it through
    Diagnostic d = diag::Make(DiagKind::kUnknownTopologyKey, e->key_span, e->key);
    Suggest(d, e->key, e->key_span, KnownConfigKeys());
    Report(std::move(d));
  }
}

void Checker::CheckId(const ast::Name& name, std::string_view what, bool is_stream) {
  if (name.text.empty()) {
    Report(diag::Make(DiagKind::kEmptyId, name.span, what));
    return;
  }
  if (name.text.rfind("__", 0) == 0) {
    Report(diag::Make(is_stream ? DiagKind::kReservedStreamId : DiagKind::kReservedComponentId,
                      name.span, name.text));
    return;
  }
  if (name.text.find('.') != std::string::npos) {
    Report(diag::Make(DiagKind::kDotInId, name.span, what, name.text));
  }
}

void Checker::CheckPythonClass(const std::string& cls, Span span) {
  size_t dot = cls.rfind('.');
  std::string module = cls.substr(0, dot);
  std::string klass = cls.substr(dot + 1);
  auto it = modules_.find(module);
  if (it == modules_.end()) {
    std::string rel = module;
    std::replace(rel.begin(), rel.end(), '.', '/');
    std::optional<std::string> text;
    for (const fs::path& p : {*options_.python_src / (rel + ".py"), *options_.python_src / rel / "__init__.py"}) {
      std::string contents, error;
      if (ReadSourceFile(p, &contents, &error)) {
        text = std::move(contents);
        break;
      }
    }
    it = modules_.emplace(module, std::move(text)).first;
  }
  if (!it->second) {
    Diagnostic d = diag::Make(DiagKind::kPythonModuleMissing, span, module, options_.python_src->string());
    std::string rel = module;
    std::replace(rel.begin(), rel.end(), '.', '/');
    d.notes.push_back(diag::Help(fmt::format("expected {}.py or {}/__init__.py under {}", rel, rel,
                                             options_.python_src->string())));
    Report(std::move(d));
    return;
  }
  // A line `class Name` followed by '(' or ':' (any indentation).
  const std::string& text = *it->second;
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    size_t i = line.find_first_not_of(" \t");
    if (i == std::string::npos || line.compare(i, 6, "class ") != 0) continue;
    i = line.find_first_not_of(" \t", i + 6);
    if (i == std::string::npos || line.compare(i, klass.size(), klass) != 0) continue;
    size_t after = i + klass.size();
    if (after == line.size() || line[after] == '(' || line[after] == ':' || line[after] == ' ') return;
  }
  Report(diag::Make(DiagKind::kPythonClassMissing, span, module, klass));
}

void Checker::CheckTopology(const ast::Topology& t, FileId file, ir::Topology& topo) {
  suggestions_left_ = kMaxSuggestionsPerTopology;
  size_t errors_before_topology = diags_.ErrorCount();
  // Topology config.
  {
    std::vector<const ir::ConfigEntry*> entries;
    std::unordered_map<std::string, const ir::ConfigEntry*> keys;
    for (const ir::ConfigEntry& e : t.config) {
      auto [it, fresh] = keys.emplace(e.key, &e);
      if (!fresh) {
        Diagnostic d = diag::Make(DiagKind::kDuplicateConfigKey, e.key_span, e.key);
        d.notes.push_back(diag::Note(it->second->key_span, "first given here"));
        Report(std::move(d));
        continue;
      }
      entries.push_back(&e);
    }
    CheckConfig(entries, topo.config);
  }

  // Components.
  std::vector<Effective> effs;
  effs.reserve(t.components.size());
  // Component id -> position of its first declaration (in t.components and
  // topo.components alike): duplicates, and the sources of inputs.
  std::unordered_map<std::string_view, size_t> position;
  position.reserve(t.components.size());
  for (const ast::Component* c : t.components) {
    CheckId(c->id, "component", false);
    auto [fit, fresh] = position.emplace(c->id.text, topo.components.size());
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
    if (eff.ok) {
      using Tag = ast::ComponentKind::Tag;
      switch (eff.tag) {
        case Tag::kPython:
          comp->kind = ir::Kind::kPython;
          comp->python_class = eff.python_class;
          if (!IsPythonClassPath(eff.python_class)) {
            Diagnostic d = diag::Make(DiagKind::kInvalidPythonClass, eff.class_span, eff.python_class);
            d.notes.push_back(diag::Help("write the module path and the class, e.g. \"spouts.words.WordSpout\""));
            Report(std::move(d));
          } else if (options_.python_src) {
            CheckPythonClass(eff.python_class, eff.class_span);
          }
          break;
        case Tag::kShell:
          comp->kind = ir::Kind::kShell;
          comp->shell_command = eff.shell_command;
          if (eff.shell_command.empty() || eff.shell_command[0].empty()) {
            Report(diag::Make(DiagKind::kEmptyShellCommand, eff.class_span));
          }
          break;
        case Tag::kJava:
        case Tag::kTemplate:
          comp->kind = ir::Kind::kJava;
          comp->java_class = eff.java_class;
          comp->java_args = eff.java_args;
          if (eff.java_class.empty()) Report(diag::Make(DiagKind::kEmptyClassName, eff.class_span, "java"));
          break;
      }
    }
    // Streams.
    for (const ast::Output* o : eff.outputs) {
      auto s = std::make_unique<ir::Stream>();
      s->id = o->name ? o->name->text : std::string(ir::kDefaultStream);
      if (o->name) CheckId(*o->name, "stream", true);
      s->direct = o->direct;
      s->span = o->span;
      s->owner = comp.get();
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
      comp->streams.push_back(std::move(s));
    }
    // Parallelism and tasks.
    if (eff.parallelism) {
      int64_t v = eff.parallelism->value;
      if (v < 1) {
        Report(diag::Make(DiagKind::kParallelismBelowOne, eff.parallelism->value_span, v));
      } else if (v > INT32_MAX) {
        Report(diag::Make(DiagKind::kNumberOutOfRange, eff.parallelism->value_span, v, "parallelism"));
      } else {
        comp->parallelism = static_cast<int>(v);
      }
    }
    if (eff.tasks) {
      int64_t v = eff.tasks->value;
      if (v < 1) {
        Report(diag::Make(DiagKind::kTasksBelowOne, eff.tasks->value_span, v));
      } else if (v > INT32_MAX) {
        Report(diag::Make(DiagKind::kNumberOutOfRange, eff.tasks->value_span, v, "tasks"));
      } else {
        comp->tasks = static_cast<int>(v);
        if (eff.parallelism && comp->tasks < comp->parallelism) {
          Diagnostic d = diag::Make(DiagKind::kTasksBelowParallelism, eff.tasks->value_span, *comp->tasks,
                                    comp->parallelism);
          d.notes.push_back(diag::Note(eff.parallelism->span, "parallelism set here"));
          Report(std::move(d));
        }
      }
    }
    CheckConfig(eff.config, comp->config);
    // Role rules.
    if (c->role == ir::Role::kSpout && !eff.inputs.empty()) {
      Diagnostic d = diag::Make(DiagKind::kSpoutWithInputs, eff.inputs[0]->span, c->id.text);
      d.notes.push_back(diag::Note(c->id.span, fmt::format("'{}' is declared a spout here", c->id.text)));
      d.notes.push_back(diag::Help("spouts produce tuples; declare it a `bolt` to consume streams"));
      Report(std::move(d));
    }
    if (c->role == ir::Role::kBolt && eff.inputs.empty() && eff.ok) {
      Diagnostic d = diag::Make(DiagKind::kBoltWithoutInputs, c->id.span, c->id.text);
      d.notes.push_back(diag::Help("add `input SOURCE GROUPING`, e.g. `input word-spout shuffle`"));
      Report(std::move(d));
    }
    topo.components.push_back(std::move(comp));
    effs.push_back(std::move(eff));
  }
  topo.BuildIndex();

  // Inputs (may name components declared later).
  std::vector<std::string_view> component_names;
  auto names = [&]() -> const std::vector<std::string_view>& {
    if (component_names.empty()) {
      for (const auto& c : topo.components) component_names.push_back(c->id);
    }
    return component_names;
  };
  std::vector<std::vector<size_t>> consumers(topo.components.size());
  std::unordered_set<const ir::Stream*> consumed;
  consumed.reserve(topo.components.size() * 2);
  size_t errors_before_inputs = diags_.ErrorCount();
  for (size_t i = 0; i < topo.components.size(); ++i) {
    ir::Component& comp = *topo.components[i];
    if (comp.role == ir::Role::kSpout) continue;  // reported above
    std::unordered_map<const ir::Stream*, const ast::Input*> subscribed;
    for (const ast::Input* in : effs[i].inputs) {
      auto found = position.find(in->source.text);
      if (found == position.end()) {
        Diagnostic d = diag::Make(DiagKind::kUnknownComponent, in->source.span, in->source.text);
        Suggest(d, in->source.text, in->source.span, names());
        Report(std::move(d));
        continue;
      }
      size_t si = found->second;
      const ir::Component* source = topo.components[si].get();
      if (!effs[si].ok) continue;  // its kind failed: no cascades
      std::string stream_id = in->stream ? in->stream->text : std::string(ir::kDefaultStream);
      const ir::Stream* stream = source->FindStream(stream_id);
      if (!stream) {
        Span at = in->stream ? in->stream->span : in->source.span;
        Diagnostic d = diag::Make(DiagKind::kUnknownStream, at, source->id, stream_id);
        std::vector<std::string_view> ids;
        std::string list;
        for (const auto& s : source->streams) {
          ids.push_back(s->id);
          list += (list.empty() ? "'" : ", '") + s->id + "'";
        }
        d.notes.push_back(diag::Note(source->id_span, list.empty()
            ? fmt::format("'{}' declares no streams", source->id)
            : fmt::format("'{}' declares stream{} {} here", source->id, ids.size() == 1 ? "" : "s", list)));
        if (in->stream) {
          Suggest(d, stream_id, in->stream->span, ids);
        } else if (!ids.empty() && ids.size() == 1) {
          d.notes.push_back(diag::Help(fmt::format("subscribe to it by name: `input {}.{} ...`", source->id, ids[0])));
        }
        Report(std::move(d));
        continue;
      }
      // Grouping.
      ir::Input edge;
      edge.source = source;
      edge.stream = stream;
      edge.span = in->span;
      edge.grouping.kind = in->grouping.kind;
      edge.grouping.span = in->grouping.span;
      edge.grouping.custom_class = in->grouping.custom_class;
      edge.grouping.custom_args = in->grouping.custom_args;
      bool edge_ok = true;
      using GK = ir::Grouping::Kind;
      if (in->grouping.kind == GK::kFields || in->grouping.kind == GK::kPartialKey) {
        if (in->grouping.fields.empty()) {
          Report(diag::Make(DiagKind::kEmptyGroupingFields, in->grouping.span,
                            ir::GroupingKindName(in->grouping.kind)));
          edge_ok = false;
        }
        NameIndex<bool> declared;
        for (const std::string& f : stream->fields) declared.Insert(f, true);
        for (const ast::Name& f : in->grouping.fields) {
          if (declared.Find(f.text)) {
            edge.grouping.fields.push_back(f.text);
            continue;
          }
          edge_ok = false;
          Diagnostic d = diag::Make(DiagKind::kUnknownField, f.span, source->id, stream->id, f.text);
          std::string declares = stream->id == ir::kDefaultStream
              ? fmt::format("'{}' declares {} here", source->id, FieldList(stream->fields))
              : fmt::format("'{}' declares stream '{}' {} here", source->id, stream->id, FieldList(stream->fields));
          d.notes.push_back(diag::Note(stream->span, declares));
          std::vector<std::string_view> cands(stream->fields.begin(), stream->fields.end());
          Suggest(d, f.text, f.span, cands);
          Report(std::move(d));
        }
      }
      if (in->grouping.kind == GK::kCustom && in->grouping.custom_class.empty()) {
        Report(diag::Make(DiagKind::kEmptyClassName, in->grouping.custom_class_span, "custom grouping"));
        edge_ok = false;
      }
      if (in->grouping.kind == GK::kDirect && !stream->direct) {
        Diagnostic d = diag::Make(DiagKind::kDirectGroupingOnPlainStream, in->grouping.span, source->id, stream->id);
        d.notes.push_back(diag::Note(stream->span, "declared here; write `output direct ...` to make it direct"));
        Report(std::move(d));
        edge_ok = false;
      } else if (in->grouping.kind != GK::kDirect && stream->direct) {
        Diagnostic d = diag::Make(DiagKind::kDirectStreamWithoutDirectGrouping, in->grouping.span, source->id,
                                  stream->id, ir::GroupingKindName(in->grouping.kind));
        d.notes.push_back(diag::Note(stream->span, "declared direct here"));
        Report(std::move(d));
        edge_ok = false;
      }
      auto [sit, fresh] = subscribed.emplace(stream, in);
      if (!fresh) {
        Diagnostic d = diag::Make(DiagKind::kDuplicateSubscription, in->span, comp.id, source->id, stream->id);
        d.notes.push_back(diag::Note(sit->second->span, "first subscribed here"));
        Report(std::move(d));
        continue;
      }
      consumed.insert(stream);
      consumers[si].push_back(i);
      if (edge_ok) comp.inputs.push_back(std::move(edge));
    }
  }

  // Whole-topology rules.
  bool any_spout = false;
  for (const auto& c : topo.components) any_spout = any_spout || c->role == ir::Role::kSpout;
  if (topo.components.empty()) {
    Diagnostic d = diag::Make(DiagKind::kEmptyTopology, t.name.span, t.name.text);
    d.notes.push_back(diag::Help("declare at least one spout: `spout NAME = python \"module.Class\" { output (field) }`"));
    Report(std::move(d));
    return;
  }
  if (!any_spout) {
    Report(diag::Make(DiagKind::kNoSpout, t.name.span, t.name.text));
    return;
  }
  // After an error the flow warnings below would mostly be cascades.
  (void)errors_before_inputs;
  if (diags_.ErrorCount() != errors_before_topology) return;
  // Reachability from the spouts (breadth-first over subscriptions).
  std::vector<bool> reached(topo.components.size(), false);
  std::deque<size_t> queue;
  for (size_t i = 0; i < topo.components.size(); ++i) {
    if (topo.components[i]->role == ir::Role::kSpout) {
      reached[i] = true;
      queue.push_back(i);
    }
  }
  while (!queue.empty()) {
    size_t i = queue.front();
    queue.pop_front();
    for (size_t j : consumers[i]) {
      if (!reached[j]) {
        reached[j] = true;
        queue.push_back(j);
      }
    }
  }
  for (size_t i = 0; i < topo.components.size(); ++i) {
    const ir::Component& c = *topo.components[i];
    if (!reached[i] && !effs[i].inputs.empty()) {
      Diagnostic d = diag::Make(DiagKind::kUnreachableBolt, c.id_span, c.id);
      d.notes.push_back(diag::Help("its inputs only come from bolts that no spout feeds (a cycle of bolts?)"));
      Report(std::move(d));
    }
  }
  // Streams nothing consumes (a sink bolt's default stream excepted).
  for (size_t i = 0; i < topo.components.size(); ++i) {
    const ir::Component& c = *topo.components[i];
    if (!effs[i].ok) continue;
    bool sink = c.role == ir::Role::kBolt && consumers[i].empty();
    for (const auto& s : c.streams) {
      if (consumed.count(s.get())) continue;
      if (sink && s->id == ir::kDefaultStream) continue;
      Report(diag::Make(DiagKind::kUnconsumedStream, s->span, c.id, s->id));
    }
  }
}

void Checker::CheckFile(const ast::File* file, ir::Program& program,
                        std::unordered_map<std::string, const ir::Topology*>& seen) {
  for (const ast::Topology* t : file->topologies) {
    auto topo = std::make_unique<ir::Topology>();
    topo->name = t->name.text;
    topo->span = t->span;
    topo->name_span = t->name.span;
    std::string why;
    if (!IsValidTopologyName(t->name.text, &why)) {
      Report(diag::Make(DiagKind::kInvalidTopologyName, t->name.span, t->name.text, why));
    }
    auto [it, fresh] = seen.emplace(t->name.text, topo.get());
    if (!fresh) {
      Diagnostic d = diag::Make(DiagKind::kDuplicateTopology, t->name.span, t->name.text);
      d.notes.push_back(diag::Note(it->second->name_span, fmt::format("'{}' first declared here", t->name.text)));
      Report(std::move(d));
    }
    CheckTopology(*t, file->file, *topo);
    program.topologies.push_back(std::move(topo));
  }
}

}  // namespace

void CheckProgram(const std::vector<const ast::File*>& roots, const ScopeOf& scopes,
                  const SourceManager& sources, const SemaOptions& options,
                  DiagnosticEngine& diags, ir::Program& program) {
  Checker checker(scopes, sources, options, diags);
  std::unordered_map<std::string, const ir::Topology*> seen;
  for (const ast::File* f : roots) checker.CheckFile(f, program, seen);
}

}  // namespace topoc::sema
