#include "compiler/sema/sema.h"

#include <fmt/format.h>

#include "compiler/diag/diagnostic_kinds.h"
#include "compiler/sema/checker.h"
#include "support/edit_distance.h"

namespace topoc::sema {

using diag::DiagKind;

bool IsValidTopologyName(std::string_view name, std::string* why) {
  if (name.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    *why = "it must not be empty or blank";
    return false;
  }
  for (char c : name) {
    // Storm refuses these (Utils.TOPOLOGY_NAME_REGEX, ^[^/.:\\]+$; Nimbus's
    // validate-topology-name! before 2.x).
    if (c == '/' || c == '.' || c == ':' || c == '\\') {
      *why = fmt::format("Storm refuses names containing '{}'", c);
      return false;
    }
  }
  return true;
}

void Checker::Suggest(Diagnostic& d, std::string_view name, Span span,
                      const std::vector<std::string_view>& candidates) {
  // Edit distance costs a pass over every candidate; a file with thousands of
  // typos would spend seconds on suggestions nobody reads past the first few.
  if (suggestions_left_ <= 0) return;
  --suggestions_left_;
  auto s = support::SuggestName(name, candidates);
  if (!s) return;
  std::string replacement = *s;
  std::string_view text = sources_.Text(span);
  // The fix-it replaces the name as written: a quoted name stays quoted.
  if (!text.empty() && text[0] == '"') replacement = "\"" + replacement + "\"";
  d.notes.push_back(diag::Help(fmt::format("did you mean '{}'?", *s), span, replacement));
}

void Checker::CheckId(const ast::Name& name, std::string_view what, bool is_stream) {
  if (name.text.empty()) {
    Report(diag::Make(DiagKind::kEmptyId, name.span, what));
    return;
  }
  // Storm reserves ids starting with "__" (__acker, __system, __tick, ...:
  // Utils.isSystemId in StormCommon.validateIds) and refuses them.
  if (name.text.rfind("__", 0) == 0) {
    Report(diag::Make(is_stream ? DiagKind::kReservedStreamId : DiagKind::kReservedComponentId,
                      name.span, name.text));
    return;
  }
  // Storm's default validator only warns about '.', the strict one (2.x)
  // refuses it: a warning here, and `input a.b` reads as stream b of a.
  if (name.text.find('.') != std::string::npos) {
    Report(diag::Make(DiagKind::kDotInId, name.span, what, name.text));
  }
}

void Checker::CheckTopology(const ast::Topology& t, FileId file, ir::Topology& topo) {
  suggestions_left_ = kMaxSuggestionsPerTopology;
  size_t errors_before_topology = diags_.ErrorCount();
  LowerTopologyConfig(t, topo);
  TopologyState state;
  LowerComponents(t, file, topo, state);
  // Every component exists now: inputs may name ones declared after them.
  topo.BuildIndex();
  CheckInputs(topo, state);
  if (!CheckHasSpout(t, topo)) return;
  // After an error the flow warnings would mostly be cascades.
  if (diags_.ErrorCount() != errors_before_topology) return;
  CheckFlow(topo, state);
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
    // Storm knows a topology by its name only, so names are unique across all
    // the root files of one compilation.
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

void CheckProgram(const std::vector<const ast::File*>& roots, const ScopeOf& scopes,
                  const SourceManager& sources, const SemaOptions& options,
                  DiagnosticEngine& diags, ir::Program& program) {
  Checker checker(scopes, sources, options, diags);
  std::unordered_map<std::string, const ir::Topology*> seen;
  for (const ast::File* f : roots) checker.CheckFile(f, program, seen);
}

}  // namespace topoc::sema
