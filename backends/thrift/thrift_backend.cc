#include "backends/thrift/thrift_backend.h"

#include <map>
#include <set>
#include <string>
#include <utility>

#include <fmt/format.h>

#include "backends/backend_util.h"
#include "backends/storm_launch.h"
#include "compiler/diag/diagnostic_kinds.h"
#include "backends/thrift/storm_codec.h"

namespace topoc::backends::thrift {

namespace {

namespace storm = topoc::storm;

constexpr std::string_view kPartialKeyClass = "org.apache.storm.grouping.PartialKeyGrouping";

struct ThriftOptions {
  bool launchers = true;
  std::string storm_version;  // empty: leave StormTopology.storm_version unset
};

Diagnostic Error(std::string code, Span primary, std::string message) {
  Diagnostic d;
  d.code = std::move(code);
  d.severity = Severity::kError;
  d.primary = primary;
  d.message = std::move(message);
  return d;
}

Diagnostic Help(std::string text) {
  Diagnostic d;
  d.severity = Severity::kHelp;
  d.message = std::move(text);
  return d;
}

bool ParseOptions(const BackendOptions& options, DiagnosticEngine& diags, ThriftOptions* out) {
  bool ok = true;
  for (const auto& [raw_key, value] : options.extra) {
    // `-O clojure.x=...` belongs to another backend: one option list serves
    // every target of a build, so this backend skips the others' keys.
    std::string_view key;
    if (!IsOwnOptionKey(raw_key, "thrift", &key)) continue;
    if (key == "launchers") {
      if (value == "true") {
        out->launchers = true;
      } else if (value == "false") {
        out->launchers = false;
      } else {
        diags.Report(Error(std::string(kErrBadBackendOption), Span{},
                           fmt::format("invalid value '{}' for thrift option '{}': expected "
                                       "true or false",
                                       value, raw_key)));
        ok = false;
      }
    } else if (key == "storm_version") {
      if (!HasFeature(options.storm_version, StormFeature::kTopologyVersionField)) {
        diags.Report(NoTopologyVersionFieldDiagnostic(options.storm_version));
        ok = false;
      } else if (!IsStormRelease(value, options.storm_version)) {
        auto d = Error(std::string(kErrBadBackendOption), Span{},
                       fmt::format("invalid value '{}' for thrift option 'storm_version': "
                                   "expected a Storm {} version such as {}",
                                   value, StormVersionName(options.storm_version),
                                   ExampleStormRelease(options.storm_version)));
        diags.Report(std::move(d));
        ok = false;
      } else {
        out->storm_version = value;
      }
    } else {
      auto d = Error(std::string(kErrBadBackendOption), Span{},
                     fmt::format("unknown option '{}' for the thrift backend", raw_key));
      d.notes.push_back(Help("the thrift backend knows: launchers=true|false, "
                             "storm_version=X.Y.Z"));
      diags.Report(std::move(d));
      ok = false;
    }
  }
  return ok;
}

storm::JavaObjectArg ToThrift(const ir::JavaArg& arg) {
  storm::JavaObjectArg out;
  switch (arg.type) {
    // JavaObjectArg is a Thrift union: exactly one member is set, and its type
    // picks the Java constructor overload Storm calls (int vs long).
    case ir::JavaArg::Type::kInt: out.__set_int_arg(static_cast<int32_t>(arg.int_value)); break;
    case ir::JavaArg::Type::kLong: out.__set_long_arg(arg.int_value); break;
    case ir::JavaArg::Type::kDouble: out.__set_double_arg(arg.double_value); break;
    case ir::JavaArg::Type::kString: out.__set_string_arg(arg.string_value); break;
    case ir::JavaArg::Type::kBool: out.__set_bool_arg(arg.bool_value); break;
  }
  return out;
}

storm::JavaObject ToJavaObject(const std::string& cls, const std::vector<ir::JavaArg>& args) {
  storm::JavaObject object;
  object.__set_full_class_name(cls);
  std::vector<storm::JavaObjectArg> list;
  list.reserve(args.size());
  for (const auto& a : args) list.push_back(ToThrift(a));
  object.args_list = std::move(list);
  return object;
}

std::string JoinFields(const std::vector<std::string>& fields) {
  std::string s;
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i) s += ", ";
    s += fields[i];
  }
  return s;
}

