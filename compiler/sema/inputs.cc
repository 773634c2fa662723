// Inputs: each `input` statement becomes an edge from a source component's
// stream, with its grouping checked against the stream; then the rules of
// the whole graph (a spout exists, every bolt is reached, every stream is
// consumed).
#include <deque>

#include <fmt/format.h>

#include "compiler/diag/diagnostic_kinds.h"
#include "compiler/sema/checker.h"

namespace topoc::sema {

using diag::DiagKind;

namespace {

std::string FieldList(const std::vector<std::string>& fields) {
  std::string out = "(";
  for (size_t i = 0; i < fields.size(); ++i) out += (i ? ", " : "") + fields[i];
  return out + ")";
}

}  // namespace

// Inputs may name components declared later, so this runs after every
// component is lowered.
void Checker::CheckInputs(ir::Topology& topo, TopologyState& state) {
  std::vector<std::string_view> component_names;
  // The candidates for "did you mean" are built only when a name is unknown:
  // a large valid topology never pays for the list.
  auto names = [&]() -> const std::vector<std::string_view>& {
    if (component_names.empty()) {
      for (const auto& c : topo.components) component_names.push_back(c->id);
    }
    return component_names;
  };
  state.consumers.resize(topo.components.size());
  state.consumed.reserve(topo.components.size() * 2);
  for (size_t i = 0; i < topo.components.size(); ++i) {
    ir::Component& comp = *topo.components[i];
    if (comp.role == ir::Role::kSpout) continue;  // reported by CheckRole
    std::unordered_map<const ir::Stream*, const ast::Input*> subscribed;
    // effs[i]: the component with its template chain merged (templates.cc), so
    // inputs a template declares are checked here like the component's own.
    for (const ast::Input* in : state.effs[i].inputs) {
      // Storm has no stream without a component; an unknown source is reported
      // once, here, and its stream and grouping are not checked further.
      auto found = state.position.find(in->source.text);
      if (found == state.position.end()) {
        Diagnostic d = diag::Make(DiagKind::kUnknownComponent, in->source.span, in->source.text);
        Suggest(d, in->source.text, in->source.span, names());
        Report(std::move(d));
        continue;
      }
      size_t si = found->second;
      const ir::Component* source = topo.components[si].get();
      if (!state.effs[si].ok) continue;  // its kind failed: no cascades
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
        // `input a` means a's default stream; when `a` declares exactly one named
        // stream, the likely intent is that one.
        } else if (!ids.empty() && ids.size() == 1) {
          d.notes.push_back(diag::Help(fmt::format("subscribe to it by name: `input {}.{} ...`", source->id, ids[0])));
        }
        Report(std::move(d));
        continue;
      }
      ir::Input edge;
      // A second subscription to the same stream is an error even when the
      // groupings differ: Storm keys a bolt's inputs by (component, stream), so
      // the second would silently replace the first.
      bool edge_ok = LowerGrouping(*in, *source, *stream, edge);
      auto [sit, fresh] = subscribed.emplace(stream, in);
      if (!fresh) {
        Diagnostic d = diag::Make(DiagKind::kDuplicateSubscription, in->span, comp.id, source->id, stream->id);
        d.notes.push_back(diag::Note(sit->second->span, "first subscribed here"));
        Report(std::move(d));
        continue;
      }
      // Recorded even when the grouping was wrong, so CheckFlow does not add an
      // "unconsumed stream" or "unreachable bolt" warning to that error.
      state.consumed.insert(stream);
      state.consumers[si].push_back(i);
      if (edge_ok) comp.inputs.push_back(std::move(edge));
    }
  }
}

