// The Storm Thrift backend: ir::Topology -> topoc::storm::StormTopology, the
// struct Nimbus receives in submitTopology, written as
// `<topology>.stormtopology` (TBinaryProtocol bytes; see storm_codec.h) and
// decoded back to JSON by `topoc dump`. README.md in this folder documents
// every choice below for users.
//
// Mapping (the same for every Storm version unless noted):
//  - python component: ComponentObject.shell with execution_command =
//    options.python_interpreter and script = PythonLauncherPath(class)
//    ("_topoc/<module.Class>.py", backends/storm_launch.h).
//  - shell component: ComponentObject.shell {argv[0], argv[1]} when the
//    argv has exactly two strings (Storm runs exactly these two). Any other
//    length runs through a generated wrapper (backends/storm_launch.h):
//    {"/bin/sh", "_topoc/<safe-name>.sh"}, the wrapper written to
//    resources/_topoc/ unless launchers=false. An empty command (sema
//    refuses it; only a hand-built IR can hold one) is error E0550
//    (docs/diagnostics/E0550.md).
//  - java component: ComponentObject.java_object with typed JavaObjectArgs
//    (int -> int_arg, long -> long_arg, double, string, bool).
//  - inputs: GlobalStreamId{source id, stream id} -> Grouping; global is
//    fields([]); custom is custom_object (class + typed args).
//    Partial-key (Storm 1.x/2.x only) is custom_object
//    `org.apache.storm.grouping.PartialKeyGrouping` with no arguments,
//    which keys on the stream's FIRST field; so it is accepted only when the
//    grouping names exactly that field. Anything else, and any partial-key
//    for Storm 0.9 (which has no PartialKeyGrouping), is error E0501.
//    (Storm's own builder Java-serializes the grouping into
//    custom_serialized; topoc does not forge Java serialization.)
//  - streams: one StreamInfo per declared stream (output fields, direct);
//    a component that declares no output has an empty streams map.
//  - parallelism_hint always set; json_conf always set: the component config
//    as a JSON object in declaration order, plus "topology.tasks" when
//    `tasks` is given ("{}" when both are empty).
//  - state_spouts: empty. Optional StormTopology fields (4-10): none by
//    default for every version; Nimbus 2.x then uses its own version for the
//    worker classpath. `--opt storm_version=X.Y.Z` sets field 7 (1.x, 2.x).
//
// Options (BackendOptions::extra, `--opt key=value`):
//   launchers=true|false   write resources/_topoc/<class>.py for each python
//                          class and resources/_topoc/<safe-name>.sh for each
//                          wrapped shell component (default true)
//   storm_version=X.Y.Z    set StormTopology.storm_version; must belong to
//                          the --storm-version line (not allowed for 0.9)
// Keys written as `thrift.<key>` are the same keys; keys prefixed with
// another backend's name and a dot (`clojure.dialect`) are ignored; any
// other key, or a bad value, is error E0502 (backends/backend_util.h).
//
// Files written through the sink, per topology:
//   <topology>.stormtopology
//   resources/_topoc/<module.Class>.py   (launchers=true; one per class)
//   resources/_topoc/<safe-name>.sh      (launchers=true; one per shell
//                                         component whose argv size != 2)
#pragma once

#include <string_view>

#include "backends/backend.h"
#include "thrift/gen-cpp/storm_types.h"

namespace topoc::backends::thrift {

class ThriftBackend : public Backend {
 public:
  std::string_view Name() const override { return "thrift"; }
  std::string_view Description() const override {
    return "Storm's StormTopology as Thrift binary (<topology>.stormtopology)";
  }
  // Every topology of `program` (or only options.topology_name; unknown
  // name: E0504). Reports all problems of all topologies (E0505 when two
  // topologies wrap same-id shell components with different commands); on
  // any error it writes nothing and returns false.
  bool Generate(const ir::Program& program, const BackendOptions& options, OutputSink& out,
                DiagnosticEngine& diags) const override;
};

// Fills *out from a checked topology (ir.h invariants hold). Returns false
// after reporting diagnostics (E0501, E0502, E0550); *out is then incomplete.
// Deterministic: the same IR and options give a field-for-field equal
// struct and therefore byte-identical encodings. Used by `topoc submit`.
bool BuildStormTopology(const ir::Topology& topology, const BackendOptions& options,
                        DiagnosticEngine& diags, topoc::storm::StormTopology* out);

}  // namespace topoc::backends::thrift