bool BuildComponentObject(const ir::Component& c, const BackendOptions& options,
                          DiagnosticEngine& diags, storm::ComponentObject* out) {
  switch (c.kind) {
    case ir::Kind::kPython: {
      storm::ShellComponent shell;
      // Storm starts a ShellComponent as `execution_command script` in the
      // jar's resources/ folder; the launcher imports the class and runs it.
      shell.__set_execution_command(options.python_interpreter);
      shell.__set_script(PythonLauncherPath(c.python_class));
      out->shell = std::move(shell);
      out->__isset.shell = true;
      return true;
    }
    case ir::Kind::kShell: {
      // Sema refuses an empty command; an IR built by hand can still hold one.
      if (c.shell_command.empty() || c.shell_command[0].empty()) {
        auto d = diag::Make(diag::DiagKind::kShellCommandEmpty, c.span, c.id);
        d.primary_label = "Storm needs a program to run";
        d.notes.push_back(Help("give the command, e.g. shell [\"node\", \"" + c.id + ".js\"]"));
        diags.Report(std::move(d));
        return false;
      }
      storm::ShellComponent shell;
      if (NeedsShellWrapper(c.shell_command)) {
        // Storm runs exactly two strings: run the argv through a wrapper.
        shell.__set_execution_command(std::string(kShellWrapperInterpreter));
        shell.__set_script(ShellWrapperPath(c.id));
      } else {
        shell.__set_execution_command(c.shell_command[0]);
        shell.__set_script(c.shell_command[1]);
      }
      out->shell = std::move(shell);
      out->__isset.shell = true;
      return true;
    }
    case ir::Kind::kJava:
      out->java_object = ToJavaObject(c.java_class, c.java_args);
      out->__isset.java_object = true;
      return true;
  }
  return false;
}

bool BuildGrouping(const ir::Component& consumer, const ir::Input& input,
                   const BackendOptions& options, DiagnosticEngine& diags,
                   storm::Grouping* out) {
  const ir::Grouping& g = input.grouping;
  switch (g.kind) {
    case ir::Grouping::Kind::kShuffle: out->__set_shuffle(storm::NullStruct()); return true;
    case ir::Grouping::Kind::kFields: out->__set_fields(g.fields); return true;
    case ir::Grouping::Kind::kAll: out->__set_all(storm::NullStruct()); return true;
    // Storm has no "global" member: global is a fields grouping on no
    // fields (Thrift.prepareGlobalGrouping, TopologyBuilder.globalGrouping).
    case ir::Grouping::Kind::kGlobal: out->__set_fields({}); return true;
    case ir::Grouping::Kind::kNone: out->__set_none(storm::NullStruct()); return true;
    case ir::Grouping::Kind::kDirect: out->__set_direct(storm::NullStruct()); return true;
    case ir::Grouping::Kind::kLocalOrShuffle:
      out->__set_local_or_shuffle(storm::NullStruct());
      return true;
    case ir::Grouping::Kind::kCustom:
      out->__set_custom_object(ToJavaObject(g.custom_class, g.custom_args));
      return true;
    case ir::Grouping::Kind::kPartialKey: {
      const std::vector<std::string>& stream_fields = input.stream->fields;
      if (!HasFeature(options.storm_version, StormFeature::kPartialKeyGrouping)) {
        diags.Report(ThriftNoPartialKeyDiagnostic(options.storm_version, consumer.id, g.span));
        return false;
      }
      if (stream_fields.empty() || g.fields.size() != 1 || g.fields[0] != stream_fields[0]) {
        auto d = Error(
            std::string(kErrUnsupportedGrouping), g.span,
            fmt::format("the thrift backend cannot express partial-key({}) on stream '{}' of "
                        "'{}': only a partial-key on the stream's first field ({}) can be "
                        "sent without Java serialization",
                        JoinFields(g.fields), input.stream->id, input.source->id,
                        stream_fields.empty() ? std::string("none") : stream_fields[0]));
        d.primary_label = "needs Java serialization for these fields";
        d.notes.push_back(Help(
            "declare the key field first in the stream's output and group on it alone, use "
            "a fields grouping, or build with --target flux"));
        diags.Report(std::move(d));
        return false;
      }
      storm::JavaObject object;
      // Storm has no partial-key member either: it is a custom grouping. The
      // no-argument PartialKeyGrouping hashes each tuple's first value; naming
      // other fields would need a Java-serialized Fields argument, which topoc
      // does not write (hence the check above).
      object.__set_full_class_name(std::string(kPartialKeyClass));
      object.__set_args_list({});
      out->__set_custom_object(std::move(object));
      return true;
    }
  }
  return false;
}

bool BuildCommon(const ir::Component& c, const BackendOptions& options, DiagnosticEngine& diags,
                 storm::ComponentCommon* out) {
  bool ok = true;
  // std::map: the encoder writes map entries in key order, so the bytes do
  // not depend on declaration order (thrift/storm_ordering.cc).
  std::map<storm::GlobalStreamId, storm::Grouping> inputs;
  for (const auto& input : c.inputs) {
    storm::GlobalStreamId id;
    id.__set_componentId(input.source->id);
    id.__set_streamId(input.stream->id);
    storm::Grouping grouping;
    if (!BuildGrouping(c, input, options, diags, &grouping)) {
      ok = false;
      continue;
    }
    inputs.emplace(std::move(id), std::move(grouping));
  }
  out->inputs = std::move(inputs);

  std::map<std::string, storm::StreamInfo> streams;
  for (const auto& s : c.streams) {
    storm::StreamInfo info;
    info.__set_output_fields(s->fields);
    info.__set_direct(s->direct);
    streams.emplace(s->id, std::move(info));
  }
  out->streams = std::move(streams);
  out->__set_parallelism_hint(c.parallelism);

  // A component's config travels as a JSON string; Storm reads the number
  // of tasks from it (topology.tasks), there is no Thrift field for it.
  ir::Value conf = ir::Value::object();
  for (const auto& entry : c.config) conf[entry.key] = entry.value;
  if (c.tasks) conf["topology.tasks"] = *c.tasks;
  // `replace`: invalid UTF-8 in a value becomes U+FFFD instead of throwing.
  out->json_conf = conf.dump(-1, ' ', false, ir::Value::error_handler_t::replace);
  out->__isset.json_conf = true;
  return ok;
}

