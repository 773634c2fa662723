#include "backends/storm_version.h"

#include <fmt/format.h>

#include "backends/backend_util.h"

namespace topoc::backends {

namespace {

struct StormLine {
  std::string_view java_package;
  std::string_view default_release;
  std::string_view example_release;
  std::string_view worker_artifact;
};

const StormLine& Line(StormVersion version) {
  static constexpr StormLine kLines[] = {
      {"backtype.storm", "0.9.7", "0.9.7", "storm-core"},     // 0.9
      {"org.apache.storm", "1.2.4", "1.2.4", "storm-core"},   // 1.x
      {"org.apache.storm", "2.8.8", "2.8.0", "storm-client"}, // 2.x
  };
  return kLines[static_cast<int>(version)];
}

Diagnostic HelpNote(std::string text) {
  Diagnostic d;
  d.severity = Severity::kHelp;
  d.message = std::move(text);
  return d;
}

// X.Y or X.Y.Z, each part digits, with an optional non-empty -SUFFIX.
bool IsDottedVersion(std::string_view s) {
  size_t dash = s.find('-');
  std::string_view core = s.substr(0, dash);
  int parts = 0;
  size_t i = 0;
  while (i <= core.size()) {
    size_t j = core.find('.', i);
    if (j == std::string_view::npos) j = core.size();
    if (j == i) return false;
    for (size_t k = i; k < j; ++k) {
      if (core[k] < '0' || core[k] > '9') return false;
    }
    ++parts;
    i = j + 1;
  }
  return parts >= 2 && parts <= 3 && (dash == std::string_view::npos || dash + 1 < s.size());
}

}  // namespace

std::optional<StormVersion> ParseStormVersion(std::string_view name) {
  for (auto v : {StormVersion::k0_9, StormVersion::k1_x, StormVersion::k2_x}) {
    if (StormVersionName(v) == name) return v;
  }
  return std::nullopt;
}

std::string_view StormVersionName(StormVersion version) {
  return kStormVersionNames[static_cast<int>(version)];
}

std::string_view StormJavaPackage(StormVersion version) { return Line(version).java_package; }

std::string_view DefaultStormRelease(StormVersion version) { return Line(version).default_release; }

std::string_view StormWorkerArtifact(StormVersion version) { return Line(version).worker_artifact; }

bool ClojureDslIsSeparate(StormVersion version) { return version == StormVersion::k2_x; }

std::string_view ExampleStormRelease(StormVersion version) { return Line(version).example_release; }

bool IsStormRelease(std::string_view release, StormVersion version) {
  // The line's name and its releases share the major part: "1." of "1.x".
  return IsDottedVersion(release) && release.substr(0, 2) == StormVersionName(version).substr(0, 2);
}

bool HasFeature(StormVersion version, StormFeature feature) {
  switch (feature) {
    case StormFeature::kPartialKeyGrouping:
    case StormFeature::kFlux:
    case StormFeature::kLoadAwareMessaging:
    case StormFeature::kShellBoltMaxPending:
    case StormFeature::kTopologyVersionField:
      return version != StormVersion::k0_9;
  }
  return true;
}

std::string_view FeatureSince(StormFeature feature) {
  switch (feature) {
    case StormFeature::kPartialKeyGrouping:
    case StormFeature::kFlux: return "0.10";
    case StormFeature::kLoadAwareMessaging:
    case StormFeature::kShellBoltMaxPending: return "1.0.0";
    case StormFeature::kTopologyVersionField: return "1.2.0";
  }
  return "";
}

Diagnostic NoFluxDiagnostic(StormVersion version) {
  Diagnostic d;
  d.code = std::string(kErrUnsupportedStormVersion);
  d.message = fmt::format("the flux target needs Storm {} or later, but --storm-version is {}",
                          FeatureSince(StormFeature::kFlux), StormVersionName(version));
  d.notes.push_back(HelpNote("build with --storm-version 1.x or 2.x, or use --target thrift or clojure"));
  return d;
}

Diagnostic NoTopologyVersionFieldDiagnostic(StormVersion version) {
  Diagnostic d;
  d.code = std::string(kErrBadBackendOption);
  d.message = fmt::format(
      "thrift option 'storm_version' is not available for Storm {}: "
      "StormTopology.storm_version was added in Storm {}",
      StormVersionName(version), FeatureSince(StormFeature::kTopologyVersionField));
  return d;
}

Diagnostic ThriftNoPartialKeyDiagnostic(StormVersion version, std::string_view consumer,
                                        Span primary) {
  Diagnostic d;
  d.code = std::string(kErrUnsupportedGrouping);
  d.primary = primary;
  d.message = fmt::format(
      "partial-key grouping of '{}' is not available for Storm {}: PartialKeyGrouping was "
      "added in Storm {}",
      consumer, StormVersionName(version), FeatureSince(StormFeature::kPartialKeyGrouping));
  d.notes.push_back(HelpNote("use a fields grouping, or build for --storm-version 1.x or 2.x"));
  return d;
}

Diagnostic ClojureNoPartialKeyDiagnostic(StormVersion version, std::string_view consumer,
                                         const std::vector<std::string>& fields, Span primary) {
  Diagnostic d;
  d.code = std::string(kErrUnsupportedGrouping);
  d.primary = primary;
  d.message = fmt::format("partial-key grouping of '{}' cannot be written for Storm {} by the "
                          "clojure backend",
                          consumer, StormVersionName(version));
  d.primary_label = fmt::format("PartialKeyGrouping first shipped in Storm {}",
                                FeatureSince(StormFeature::kPartialKeyGrouping));
  std::string list;
  for (const auto& f : fields) list += (list.empty() ? "" : ", ") + f;
  d.notes.push_back(HelpNote("use fields(" + list + ") or build with --storm-version 1.x or 2.x"));
  return d;
}

}  // namespace topoc::backends
