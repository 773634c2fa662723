// Proof that the generated Clojure reads: writes the backend's files to a
// temp dir, has Debian's `clojure` read and evaluate them against recording
// stand-ins of Storm's DSL (testdata/record_dsl.clj), and compares what the
// DSL was called with against the IR. Skipped when `clojure` is missing.
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include <unistd.h>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "backends/backend_util.h"
#include "backends/clojure/clojure_backend.h"
#include "backends/storm_launch.h"
#include "backends/testing/sample_ir.h"

namespace topoc::backends::clojure {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// Equal with number types kept apart (1 vs 1.0), unlike json::operator==.
bool StrictEqual(const json& a, const json& b) {
  auto kind = [](const json& j) {
    return j.is_number_integer() ? 1 : j.is_number_float() ? 2 : 0;
  };
  if (kind(a) != kind(b)) return false;
  if (a.is_array() && b.is_array()) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i) {
      if (!StrictEqual(a[i], b[i])) return false;
    }
    return true;
  }
  if (a.is_object() && b.is_object()) {
    if (a.size() != b.size()) return false;
    for (auto it = a.begin(); it != a.end(); ++it) {
      if (!b.contains(it.key()) || !StrictEqual(it.value(), b.at(it.key()))) return false;
    }
    return true;
  }
  return a == b;
}

json TypedArg(const ir::JavaArg& a) {
  switch (a.type) {
    case ir::JavaArg::Type::kInt: return {{"type", "int"}, {"value", a.int_value}};
    case ir::JavaArg::Type::kLong: return {{"type", "long"}, {"value", a.int_value}};
    case ir::JavaArg::Type::kDouble: return {{"type", "double"}, {"value", a.double_value}};
    case ir::JavaArg::Type::kString: return {{"type", "string"}, {"value", a.string_value}};
    case ir::JavaArg::Type::kBool: return {{"type", "bool"}, {"value", a.bool_value}};
  }
  return nullptr;
}

json ExpectedGrouping(const ir::Grouping& g, const std::string& pkg) {
  using K = ir::Grouping::Kind;
  switch (g.kind) {
    case K::kFields: return {{"kind", "fields"}, {"fields", g.fields}};
    case K::kPartialKey:
      return {{"kind", "partial-key"}, {"fields", g.fields},
              {"fields-class", pkg + ".tuple.Fields"},
              {"class", pkg + ".grouping.PartialKeyGrouping"}};
    case K::kCustom: {
      json args = json::array();
      for (const auto& a : g.custom_args) {
        std::string t(JavaArgTypeName(a.type));
        if (t == "int" || t == "long" || t == "double" || t == "string" || t == "bool") {
          args.push_back({{"factory", pkg + ".generated.JavaObjectArg/" + t + "_arg"},
                          {"arg", TypedArg(a)}});
        }
      }
      return {{"kind", "custom"}, {"class", g.custom_class}, {"args", args}};
    }
    default: return {{"kind", std::string(ir::GroupingKindName(g.kind))}};
  }
}

json ExpectedOutputs(const ir::Component& c, bool streamparse) {
  json out = json::object();
  for (const auto& s : c.streams) out[s->id] = {{"fields", s->fields}, {"direct", s->direct}};
  if (streamparse && c.streams.empty()) out["default"] = {{"fields", json::array()}, {"direct", false}};
  return out;
}

void CompareComponent(const ir::Component& c, const json& rec, const std::string& pkg,
                      bool streamparse) {
  INFO("component " << c.id);
  bool spout = c.role == ir::Role::kSpout;
  if (c.kind == ir::Kind::kJava) {
    CHECK(rec["spec"] == (spout ? "spout-spec" : "bolt-spec"));
    json args = json::array();
    for (const auto& a : c.java_args) args.push_back(TypedArg(a));
    CHECK(rec["object"]["java-new"] == c.java_class);
    CHECK(StrictEqual(rec["object"]["args"], args));
  } else if (c.kind == ir::Kind::kPython && streamparse) {
    CHECK(rec["spec"] == (spout ? "python-spout-spec" : "python-bolt-spec"));
    CHECK(rec["class"] == c.python_class);
    CHECK(rec["outputs"] == ExpectedOutputs(c, true));
  } else {
    CHECK(rec["spec"] == (spout ? "shell-spout-spec" : "shell-bolt-spec"));
    json cmd = c.kind == ir::Kind::kPython
                   ? json::array({"python3", PythonLauncherPath(c.python_class)})
                   : json(c.shell_command);
    CHECK(rec["command"] == cmd);
    CHECK(rec["outputs"] == ExpectedOutputs(c, false));
  }
  if (spout) {
    CHECK_FALSE(rec.contains("inputs"));
  } else {
    std::map<std::pair<std::string, std::string>, json> got;
    for (const auto& in : rec["inputs"]) got[{in["component"], in["stream"]}] = in["grouping"];
    REQUIRE(got.size() == c.inputs.size());
    for (const auto& in : c.inputs) {
      INFO("input " << in.source->id << "." << in.stream->id);
      auto it = got.find({in.source->id, in.stream->id});
      REQUIRE(it != got.end());
      CHECK(StrictEqual(it->second, ExpectedGrouping(in.grouping, pkg)));
    }
  }
  CHECK(rec.value("p", 1) == c.parallelism);
  json conf = ComponentConf(c);
  CHECK(StrictEqual(rec.value("conf", json::object()), conf));
}

