// The Clojure backend: Storm's own Clojure DSL (storm-facts.md §3).
//
// Files, per topology T (stem = T with every character outside
// [A-Za-z0-9_-] replaced by '_', then '-' -> '_' as Clojure's loader wants):
//   topologies/<stem>.clj   (ns <T munged>) with topology-name,
//                           topology-config, (mk-topology) and -main
//   project.clj             Leiningen project with the Storm dependency of
//                           --storm-version (once per build)
//   _resources/resources/_topoc/<module.Class>.py
//                           the python launchers (backends/storm_launch.h);
//                           lein puts _resources/ at the jar root, and Storm
//                           runs shell components in the jar's resources/.
//
// Storm versions: 0.9 uses namespace backtype.storm.clojure and
// storm-core 0.9.7; 1.x uses org.apache.storm.clojure and storm-core 1.2.4;
// 2.x uses org.apache.storm.clojure from the separate storm-clojure module
// (storm-client 2.8.8 provided + storm-clojure 2.8.8 in the jar).
//
// Components: python -> (shell-*-spec [python "_topoc/<cls>.py"] outputs),
// shell -> (shell-*-spec [cmd args...] outputs), java -> (spout-spec
// (Class. args)) / (bolt-spec inputs (Class. args)) with an :import; int
// args are written (int N) so reflection picks the int constructor.
// Groupings: :shuffle :global :all :none :direct :local-or-shuffle, field
// vectors, custom -> a thrift JavaObject (custom_object), partial-key ->
// (PartialKeyGrouping. (Fields. [...])) (1.x/2.x only; E0501 on 0.9).
// `tasks` and component config go into :conf.
//
// Options (--opt): dialect=storm|streamparse (streamparse: the seed's
// `(defn T [options] [{spouts} {bolts}])` form with python-spout-spec /
// python-bolt-spec from streamparse.specs), storm-release=X.Y.Z (overrides
// the exact Storm dependency), project-name=NAME (defproject name; default
// the first topology's name).
#pragma once

#include <string>
#include <string_view>

#include "backends/backend.h"

namespace topoc::backends::clojure {

// The Leiningen project's resource path: lein puts its contents at the jar
// root, so <kLeinResourcesDir>/resources/ is the jar's resources/.
inline constexpr std::string_view kLeinResourcesDir = "_resources";

class ClojureBackend : public Backend {
 public:
  std::string_view Name() const override { return "clojure"; }
  std::string_view Description() const override {
    return "Storm's Clojure DSL: topologies/<name>.clj and a Leiningen project.clj";
  }
  bool Generate(const ir::Program& program, const BackendOptions& options, OutputSink& out,
                DiagnosticEngine& diags) const override;
};

// A Clojure string literal ("a \"b\"\n").
std::string ClojureString(std::string_view text);
// A config value as Clojure data: nil, true, 42, 0.5, "s", [..], {"k" v}.
std::string ClojureValue(const ir::Value& value);
// The namespace a topology's file declares ("every-feature").
std::string NamespaceName(std::string_view topology);
// The file a topology goes to, relative to the out dir
// ("topologies/every_feature.clj").
std::string TopologyFile(std::string_view topology);

}  // namespace topoc::backends::clojure
