// Requests that read the checked unit: hover, go to definition, find
// references, document symbols.
#include <filesystem>

#include "compiler/diag/explanations.h"
#include "lsp/server_internal.h"

namespace topoc::lsp {

namespace {

// The first paragraph of an explanation page after its title.
std::string ExplanationSummary(std::string_view page) {
  std::string out;
  size_t i = 0;
  // Skip the title line(s).
  while (i < page.size() && page[i] == '#') {
    size_t nl = page.find('\n', i);
    i = nl == std::string_view::npos ? page.size() : nl + 1;
  }
  while (i < page.size() && page[i] == '\n') ++i;
  size_t end = page.find("\n\n", i);
  out = std::string(page.substr(i, end == std::string_view::npos ? std::string_view::npos : end - i));
  return out;
}

}  // namespace

Json Server::Hover(const Json& params) {
  auto place = PlaceOf(params);
  if (!place) return nullptr;
  auto [unit, file, offset] = *place;
  const driver::Compilation& comp = *unit->comp;
  std::string md;
  Span span{};
  if (const Occurrence* o = unit->index.At(file, offset)) {
    span = o->span;
    const ir::Topology* topo = comp.program ? comp.program->FindTopology(o->topology) : nullptr;
    const ir::Component* c = nullptr;
    if (topo) c = topo->FindComponent(o->kind == Occurrence::Kind::kStream ? o->component : o->name);
    auto fields = [](const ir::Stream& s) {
      std::string f;
      for (const std::string& x : s.fields) f += (f.empty() ? "" : ", ") + x;
      return "(" + f + ")";
    };
    if (o->kind == Occurrence::Kind::kComponent && c) {
      md = "**" + std::string(ir::RoleName(c->role)) + "** `" + c->id + "` — " + std::string(ir::KindName(c->kind));
      if (c->kind == ir::Kind::kPython) md += " `" + c->python_class + "`";
      if (c->kind == ir::Kind::kJava) md += " `" + c->java_class + "`";
      if (c->kind == ir::Kind::kShell) {
        std::string cmd;
        for (const std::string& a : c->shell_command) cmd += (cmd.empty() ? "" : " ") + a;
        md += " `" + cmd + "`";
      }
      if (!c->from_template.empty()) md += " (template `" + c->from_template + "`)";
      md += "\n\nparallelism " + std::to_string(c->parallelism);
      if (c->tasks) md += ", tasks " + std::to_string(*c->tasks);
      if (!c->streams.empty()) {
        md += "\n\nstreams:";
        for (const auto& s : c->streams) {
          md += "\n- `" + s->id + "` " + fields(*s) + (s->direct ? " direct" : "");
        }
      }
      if (!c->inputs.empty()) {
        md += "\n\ninputs:";
        for (const ir::Input& in : c->inputs) {
          if (!in.source || !in.stream) continue;
          md += "\n- `" + in.source->id + "." + in.stream->id + "` " +
                std::string(ir::GroupingKindName(in.grouping.kind));
        }
      }
    } else if (o->kind == Occurrence::Kind::kStream && c) {
      if (const ir::Stream* s = c->FindStream(o->name)) {
        md = "**stream** `" + s->id + "` of `" + c->id + "` " + fields(*s) + (s->direct ? " (direct)" : "");
      }
    } else if (o->kind == Occurrence::Kind::kTemplate) {
      if (const ast::Template* t = FindTemplate(comp, file, o->name)) {
        md = "**template** `" + t->name.text + "`";
        const ast::ComponentKind& k = t->kind;
        if (k.tag == ast::ComponentKind::Tag::kPython) md += " — python `" + k.python_class + "`";
        if (k.tag == ast::ComponentKind::Tag::kJava) md += " — java `" + k.java_class + "`";
        if (k.tag == ast::ComponentKind::Tag::kTemplate) md += " — from template `" + k.template_name.text + "`";
        if (k.tag == ast::ComponentKind::Tag::kShell) md += " — shell";
        md += "\n\ndeclared in `" + comp.sources.Path(t->file) + "`";
      }
    } else if (o->kind == Occurrence::Kind::kImport) {
      md = o->target.empty() ? "import: not found" : "imports `" + o->target + "`";
    }
    if (md.empty() && o->kind != Occurrence::Kind::kImport) {
      md = "`" + o->name + "`";
    }
  } else if (const ConfigKeyRef* k = unit->index.ConfigKeyAt(file, offset)) {
    span = k->span;
    md = ConfigKeyDoc(k->key);
    if (md.empty()) md = "`" + k->key + "`: not a Storm topology.* key (passed to the topology as is)";
  }
  // The explanation of diagnostics at this place.
  for (const Diagnostic& d : comp.diags.diagnostics()) {
    if (d.code.empty() || d.primary.file != file || offset < d.primary.begin || offset > d.primary.end) continue;
    if (auto page = diag::FindExplanation(d.code)) {
      if (!md.empty()) md += "\n\n---\n\n";
      md += "**" + d.code + "**: " + ExplanationSummary(*page) + "\n\n(`topoc explain " + d.code + "`)";
      if (!span.valid()) span = d.primary;
    }
  }
  if (md.empty()) return nullptr;
  Json result = {{"contents", {{"kind", "markdown"}, {"value", md}}}};
  if (span.valid()) {
    const LineIndex& li = unit->Lines(span.file);
    result["range"] = {{"start", ToJson(li.ToPosition(span.begin))}, {"end", ToJson(li.ToPosition(span.end))}};
  }
  return result;
}

Json Server::Definition(const Json& params) {
  auto place = PlaceOf(params);
  if (!place) return nullptr;
  auto [unit, file, offset] = *place;
  const Occurrence* o = unit->index.At(file, offset);
  if (!o) return nullptr;
  if (o->kind == Occurrence::Kind::kImport) {
    if (o->target.empty()) return nullptr;
    // Going to an import opens the file at its top: an import names a file,
    // not a place in it.
    return Json{{"uri", PathToUri(o->target)},
                {"range", {{"start", ToJson({0, 0})}, {"end", ToJson({0, 0})}}}};
  }
  const Occurrence* def = unit->index.DefinitionOf(o->key);
  if (!def) return nullptr;
  return LocationOf(*unit, def->span);
}

Json Server::References(const Json& params) {
  auto place = PlaceOf(params);
  if (!place) return nullptr;
  auto [unit, file, offset] = *place;
  const Occurrence* o = unit->index.At(file, offset);
  Json out = Json::array();
  if (!o) return out;
  bool include_decl = true;
  if (params.contains("context") && params["context"].is_object() &&
      params["context"].contains("includeDeclaration") && params["context"]["includeDeclaration"].is_boolean()) {
    include_decl = params["context"]["includeDeclaration"].get<bool>();
  }
  for (const Occurrence* r : unit->index.WithKey(o->key)) {
    if (r->definition && !include_decl) continue;
    out.push_back(LocationOf(*unit, r->span));
  }
  return out;
}

Json Server::DocumentSymbols(const Json& params) {
  const std::string uri = StringField(Field(params, "textDocument"), "uri");
  Unit* unit = Analysis(uri);
  Json out = Json::array();
  if (!unit) return out;
  FileId file = *unit->FileOf(PathOf(uri));
  const ast::File* ast = nullptr;
  // Symbols come from the AST, not the IR: the outline shows templates and
  // keeps working when the file has errors sema would not lower.
  for (const ast::File* f : unit->comp->ast_files) {
    if (f->file == file) ast = f;
  }
  if (!ast) return out;
  const LineIndex& li = unit->Lines(file);
  auto range = [&](Span s) {
    return Json{{"start", ToJson(li.ToPosition(s.begin))}, {"end", ToJson(li.ToPosition(std::max(s.end, s.begin)))}};
  };
  // LSP SymbolKind: Module 2, Class 5, Interface 11, Event 24.
  auto symbol = [&](const std::string& name, const std::string& detail, int kind, Span whole, Span sel) {
    if (!sel.valid()) sel = whole;
    // LSP requires selectionRange inside range; spans that recovery left odd
    // must not make the client drop the whole outline.
    if (sel.begin < whole.begin || sel.end > whole.end) whole = sel;
    return Json{{"name", name.empty() ? "?" : name}, {"detail", detail}, {"kind", kind},
                {"range", range(whole)}, {"selectionRange", range(sel)}, {"children", Json::array()}};
  };
  auto streams = [&](Json& parent, const ast::Body& body) {
    for (const ast::Output& o : body.outputs) {
      std::string fields;
      for (const ast::Name& f : o.fields) fields += (fields.empty() ? "" : ", ") + f.text;
      std::string name = o.name ? o.name->text : std::string(ir::kDefaultStream);
      parent["children"].push_back(symbol(name, "(" + fields + ")" + (o.direct ? " direct" : ""), 24, o.span,
                                          o.name ? o.name->span : o.span));
    }
  };
  auto kind_detail = [](const ast::ComponentKind& k) -> std::string {
    switch (k.tag) {
      case ast::ComponentKind::Tag::kPython: return "python " + k.python_class;
      case ast::ComponentKind::Tag::kShell: return "shell";
      case ast::ComponentKind::Tag::kJava: return "java " + k.java_class;
      case ast::ComponentKind::Tag::kTemplate: return k.template_name.text;
    }
    return "";
  };
  for (const ast::Template* t : ast->templates) {
    Json s = symbol(t->name.text, "template = " + kind_detail(t->kind), 11, t->span, t->name.span);
    streams(s, t->body);
    out.push_back(std::move(s));
  }
  for (const ast::Topology* topo : ast->topologies) {
    Json s = symbol(topo->name.text, "topology", 2, topo->span, topo->name.span);
    for (const ast::Component* c : topo->components) {
      Json cs = symbol(c->id.text, std::string(ir::RoleName(c->role)) + " = " + kind_detail(c->kind), 5, c->span,
                       c->id.span);
      streams(cs, c->body);
      s["children"].push_back(std::move(cs));
    }
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace topoc::lsp
