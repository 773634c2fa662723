// The Storm lines topoc targets (`--storm-version 0.9|1.x|2.x`) and every fact
// about them that topoc acts on: the flag's spellings, each line's Java
// package and default release, which features a line lacks (with the release
// that added each), and the diagnostics the backends report for a feature the
// line lacks. Backends, runtime and cli read these facts only from here.
//
// Sources (the public apache/storm repository): the Java packages and
// storm.thrift per release (storm-facts.md §1.0), conf/defaults.yaml per
// release (§5), PartialKeyGrouping and Flux first in v0.10.0, the load-aware
// messaging and ShellBolt queue keys first in v1.0.0, StormTopology field 7
// (storm_version) first in v1.2.0.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/diag/diagnostic.h"

namespace topoc::backends {

enum class StormVersion { k0_9, k1_x, k2_x };
inline constexpr StormVersion kDefaultStormVersion = StormVersion::k2_x;

// The --storm-version spellings, oldest first, indexed by StormVersion.
inline constexpr std::array<std::string_view, 3> kStormVersionNames = {"0.9", "1.x", "2.x"};
inline constexpr std::string_view kDefaultStormVersionName =
    kStormVersionNames[static_cast<int>(kDefaultStormVersion)];

// "0.9", "1.x" or "2.x"; nullopt for anything else.
std::optional<StormVersion> ParseStormVersion(std::string_view name);

// "0.9", "1.x", "2.x".
std::string_view StormVersionName(StormVersion version);

// The root Java package of the line's classes: "backtype.storm" for 0.9,
// "org.apache.storm" from 1.0.0 on.
std::string_view StormJavaPackage(StormVersion version);

// The release a generated Leiningen project depends on: 0.9.7, 1.2.4, 2.8.8
// (the last release of each line when topoc was written).
std::string_view DefaultStormRelease(StormVersion version);

// The Maven artifact (group org.apache.storm) holding the worker's API,
// which the cluster provides: storm-core (0.9, 1.x) or storm-client (2.x).
std::string_view StormWorkerArtifact(StormVersion version);

// Whether the Clojure DSL ships apart from that artifact, as
// org.apache.storm/storm-clojure (2.x), which the topology jar must carry.
bool ClojureDslIsSeparate(StormVersion version);

// A release of the line shown in messages about a release number: 0.9.7,
// 1.2.4, 2.8.0.
std::string_view ExampleStormRelease(StormVersion version);

// True when `release` is X.Y or X.Y.Z (digits) with an optional -SUFFIX and
// belongs to `version`'s line ("1.2.4" to 1.x, "2.9.0-SNAPSHOT" to 2.x).
bool IsStormRelease(std::string_view release, StormVersion version);

// Features some supported line lacks.
enum class StormFeature {
  kPartialKeyGrouping,    // org.apache.storm.grouping.PartialKeyGrouping
  kFlux,                  // Flux YAML topologies
  kLoadAwareMessaging,    // topology.disable.loadaware.messaging (2.x's shuffle)
  kShellBoltMaxPending,   // topology.shellbolt.max.pending, with the event loggers
  kTopologyVersionField,  // StormTopology.storm_version (Thrift field 7)
};

// Whether the line has the feature.
bool HasFeature(StormVersion version, StormFeature feature);

// The release that added the feature, as the messages name it: "0.10",
// "1.0.0", "1.2.0".
std::string_view FeatureSince(StormFeature feature);

// The diagnostics for a feature the line lacks, each as its backend reports
// it. The caller adds the code's context (span) where the diagnostic has one.

// E0503 for `--target flux --storm-version 0.9`.
Diagnostic NoFluxDiagnostic(StormVersion version);

// E0502 for the thrift option `storm_version` on a line without the field.
Diagnostic NoTopologyVersionFieldDiagnostic(StormVersion version);

// E0501 from the thrift backend for a partial-key grouping of `consumer` on a
// line without PartialKeyGrouping; `primary` is the grouping's span.
Diagnostic ThriftNoPartialKeyDiagnostic(StormVersion version, std::string_view consumer,
                                        Span primary);

// E0501 from the clojure backend for a partial-key grouping of `consumer` on
// `fields`, on a line without PartialKeyGrouping.
Diagnostic ClojureNoPartialKeyDiagnostic(StormVersion version, std::string_view consumer,
                                         const std::vector<std::string>& fields, Span primary);

}  // namespace topoc::backends
