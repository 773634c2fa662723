#include "backends/clojure/clojure_backend.h"

#include <map>
#include <set>
#include <sstream>

#include "backends/backend_util.h"
#include "backends/printer.h"
#include "backends/storm_launch.h"
#include "support/escape.h"

namespace topoc::backends::clojure {

std::string ClojureString(std::string_view text) { return support::Quoted(text, support::kJavaStyle); }

namespace {

std::string ClojureDouble(double v) {
  std::string s = ShortestDouble(v);
  if (s == "nan") return "##NaN";
  if (s == "inf") return "##Inf";
  if (s == "-inf") return "##-Inf";
  // "2" would read back as a Clojure long; "2.0" stays a double.
  if (s.find_first_of(".e") == std::string::npos) s += ".0";
  return s;
}

const ValueSyntax kSyntax{"nil", " ", ", ", " ", ClojureString, ClojureDouble};

void AppendValue(const ir::Value& value, std::string& out) { backends::AppendValue(value, kSyntax, out); }

std::string Munge(std::string_view name) {
  std::string out;
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '-';
    out += ok ? c : '_';
  }
  // A namespace segment cannot start with a digit or '-' (it would read as
  // a number); keep the name recognisable behind a prefix.
  if (out.empty() || (out[0] >= '0' && out[0] <= '9') || out[0] == '-') out = "topology-" + out;
  return out;
}

std::string StringVector(const std::vector<std::string>& items) {
  std::string out = "[";
  for (size_t i = 0; i < items.size(); ++i) {
    if (i) out += ' ';
    out += ClojureString(items[i]);
  }
  return out + "]";
}

std::string JavaArgValue(const ir::JavaArg& arg) {
  switch (arg.type) {
    // Clojure integer literals are longs: (int n) makes the reflective
    // constructor call pick the int overload, as Thrift's int_arg does.
    case ir::JavaArg::Type::kInt: return "(int " + std::to_string(arg.int_value) + ")";
    case ir::JavaArg::Type::kLong: return std::to_string(arg.int_value);
    case ir::JavaArg::Type::kDouble: return ClojureDouble(arg.double_value);
    case ir::JavaArg::Type::kString: return ClojureString(arg.string_value);
    case ir::JavaArg::Type::kBool: return arg.bool_value ? "true" : "false";
  }
  return "nil";
}

std::string_view JavaObjectArgFactory(ir::JavaArg::Type type) {
  switch (type) {
    case ir::JavaArg::Type::kInt: return "int_arg";
    case ir::JavaArg::Type::kLong: return "long_arg";
    case ir::JavaArg::Type::kDouble: return "double_arg";
    case ir::JavaArg::Type::kString: return "string_arg";
    case ir::JavaArg::Type::kBool: return "bool_arg";
  }
  return "string_arg";
}

struct Names {
  std::string storm_pkg;  // backtype.storm / org.apache.storm
};

enum class Dialect { kStorm, kStreamparse };

// Per-topology import bookkeeping: java class -> the symbol used in code.
class Imports {
 public:
  // Returns the symbol to write for `java_class` and records the import.
  std::string Use(const std::string& java_class) {
    auto dot = java_class.rfind('.');
    if (dot == std::string::npos) return java_class;  // default package: no import
    std::string pkg = java_class.substr(0, dot);
    std::string simple = java_class.substr(dot + 1);
    // Every Clojure namespace already maps these java.lang names; importing
    // another class under one of them is an error, so write it in full.
    static const std::set<std::string> kJavaLang = {
        "Boolean", "Byte", "Character", "Class", "Double", "Enum", "Error", "Exception",
        "Float", "Integer", "Iterable", "Long", "Math", "Number", "Object", "Process",
        "Runtime", "RuntimeException", "Short", "String", "StringBuilder", "System",
        "Thread", "Throwable", "Void", "Comparable", "Runnable", "ClassLoader"};
    if (kJavaLang.count(simple)) return java_class;
    auto it = simple_to_class_.find(simple);
    if (it != simple_to_class_.end() && it->second != java_class) return java_class;  // clash
    simple_to_class_[simple] = java_class;
    by_package_[pkg].insert(simple);
    return simple;
  }
  bool empty() const { return by_package_.empty(); }
  // (:import [pkg A B] [pkg2 C])
  std::string Form() const {
    std::string out = "(:import";
    for (const auto& [pkg, names] : by_package_) {
      out += " [" + pkg;
      for (const auto& n : names) out += " " + n;
      out += "]";
    }
    return out + ")";
  }

