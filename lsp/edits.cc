// Requests answered with edits: rename, quick fixes from the diagnostics'
// fix-its, and whole-document formatting.
#include "compiler/format/format.h"
#include "import/topo_writer.h"
#include "lsp/server_internal.h"

namespace topoc::lsp {

Json Server::PrepareRename(const Json& params) {
  auto place = PlaceOf(params);
  if (!place) return nullptr;
  auto [unit, file, offset] = *place;
  const Occurrence* o = unit->index.At(file, offset);
  if (!o || (o->kind != Occurrence::Kind::kComponent && o->kind != Occurrence::Kind::kStream)) return nullptr;
  const LineIndex& li = unit->Lines(file);
  return Json{{"range", {{"start", ToJson(li.ToPosition(o->span.begin))}, {"end", ToJson(li.ToPosition(o->span.end))}}},
              {"placeholder", o->name}};
}

Json Server::Rename(const Json& params) {
  auto place = PlaceOf(params);
  if (!place) return nullptr;
  auto [unit, file, offset] = *place;
  std::string new_name = StringField(params, "newName");
  const Occurrence* o = unit->index.At(file, offset);
  if (!o || (o->kind != Occurrence::Kind::kComponent && o->kind != Occurrence::Kind::kStream)) {
    // A string result is an error reply (Server turns it into a JSON-RPC error).
    return "only a component or stream id can be renamed here";
  }
  if (new_name.empty()) return "the new name is empty";
  if (new_name.find_first_of("\r\n") != std::string::npos) return "the new name spans lines";
  // The new name is written quoted when it needs to be, so a rename never
  // makes the file stop parsing.
  std::string text = import::TopoName(new_name);
  Json changes = Json::object();
  for (const Occurrence* r : unit->index.WithKey(o->key)) {
    Json loc = LocationOf(*unit, r->span);
    std::string uri = loc["uri"].get<std::string>();
    if (!changes.contains(uri)) changes[uri] = Json::array();
    changes[uri].push_back({{"range", loc["range"]}, {"newText", text}});
  }
  return Json{{"changes", changes}};
}

Json Server::CodeActions(const Json& params) {
  const std::string uri = StringField(Field(params, "textDocument"), "uri");
  Unit* unit = Analysis(uri);
  Json out = Json::array();
  if (!unit) return out;
  FileId file = *unit->FileOf(PathOf(uri));
  const LineIndex& li = unit->Lines(file);
  const Json& r = Field(params, "range");
  size_t a = li.ToOffset(PositionOf(Field(r, "start"))), b = li.ToOffset(PositionOf(Field(r, "end")));
  auto range = [&](Span s) {
    return Json{{"start", ToJson(li.ToPosition(s.begin))}, {"end", ToJson(li.ToPosition(s.end))}};
  };
  for (const Diagnostic& d : unit->comp->diags.diagnostics()) {
    if (d.primary.file != file || d.primary.end < a || d.primary.begin > b) continue;
    std::vector<const FixIt*> fixits;
    for (const FixIt& f : d.fixits) fixits.push_back(&f);
    // Suggestions live on help notes ("did you mean ...?"), not only on the
    // diagnostic itself.
    for (const Diagnostic& n : d.notes) {
      for (const FixIt& f : n.fixits) fixits.push_back(&f);
    }
    for (const FixIt* f : fixits) {
      if (f->range.file != file) continue;
      std::string old(unit->comp->sources.Text(f->range));
      Json diag = {{"range", range(d.primary)}, {"message", d.message}, {"severity", SeverityNumber(d.severity)}};
      if (!d.code.empty()) diag["code"] = d.code;
      out.push_back({{"title", "Replace '" + old + "' with '" + f->replacement + "'"},
                     {"kind", "quickfix"},
                     {"diagnostics", Json::array({diag})},
                     // Preferred (applied by "fix all" in editors) when certain, or when it is
                     // the only suggestion.
                     {"isPreferred", f->applicability == Applicability::kMachineApplicable || fixits.size() == 1},
                     {"edit", {{"changes", {{uri, Json::array({{{"range", range(f->range)},
                                                                 {"newText", f->replacement}}})}}}}}});
    }
  }
  return out;
}

Json Server::Formatting(const Json& params) {
  const std::string uri = StringField(Field(params, "textDocument"), "uri");
  std::string text;
  if (auto it = docs_.find(uri); it != docs_.end()) {
    text = it->second->text;
  } else {
    return "the document is not open";
  }
  std::optional<std::string> out = format::FormatText(text);
  if (!out) return "the document has syntax errors; fix them first";
  Json edits = Json::array();
  if (*out == text) return edits;
  LineIndex li(text);
  edits.push_back({{"range", {{"start", ToJson({0, 0})}, {"end", ToJson(li.ToPosition(text.size()))}}},
                   {"newText", *out}});
  return edits;
}

}  // namespace topoc::lsp