void CompareTopology(const ir::Topology& t, const json& rec, StormVersion v, bool streamparse) {
  INFO("topology " << t.name);
  std::string pkg = v == StormVersion::k0_9 ? "backtype.storm" : "org.apache.storm";
  CHECK(rec["ns"] == NamespaceName(t.name));
  CHECK(rec["dialect"] == (streamparse ? "streamparse" : "storm"));
  CHECK(rec["name"] == t.name);
  json config = MergedConfig(t.config);
  config["topology.name"] = t.name;
  CHECK(StrictEqual(rec["config"], config));
  if (!streamparse) {
    CHECK(rec["uses"] == json::array({pkg + " clojure config"}));
    CHECK(rec["has-main"] == true);
  }
  size_t spouts = 0, bolts = 0;
  for (const auto& c : t.components) {
    const json& map = c->role == ir::Role::kSpout ? rec["spouts"] : rec["bolts"];
    (c->role == ir::Role::kSpout ? spouts : bolts)++;
    REQUIRE_MESSAGE(map.contains(c->id), "missing " << c->id);
    CompareComponent(*c, map[c->id], pkg, streamparse);
  }
  CHECK(rec["spouts"].size() == spouts);
  CHECK(rec["bolts"].size() == bolts);
}

bool HaveClojure() { return std::system("command -v clojure >/dev/null 2>&1") == 0; }

struct Case {
  const ir::Program* program;
  StormVersion version;
  bool streamparse;
  fs::path dir;
};

// Generates every case into its own folder, runs the harness once on all
// the .clj files (one JVM start), and compares each recorded topology with
// the IR it came from.
void CheckAll(std::vector<Case> cases) {
  if (!HaveClojure()) {
    MESSAGE("clojure not installed; skipped");
    return;
  }
  fs::path root = fs::temp_directory_path() / ("topoc_clj_" + std::to_string(getpid()));
  fs::remove_all(root);
  std::string args;
  for (size_t i = 0; i < cases.size(); ++i) {
    Case& c = cases[i];
    c.dir = root / std::to_string(i);
    BackendOptions options;
    options.storm_version = c.version;
    if (c.streamparse) options.extra["dialect"] = "streamparse";
    MemorySink sink;
    DiagnosticEngine diags;
    REQUIRE(ClojureBackend().Generate(*c.program, options, sink, diags));
    for (const auto& [path, text] : sink.Files()) {
      fs::path p = c.dir / path;
      fs::create_directories(p.parent_path());
      std::ofstream(p, std::ios::binary) << text;
      if (path.rfind("topologies/", 0) == 0) args += " '" + p.string() + "'";
    }
  }
  const char* src = std::getenv("TOPOC_SOURCE_DIR");
  fs::path harness = fs::path(src ? src : TOPOC_TEST_SOURCE_DIR) /
                     "backends/clojure/testdata/record_dsl.clj";
  fs::path out = root / "recorded.json";
  std::string cmd = "clojure '" + harness.string() + "'" + args + " > '" + out.string() + "'";
  int rc = std::system(cmd.c_str());
  REQUIRE_MESSAGE(rc == 0, "clojure failed: " << cmd);
  json recorded = json::parse(std::ifstream(out));
  for (const auto& c : cases) {
    for (const auto& t : c.program->topologies) {
      std::string file = (c.dir / TopologyFile(t->name)).string();
      const json* found = nullptr;
      for (const auto& r : recorded) {
        if (r["file"] == file) found = &r;
      }
      REQUIRE_MESSAGE(found, "no record of " << file);
      CompareTopology(*t, *found, c.version, c.streamparse);
    }
  }
  fs::remove_all(root);
}

TEST_CASE("clojure reads the generated files as the IR says") {
  auto every = testing::MakeEveryFeature();
  auto wc = testing::MakeWordcount();
  auto sentences = testing::MakeSentences();
  CheckAll({
      {every.get(), StormVersion::k2_x, false, {}},
      {every.get(), StormVersion::k1_x, false, {}},
      {wc.get(), StormVersion::k0_9, false, {}},
      {sentences.get(), StormVersion::k0_9, true, {}},
      {sentences.get(), StormVersion::k2_x, true, {}},
      {sentences.get(), StormVersion::k2_x, false, {}},
  });
}

}  // namespace
}  // namespace topoc::backends::clojure