 private:
  std::map<std::string, std::string> simple_to_class_;
  std::map<std::string, std::set<std::string>> by_package_;
};

class TopologyWriter {
 public:
  TopologyWriter(const ir::Topology& topology, const BackendOptions& options, Dialect dialect)
      : topology_(topology), options_(options), dialect_(dialect) {
    pkg_ = StormJavaPackage(options.storm_version);
  }

  std::string Write() {
    // Components first (they fill imports_), then the header.
    std::ostringstream body;
    {
      Printer p(body);
      if (dialect_ == Dialect::kStorm) {
        WriteStormBody(p);
      } else {
        WriteStreamparseBody(p);
      }
    }
    std::ostringstream file;
    {
      Printer p(file);
      WriteHeader(p);
    }
    file << body.str();
    return file.str();
  }

 private:
  std::string Inputs(const ir::Component& c) {
    std::string out = "{";
    bool first = true;
    for (const auto& in : c.inputs) {
      if (!first) out += ", ";
      first = false;
      if (in.stream->id == ir::kDefaultStream) {
        out += ClojureString(in.source->id);
      } else {
        out += "[" + ClojureString(in.source->id) + " " + ClojureString(in.stream->id) + "]";
      }
      out += ' ';
      out += Grouping(in.grouping);
    }
    return out + "}";
  }

  std::string Grouping(const ir::Grouping& g) {
    using K = ir::Grouping::Kind;
    switch (g.kind) {
      case K::kShuffle: return ":shuffle";
      case K::kFields: return StringVector(g.fields);
      case K::kAll: return ":all";
      case K::kGlobal: return ":global";
      case K::kNone: return ":none";
      case K::kDirect: return ":direct";
      case K::kLocalOrShuffle: return ":local-or-shuffle";
      case K::kPartialKey: {
        // The DSL sends a grouping object Java-serialized (custom_serialized), so
        // unlike the Thrift backend any fields work: new PartialKeyGrouping(Fields).
        std::string pkg = imports_.Use(pkg_ + ".grouping.PartialKeyGrouping");
        std::string fields = imports_.Use(pkg_ + ".tuple.Fields");
        return "(" + pkg + ". (" + fields + ". " + StringVector(g.fields) + "))";
      }
      case K::kCustom: {
        // A JavaObject (class name + typed args) is sent as custom_object: the
        // worker instantiates it, no Java serialization needed.
        std::string jo = imports_.Use(pkg_ + ".generated.JavaObject");
        std::string joa = imports_.Use(pkg_ + ".generated.JavaObjectArg");
        std::string out = "(" + jo + ". " + ClojureString(g.custom_class) + " [";
        for (size_t i = 0; i < g.custom_args.size(); ++i) {
          if (i) out += ' ';
          out += "(" + joa + "/" + std::string(JavaObjectArgFactory(g.custom_args[i].type)) + " " +
                 JavaArgValue(g.custom_args[i]) + ")";
        }
        return out + "])";
      }
    }
    return ":shuffle";
  }

  // Output spec: ["f"] when only a non-direct default stream, else a map.
  std::string Outputs(const ir::Component& c, bool empty_as_vector) {
    if (c.streams.empty()) return empty_as_vector ? "[]" : "{}";
    // The DSL reads a vector as the default stream's fields, the short form
    // Storm's own examples use.
    if (c.streams.size() == 1 && c.streams[0]->id == ir::kDefaultStream && !c.streams[0]->direct) {
      return StringVector(c.streams[0]->fields);
    }
    std::string out = "{";
    for (size_t i = 0; i < c.streams.size(); ++i) {
      const auto& s = *c.streams[i];
      if (i) out += ", ";
      out += ClojureString(s.id) + " ";
      out += s.direct ? "(direct-stream " + StringVector(s.fields) + ")" : StringVector(s.fields);
    }
    return out + "}";
  }

