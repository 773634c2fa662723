#include "backends/storm_version.h"

#include <doctest/doctest.h>

#include "backends/backend_util.h"

namespace topoc::backends {
namespace {

constexpr StormVersion kAll[] = {StormVersion::k0_9, StormVersion::k1_x, StormVersion::k2_x};

TEST_CASE("ParseStormVersion reads back every name, and only those") {
  for (auto v : kAll) CHECK(ParseStormVersion(StormVersionName(v)) == v);
  CHECK(StormVersionName(StormVersion::k0_9) == "0.9");
  CHECK(StormVersionName(StormVersion::k1_x) == "1.x");
  CHECK(kDefaultStormVersionName == "2.x");
  for (auto bad : {"", "2", "2.8.8", "1.X", "0.10", " 2.x"}) CHECK_FALSE(ParseStormVersion(bad));
}

TEST_CASE("Java packages, artifacts and releases per line") {
  CHECK(StormJavaPackage(StormVersion::k0_9) == "backtype.storm");
  CHECK(StormJavaPackage(StormVersion::k1_x) == "org.apache.storm");
  CHECK(StormJavaPackage(StormVersion::k2_x) == "org.apache.storm");
  CHECK(StormWorkerArtifact(StormVersion::k1_x) == "storm-core");
  CHECK(StormWorkerArtifact(StormVersion::k2_x) == "storm-client");
  CHECK_FALSE(ClojureDslIsSeparate(StormVersion::k1_x));
  CHECK(ClojureDslIsSeparate(StormVersion::k2_x));
  CHECK(DefaultStormRelease(StormVersion::k0_9) == "0.9.7");
  CHECK(DefaultStormRelease(StormVersion::k2_x) == "2.8.8");
  for (auto v : kAll) {
    CHECK(IsStormRelease(DefaultStormRelease(v), v));
    CHECK(IsStormRelease(ExampleStormRelease(v), v));
  }
}

TEST_CASE("IsStormRelease: dotted digits with an optional suffix, of the same line") {
  CHECK(IsStormRelease("2.9.0-SNAPSHOT", StormVersion::k2_x));
  CHECK(IsStormRelease("1.2", StormVersion::k1_x));
  CHECK_FALSE(IsStormRelease("1.2.4", StormVersion::k2_x));
  CHECK_FALSE(IsStormRelease("2.x", StormVersion::k2_x));
  CHECK_FALSE(IsStormRelease("2", StormVersion::k2_x));
  CHECK_FALSE(IsStormRelease("2.8.8.1", StormVersion::k2_x));
  CHECK_FALSE(IsStormRelease("2..8", StormVersion::k2_x));
  CHECK_FALSE(IsStormRelease("2.8.8-", StormVersion::k2_x));
}

TEST_CASE("0.9 lacks every optional feature; the later lines have them") {
  for (auto f : {StormFeature::kPartialKeyGrouping, StormFeature::kFlux,
                 StormFeature::kLoadAwareMessaging, StormFeature::kShellBoltMaxPending,
                 StormFeature::kTopologyVersionField}) {
    CHECK_FALSE(HasFeature(StormVersion::k0_9, f));
    CHECK(HasFeature(StormVersion::k1_x, f));
    CHECK(HasFeature(StormVersion::k2_x, f));
    CHECK_FALSE(FeatureSince(f).empty());
  }
  CHECK(FeatureSince(StormFeature::kFlux) == "0.10");
  CHECK(FeatureSince(StormFeature::kTopologyVersionField) == "1.2.0");
}

TEST_CASE("The 0.9 diagnostics: codes, texts and help") {
  Diagnostic flux = NoFluxDiagnostic(StormVersion::k0_9);
  CHECK(flux.code == kErrUnsupportedStormVersion);
  CHECK(flux.message == "the flux target needs Storm 0.10 or later, but --storm-version is 0.9");
  REQUIRE(flux.notes.size() == 1);
  CHECK(flux.notes[0].severity == Severity::kHelp);

  Diagnostic field = NoTopologyVersionFieldDiagnostic(StormVersion::k0_9);
  CHECK(field.code == kErrBadBackendOption);
  CHECK(field.message ==
        "thrift option 'storm_version' is not available for Storm 0.9: "
        "StormTopology.storm_version was added in Storm 1.2.0");

  Span span{FileId{1}, 3, 9};
  Diagnostic thrift = ThriftNoPartialKeyDiagnostic(StormVersion::k0_9, "count", span);
  CHECK(thrift.code == kErrUnsupportedGrouping);
  CHECK(thrift.primary.begin == 3);
  CHECK(thrift.message ==
        "partial-key grouping of 'count' is not available for Storm 0.9: PartialKeyGrouping "
        "was added in Storm 0.10");

  Diagnostic clj = ClojureNoPartialKeyDiagnostic(StormVersion::k0_9, "count", {"a", "b"}, span);
  CHECK(clj.code == kErrUnsupportedGrouping);
  CHECK(clj.primary_label == "PartialKeyGrouping first shipped in Storm 0.10");
  REQUIRE(clj.notes.size() == 1);
  CHECK(clj.notes[0].message == "use fields(a, b) or build with --storm-version 1.x or 2.x");
}

}  // namespace
}  // namespace topoc::backends