// Fills `edge` from `in`; false when its grouping does not fit `stream`.
bool Checker::LowerGrouping(const ast::Input& in, const ir::Component& source, const ir::Stream& stream,
                            ir::Input& edge) {
  edge.source = &source;
  edge.stream = &stream;
  edge.span = in.span;
  edge.grouping.kind = in.grouping.kind;
  edge.grouping.span = in.grouping.span;
  edge.grouping.custom_class = in.grouping.custom_class;
  edge.grouping.custom_args = in.grouping.custom_args;
  bool edge_ok = true;
  using GK = ir::Grouping::Kind;
  if (in.grouping.kind == GK::kFields || in.grouping.kind == GK::kPartialKey) {
    if (in.grouping.fields.empty()) {
      Report(diag::Make(DiagKind::kEmptyGroupingFields, in.grouping.span,
                        ir::GroupingKindName(in.grouping.kind)));
      edge_ok = false;
    }
    NameIndex<bool> declared;
    for (const std::string& f : stream.fields) declared.Insert(f, true);
    for (const ast::Name& f : in.grouping.fields) {
      if (declared.Find(f.text)) {
        edge.grouping.fields.push_back(f.text);
        continue;
      }
      edge_ok = false;
      Diagnostic d = diag::Make(DiagKind::kUnknownField, f.span, source.id, stream.id, f.text);
      std::string declares = stream.id == ir::kDefaultStream
          ? fmt::format("'{}' declares {} here", source.id, FieldList(stream.fields))
          : fmt::format("'{}' declares stream '{}' {} here", source.id, stream.id, FieldList(stream.fields));
      d.notes.push_back(diag::Note(stream.span, declares));
      std::vector<std::string_view> cands(stream.fields.begin(), stream.fields.end());
      Suggest(d, f.text, f.span, cands);
      Report(std::move(d));
    }
  }
  if (in.grouping.kind == GK::kCustom && in.grouping.custom_class.empty()) {
    Report(diag::Make(DiagKind::kEmptyClassName, in.grouping.custom_class_span, "custom grouping"));
    edge_ok = false;
  }
  // Storm refuses both mismatches at submit time: a direct grouping needs a
  // stream declared direct, and a direct stream takes only direct groupings.
  if (in.grouping.kind == GK::kDirect && !stream.direct) {
    Diagnostic d = diag::Make(DiagKind::kDirectGroupingOnPlainStream, in.grouping.span, source.id, stream.id);
    d.notes.push_back(diag::Note(stream.span, "declared here; write `output direct ...` to make it direct"));
    Report(std::move(d));
    edge_ok = false;
  } else if (in.grouping.kind != GK::kDirect && stream.direct) {
    Diagnostic d = diag::Make(DiagKind::kDirectStreamWithoutDirectGrouping, in.grouping.span, source.id,
                              stream.id, ir::GroupingKindName(in.grouping.kind));
    d.notes.push_back(diag::Note(stream.span, "declared direct here"));
    Report(std::move(d));
    edge_ok = false;
  }
  return edge_ok;
}

// False (after reporting) when the topology is empty or has no spout.
bool Checker::CheckHasSpout(const ast::Topology& t, const ir::Topology& topo) {
  bool any_spout = false;
  for (const auto& c : topo.components) any_spout = any_spout || c->role == ir::Role::kSpout;
  if (topo.components.empty()) {
    Diagnostic d = diag::Make(DiagKind::kEmptyTopology, t.name.span, t.name.text);
    d.notes.push_back(diag::Help("declare at least one spout: `spout NAME = python \"module.Class\" { output (field) }`"));
    Report(std::move(d));
    return false;
  }
  if (!any_spout) {
    Report(diag::Make(DiagKind::kNoSpout, t.name.span, t.name.text));
    return false;
  }
  return true;
}

// Warnings on the flow of tuples: bolts no spout reaches, streams nothing
// consumes.
void Checker::CheckFlow(const ir::Topology& topo, const TopologyState& state) {
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
    for (size_t j : state.consumers[i]) {
      if (!reached[j]) {
        reached[j] = true;
        queue.push_back(j);
      }
    }
  }
  for (size_t i = 0; i < topo.components.size(); ++i) {
    const ir::Component& c = *topo.components[i];
    if (!reached[i] && !state.effs[i].inputs.empty()) {
      Diagnostic d = diag::Make(DiagKind::kUnreachableBolt, c.id_span, c.id);
      d.notes.push_back(diag::Help("its inputs only come from bolts that no spout feeds (a cycle of bolts?)"));
      Report(std::move(d));
    }
  }
  // Streams nothing consumes (a sink bolt's default stream excepted).
  for (size_t i = 0; i < topo.components.size(); ++i) {
    const ir::Component& c = *topo.components[i];
    if (!state.effs[i].ok) continue;
    // A bolt that nothing subscribes to is a sink (it writes elsewhere); its
    // implicit default stream is not worth a warning, its named streams are.
    bool sink = c.role == ir::Role::kBolt && state.consumers[i].empty();
    for (const auto& s : c.streams) {
      if (state.consumed.count(s.get())) continue;
      if (sink && s->id == ir::kDefaultStream) continue;
      Report(diag::Make(DiagKind::kUnconsumedStream, s->span, c.id, s->id));
    }
  }
}

}  // namespace topoc::sema