  std::string JavaNew(const ir::Component& c) {
    std::string out = "(" + imports_.Use(c.java_class) + ".";
    for (const auto& a : c.java_args) out += " " + JavaArgValue(a);
    return out + ")";
  }

  // Python components run through the generated launcher, as in every backend
  // (storm_launch.h); the DSL's shell spec takes the argv as a vector.
  std::string Command(const ir::Component& c) {
    if (c.kind == ir::Kind::kPython) {
      return StringVector({options_.python_interpreter, PythonLauncherPath(c.python_class)});
    }
    return StringVector(c.shell_command);
  }

  // Trailing keyword args: :p and :conf.
  void KeywordArgs(Printer& p, const ir::Component& c) {
    if (c.parallelism != 1) p.Print("\n:p $p$", {{"p", std::to_string(c.parallelism)}});
    ir::Value conf = ComponentConf(c);
    if (!conf.empty()) p.Print("\n:conf $conf$", {{"conf", ClojureValue(conf)}});
  }

  void WriteSpec(Printer& p, const ir::Component& c) {
    bool spout = c.role == ir::Role::kSpout;
    if (c.kind == ir::Kind::kJava) {
      p.Print(spout ? "(spout-spec" : "(bolt-spec");
      p.Indent();
      if (!spout) p.Print("\n$inputs$", {{"inputs", Inputs(c)}});
      p.Print("\n$obj$", {{"obj", JavaNew(c)}});
    } else {
      p.Print(spout ? "(shell-spout-spec" : "(shell-bolt-spec");
      p.Indent();
      if (!spout) p.Print("\n$inputs$", {{"inputs", Inputs(c)}});
      p.Print("\n$cmd$\n$out$", {{"cmd", Command(c)}, {"out", Outputs(c, false)}});
    }
    KeywordArgs(p, c);
    p.Print(")");
    p.Outdent();
  }

  void WriteComponentMap(Printer& p, ir::Role role) {
    p.Print("{");
    bool first = true;
    for (const auto& c : topology_.components) {
      if (c->role != role) continue;
      if (!first) p.Print("\n");
      p.Print(first ? "$id$\n" : " $id$\n", {{"id", ClojureString(c->id)}});
      p.Indent();
      WriteSpec(p, *c);
      p.Outdent();
      first = false;
    }
    p.Print("}");
  }

  void WriteStormBody(Printer& p) {
    p.Print("(defn mk-topology []\n");
    p.Indent();
    p.Print("(topology\n");
    p.Indent();
    p.Print(";; spouts\n");
    WriteComponentMap(p, ir::Role::kSpout);
    p.Print("\n;; bolts\n");
    WriteComponentMap(p, ir::Role::kBolt);
    p.Print("))\n");
    p.Outdent();
    p.Outdent();
    p.Print("\n(defn -main [& args]\n"
            "  (StormSubmitter/submitTopology topology-name topology-config (mk-topology)))\n");
    imports_.Use(pkg_ + ".StormSubmitter");
  }

  void WriteStreamparseSpec(Printer& p, const ir::Component& c) {
    bool spout = c.role == ir::Role::kSpout;
    // streamparse's specs cover python components only; others use Storm's own
    // DSL functions, which the ns form then has to :use too.
    if (c.kind != ir::Kind::kPython) {
      uses_storm_dsl_ = true;
      WriteSpec(p, c);
      return;
    }
    p.Print(spout ? "(python-spout-spec" : "(python-bolt-spec");
    p.Indent();
    p.Print("\noptions");
    if (!spout) p.Print("\n$inputs$", {{"inputs", Inputs(c)}});
    p.Print("\n$cls$\n$out$",
            {{"cls", ClojureString(c.python_class)}, {"out", Outputs(c, true)}});
    if (Outputs(c, true).find("direct-stream") != std::string::npos) uses_storm_dsl_ = true;
    KeywordArgs(p, c);
    p.Print(")");
    p.Outdent();
  }

  void WriteStreamparseMap(Printer& p, ir::Role role) {
    p.Print("{");
    bool first = true;
    for (const auto& c : topology_.components) {
      if (c->role != role) continue;
      if (!first) p.Print("\n ");
      p.Print("$id$ ", {{"id", ClojureString(c->id)}});
      p.Indent();
      p.Indent();
      WriteStreamparseSpec(p, *c);
      p.Outdent();
      p.Outdent();
      first = false;
    }
    p.Print("}");
  }