bool Build(const ir::Topology& topology, const BackendOptions& options,
           const ThriftOptions& thrift_options, DiagnosticEngine& diags,
           storm::StormTopology* out) {
  bool ok = true;
  std::map<std::string, storm::SpoutSpec> spouts;
  std::map<std::string, storm::Bolt> bolts;
  for (const auto& c : topology.components) {
    storm::ComponentObject object;
    storm::ComponentCommon common;
    bool component_ok = BuildComponentObject(*c, options, diags, &object);
    component_ok = BuildCommon(*c, options, diags, &common) && component_ok;
    if (!component_ok) {
      ok = false;
      continue;
    }
    if (c->role == ir::Role::kSpout) {
      storm::SpoutSpec spec;
      spec.spout_object = std::move(object);
      spec.common = std::move(common);
      spouts.emplace(c->id, std::move(spec));
    } else {
      storm::Bolt spec;
      spec.bolt_object = std::move(object);
      spec.common = std::move(common);
      bolts.emplace(c->id, std::move(spec));
    }
  }
  *out = storm::StormTopology();
  // Direct moves: the generated __set_x setters copy their argument.
  out->spouts = std::move(spouts);
  out->bolts = std::move(bolts);
  // state_spouts is required but unused by Storm's own submitters: empty.
  out->state_spouts.clear();
  if (!thrift_options.storm_version.empty()) {
    // Unset by default: the field exists from Storm 1.2.0, and Nimbus 2.x
    // falls back to its own version when it is missing.
    out->__set_storm_version(thrift_options.storm_version);
  }
  return ok;
}

}  // namespace

bool BuildStormTopology(const ir::Topology& topology, const BackendOptions& options,
                        DiagnosticEngine& diags, storm::StormTopology* out) {
  ThriftOptions thrift_options;
  if (!ParseOptions(options, diags, &thrift_options)) return false;
  return Build(topology, options, thrift_options, diags, out);
}

bool ThriftBackend::Generate(const ir::Program& program, const BackendOptions& options,
                             OutputSink& sink, DiagnosticEngine& diags) const {
  ThriftOptions thrift_options;
  if (!ParseOptions(options, diags, &thrift_options)) return false;

  std::vector<const ir::Topology*> selected = SelectTopologies(program, options, diags);
  if (selected.empty() && !options.topology_name.empty()) return false;

  // Build everything first so that nothing is written when any topology fails.
  bool ok = true;
  std::vector<std::pair<std::string, std::string>> files;  // path -> bytes
  std::set<std::string> python_classes;
  std::map<std::string, std::vector<std::string>> shell_commands;  // wrapped ones: id -> argv
  std::map<std::string, std::string> wrapper_owner;                // id -> first topology

  for (const ir::Topology* t : selected) {
    storm::StormTopology topology;
    if (!Build(*t, options, thrift_options, diags, &topology)) {
      ok = false;
      continue;
    }
    files.emplace_back(t->name + ".stormtopology", EncodeStormTopology(topology));
    for (const auto& c : t->components) {
      if (c->kind == ir::Kind::kPython) python_classes.insert(c->python_class);
      if (c->kind == ir::Kind::kShell && NeedsShellWrapper(c->shell_command)) {
        // Topologies share resources/: the same id with another command in
        // another topology would overwrite the wrapper.
        auto [it, inserted] = shell_commands.emplace(c->id, c->shell_command);
        if (inserted) wrapper_owner[c->id] = t->name;
        if (!inserted && it->second != c->shell_command) {
          auto d = Error(std::string(kErrOutputClash), c->span,
                         "shell component '" + c->id + "' of topologies '" + wrapper_owner[c->id] +
                             "' and '" + t->name + "' has two commands, both wrapped as " +
                             ResourcePath(ShellWrapperPath(c->id)) + " by the thrift backend");
          d.primary_label = "rename one of them, or build one topology at a time with --name";
          diags.Report(std::move(d));
          ok = false;
        }
      }
    }
  }
  if (!ok) return false;
  if (thrift_options.launchers) {
    for (auto& f : LaunchFiles(python_classes, shell_commands)) {
      files.emplace_back(ResourcePath(f.path), std::move(f.text));
    }
  }
  for (const auto& [path, bytes] : files) {
    std::ostream& os = sink.Open(path);
    os.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  }
  return true;
}

}  // namespace topoc::backends::thrift
