// Templates: a component's template chain resolved (in the scope of the
// file that declares each template) and its bodies merged outwards, so the
// component overrides its template and a template the one it is made from.
#include <algorithm>

#include <fmt/format.h>

#include "compiler/diag/diagnostic_kinds.h"
#include "compiler/sema/checker.h"

namespace topoc::sema {

using diag::DiagKind;

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
    // The outermost arguments win: `spout s = t(1)` overrides the arguments
    // template t gives its java class, at any depth of the chain.
    if (!use_args && kind->java_args) {
      use_args = kind->java_args;
      args_span = kind->span;
    }
    // Each template's name is looked up in the scope of the file that uses it
    // (its own templates and its imports'), not the root file's.
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
      // Every component made from the cycle would hit it: report it once.
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
  // Inputs add up across the chain (a template may subscribe, the component
  // adds more); streams, settings and config keys override by name.
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
  for (const ir::ConfigEntry* e : UniqueConfigEntries(body.config)) {
    auto it = config_index.find(e->key);
    if (it != config_index.end()) {
      // Same key in an inner layer: the outer value wins, at the inner's place
      // (so the IR keeps the order the keys were first declared in).
      eff.config[it->second] = e;
    } else {
      config_index.emplace(e->key, eff.config.size());
      eff.config.push_back(e);
    }
  }
}

}  // namespace topoc::sema