  void WriteStreamparseBody(Printer& p) {
    p.Print("(defn $fn$ [options]\n", {{"fn", NamespaceName(topology_.name)}});
    p.Indent();
    p.Print("[\n ;; spout configuration\n ");
    WriteStreamparseMap(p, ir::Role::kSpout);
    p.Print("\n ;; bolt configuration\n ");
    WriteStreamparseMap(p, ir::Role::kBolt);
    p.Print("\n]\n");
    p.Outdent();
    p.Print(")\n");
  }

  void WriteHeader(Printer& p) {
    p.Print(";; Generated by topoc from topology $name$; do not edit.\n",
            {{"name", ClojureString(topology_.name)}});
    p.Print(";; Storm $v$", {{"v", StormVersionName(options_.storm_version)}});
    // From Storm 2.0 the Clojure DSL is no longer in storm-core's jar.
    if (ClojureDslIsSeparate(options_.storm_version)) {
      p.Print(": the worker needs org.apache.storm/storm-clojure on its classpath");
    }
    p.Print(".\n");
    p.Print("(ns $ns$\n", {{"ns", NamespaceName(topology_.name)}});
    p.Indent();
    if (dialect_ == Dialect::kStorm) {
      p.Print("(:use [$pkg$ clojure config])\n", {{"pkg", pkg_}});
    } else if (uses_storm_dsl_) {
      p.Print("(:use [streamparse.specs] [$pkg$ clojure])\n", {{"pkg", pkg_}});
    } else {
      p.Print("(:use [streamparse.specs])\n");
    }
    if (!imports_.empty()) p.Print("$imports$\n", {{"imports", imports_.Form()}});
    p.Print("(:gen-class))\n");
    p.Outdent();
    p.Print("\n(def topology-name $name$)\n", {{"name", ClojureString(topology_.name)}});
    ir::Value conf = MergedConfig(topology_.config);
    conf["topology.name"] = topology_.name;
    p.Print("\n(def topology-config\n");
    p.Indent();
    p.Print("{");
    bool first = true;
    for (const auto& [k, v] : conf.items()) {
      if (!first) p.Print("\n ");
      first = false;
      p.Print("$k$ $v$", {{"k", ClojureString(k)}, {"v", ClojureValue(v)}});
    }
    p.Print("})\n\n");
    p.Outdent();
  }

  const ir::Topology& topology_;
  const BackendOptions& options_;
  Dialect dialect_;
  std::string pkg_;
  Imports imports_;
  bool uses_storm_dsl_ = false;
};

std::string ProjectClj(const std::string& name, const BackendOptions& options, Dialect dialect,
                       const std::string& release) {
  std::ostringstream out;
  {
    Printer p(out);
    p.Print(";; Generated by topoc; do not edit. The Storm version must match the cluster's.\n");
    p.Print(";; _resources/resources/ is the jar's resources/ folder: `topoc build` of a\n"
            ";; project puts its src/ tree and the streamparse runtime there beside\n"
            ";; _topoc/, so `lein jar` makes the topology jar (topoc submit builds its own).\n");
    p.Print("(defproject $name$ \"0.0.1-SNAPSHOT\"\n", {{"name", name}});
    p.Indent();
    p.Print(":source-paths [\"topologies\"]\n"
            ":resource-paths [\"_resources\"]\n"
            ":target-path \"_build\"\n"
            ":min-lein-version \"2.0.0\"\n"
            ":jvm-opts [\"-client\"]\n");
    std::string rel = ClojureString(release);
    p.Print(":dependencies [[org.apache.storm/$a$ $r$ :scope \"provided\"]",
            {{"a", StormWorkerArtifact(options.storm_version)}, {"r", rel}});
    if (ClojureDslIsSeparate(options.storm_version)) {
      p.Print("\n               [org.apache.storm/storm-clojure $r$]", {{"r", rel}});
    }
    if (dialect == Dialect::kStreamparse) {
      p.Print("\n               [com.parsely/streamparse \"0.0.4-SNAPSHOT\"]");
    }
    p.Print("]\n");
    // Storm's own classes, logging config and defaults.yaml come from the
    // cluster; a second copy in the jar breaks the worker's classpath.
    p.Print(":jar-exclusions [#\"log4j\\.properties\" #\"backtype\" #\"trident\" #\"META-INF\" "
            "#\"meta-inf\" #\"\\.yaml\"]\n"
            ":uberjar-exclusions [#\"log4j\\.properties\" #\"backtype\" #\"trident\" #\"META-INF\" "
            "#\"meta-inf\" #\"\\.yaml\"])\n");
    p.Outdent();
  }
  return out.str();
}

}  // namespace

std::string ClojureValue(const ir::Value& value) {
  std::string out;
  AppendValue(value, out);
  return out;
}

std::string NamespaceName(std::string_view topology) { return Munge(topology); }

std::string TopologyFile(std::string_view topology) {
  std::string stem = Munge(topology);
  // Clojure maps '-' in a namespace to '_' in its file name.
  for (char& c : stem) {
    if (c == '-') c = '_';
  }
  return "topologies/" + stem + ".clj";
}

bool ClojureBackend::Generate(const ir::Program& program, const BackendOptions& options,
                              OutputSink& out, DiagnosticEngine& diags) const {
  bool ok = CheckOptionKeys(options, Name(), {"dialect", "storm-release", "project-name"}, diags);
  auto own = OwnOptions(options, Name());
  Dialect dialect = Dialect::kStorm;
  if (auto it = own.find("dialect"); it != own.end()) {
    if (it->second == "streamparse") {
      dialect = Dialect::kStreamparse;
    } else if (it->second != "storm") {
      ReportBadOptionValue(Name(), "dialect", it->second, "'storm' or 'streamparse'", diags);
      ok = false;
    }
  }
  std::string release(DefaultStormRelease(options.storm_version));
  if (auto it = own.find("storm-release"); it != own.end()) {
    release = it->second;
  }

  auto topologies = SelectTopologies(program, options, diags);
  if (topologies.empty()) return false;

  for (const auto* t : topologies) {
    for (const auto& c : t->components) {
      for (const auto& in : c->inputs) {
        if (in.grouping.kind == ir::Grouping::Kind::kPartialKey &&
            !HasFeature(options.storm_version, StormFeature::kPartialKeyGrouping)) {
          diags.Report(ClojureNoPartialKeyDiagnostic(
              options.storm_version, c->id, in.grouping.fields,
              in.grouping.span.valid() ? in.grouping.span : in.span));
          ok = false;
        }
      }
    }
  }
  if (!ok) return false;

  // Names that differ only in characters the file name cannot keep
  // ("a-b" and "a_b") would overwrite each other's file.
  std::map<std::string, std::string> file_owner;
  for (const auto* t : topologies) {
    auto [it, inserted] = file_owner.emplace(TopologyFile(t->name), t->name);
    if (!inserted) {
      Diagnostic d;
      d.code = std::string(kErrOutputClash);
      d.primary = t->name_span;
      d.message = "topologies '" + it->second + "' and '" + t->name +
                  "' would both be written to " + it->first + " by the clojure backend";
      d.primary_label = "rename one of them";
      diags.Report(std::move(d));
      ok = false;
    }
  }
  if (!ok) return false;

  std::set<std::string> launchers;
  for (const auto* t : topologies) {
    TopologyWriter writer(*t, options, dialect);
    out.Open(TopologyFile(t->name)) << writer.Write();
    if (dialect == Dialect::kStorm) {
      for (const auto& c : t->components) {
        if (c->kind == ir::Kind::kPython) launchers.insert(c->python_class);
      }
    }
  }
  std::string project = topologies.front()->name;
  if (auto it = own.find("project-name"); it != own.end()) project = it->second;
  out.Open("project.clj") << ProjectClj(Munge(project), options, dialect, release);
  for (const auto& f : LaunchFiles(launchers, {})) {
    out.Open(std::string(kLeinResourcesDir) + "/" + ResourcePath(f.path)) << f.text;
  }
  return true;
}

}  // namespace topoc::backends::clojure
