#include "import/clojure_import.h"

#include <climits>
#include <deque>
#include <map>
#include <optional>
#include <set>

#include <fmt/format.h>

#include "import/clojure_values.h"

namespace topoc::import {

namespace {

using T = Form::Type;

bool IsSpecFn(std::string_view name) {
  static constexpr std::string_view kNames[] = {
      "python-spout-spec", "python-bolt-spec", "shell-spout-spec", "shell-bolt-spec", "spout-spec",
      "bolt-spec", "mk-spout-spec", "mk-bolt-spec", "mk-shell-spout-spec", "mk-shell-bolt-spec"};
  for (auto n : kNames) {
    if (n == name) return true;
  }
  return false;
}

// (topology spouts bolts [state-spouts]) / (mk-topology ...): a DSL call
// (with arguments; `(mk-topology)` calls the user's own function).
bool IsTopologyCall(const Form& f) {
  std::string_view head = Local(f.Head());
  return (head == "topology" || head == "mk-topology") && f.items.size() >= 3;
}

bool IsSeedVector(const Form& f) {
  if (f.type != T::kVector || f.items.size() < 2 || f.items.size() > 3) return false;
  for (const auto& item : f.items) {
    if (item.type != T::kMap) return false;
  }
  return true;
}

bool IsTopologyForm(const Form& f) { return IsTopologyCall(f) || IsSeedVector(f); }

// Whether `f` uses the topology DSL anywhere (for "computed by code").
const Form* FindDsl(const Form& f) {
  if (f.type == T::kList) {
    std::string_view head = Local(f.Head());
    if (IsSpecFn(head) || IsTopologyCall(f)) return &f;
  }
  for (const auto& item : f.items) {
    if (const Form* found = FindDsl(item)) return found;
  }
  return nullptr;
}

class ClojureImporter : ClojureDataReader {
 public:
  ClojureImporter(Topology* out) : out_(*out) {}

  void Run(const std::vector<Form>& forms, const std::string& default_name) {
    out_.name = default_name;
    // Top-level (def NAME data): a topology may name its maps, vectors and
    // strings; they are read in place of the symbol (never evaluated).
    for (const Form& f : forms) {
      if (Local(f.Head()) == "def" && (f.items.size() == 3 || f.items.size() == 4) &&
          f.items[1].type == T::kSymbol) {
        const Form& value = f.items.back();
        if (value.type != T::kList && value.type != T::kSymbol && value.type != T::kAnonFn) {
          defs_[f.items[1].text] = &value;
        }
      }
    }
    struct Candidate {
      const Form* form;
      const Form* params;  // the defn's parameter vector, or null
      std::string owner;   // "defn wordcount"
    };
    std::vector<Candidate> candidates;
    const Form* code = nullptr;      // a top-level form that uses the DSL through code
    const Form* code_at = nullptr;   // the form inside it that is code
    const Form* config = nullptr;
    const Form* first_call = nullptr;  // a top-level call that may compute the topology
    for (const Form& f : forms) {
      std::string_view head = Local(f.Head());
      if (head == "ns") {
        ReadNs(f);
        continue;
      }
      if (head == "def" && f.items.size() >= 3 && f.items[1].type == T::kSymbol) {
        const Form& value = f.items.back();
        const std::string& name = f.items[1].text;
        if (name == "topology-name" && value.type == T::kString) {
          if (value.text.empty()) Fail(value, "topology-name is empty: name the topology");
          out_.name = value.text;
          continue;
        }
        if (name == "topology-config") {
          config = Substituted(value, {});
          continue;
        }
        if (const Form* sub = Substituted(value, {}); IsTopologyForm(*sub)) {
          candidates.push_back({sub, nullptr, "def " + name});
          continue;
        }
        if (!code && FindDsl(value)) {
          code = &f;
          code_at = &value;
        }
        continue;
      }
      if ((head == "defn" || head == "defn-") && f.items.size() >= 3 && f.items[1].type == T::kSymbol) {
        // (defn name "doc"? {attrs}? [params] body...) or multi-arity.
        size_t i = 2;
        if (i < f.items.size() && f.items[i].type == T::kString) ++i;
        if (i < f.items.size() && f.items[i].type == T::kMap) ++i;
        if (i < f.items.size() && f.items[i].type == T::kVector && i + 1 < f.items.size()) {
          std::set<std::string> params;
          CollectSymbols(f.items[i], params);
          const Form* body = Substituted(f.items.back(), params);
          if (IsTopologyForm(*body)) {
            candidates.push_back({body, &f.items[i], "defn " + f.items[1].text});
            continue;
          }
          if (!code && FindDsl(f)) {
            code = &f;
            code_at = &f.items.back();
            // The first body form that uses the DSL, when it is not the last.
            for (size_t k = i + 1; k < f.items.size(); ++k) {
              if (FindDsl(f.items[k])) {
                code_at = &f.items[k];
                break;
              }
            }
          }
          continue;
        }
        if (!code && FindDsl(f)) {
          code = &f;
          code_at = &f;
        }
        continue;
      }
      if (IsTopologyCall(f)) {
        candidates.push_back({Substituted(f, {}), nullptr, "the top level"});
        continue;
      }
      if (!code && FindDsl(f)) {
        code = &f;
        code_at = &f;
      }
      // A call at the top level (a macro such as (deftopology ...)) may be
      // what builds the topology.
      static constexpr std::string_view kDeclarations[] = {
          "defmacro", "defspout", "defbolt", "defonce", "defmulti", "defmethod", "defprotocol",
          "defrecord", "deftype", "comment", "require", "use", "import", "declare", "in-ns"};
      bool declaration = false;
      for (auto d : kDeclarations) declaration = declaration || head == d;
      if (!first_call && !declaration && f.type == T::kList && !head.empty() && head != "def" &&
          head != "defn" && head != "defn-") {
        first_call = &f;
      }
    }
    if (candidates.empty()) {
      if (code) {
        Fail(*code_at, "the topology is computed by code, which topoc import does not run: found " +
                           Found(*code_at) +
                           "; write it as data, as (defn NAME [options] [{spouts} {bolts}]) or "
                           "(topology {spouts} {bolts})");
      }
      if (first_call) {
        Fail(*first_call, "no topology written as data was found, and " + Found(*first_call) +
                              " may compute one (a macro or function), which topoc import does not run; "
                              "write it as (defn NAME [options] [{spouts} {bolts}]) or (topology {spouts} {bolts})");
      }
      throw Failure{{0, 0},
                    "no topology found: expected (defn NAME [options] [{spouts} {bolts}]) (the seed's "
                    "streamparse form) or Storm's (topology {spouts} {bolts})"};
    }
    if (candidates.size() > 1) {
      Fail(*candidates[1].form,
           fmt::format("a second topology (in {}; the first is in {} at line {}): a .clj file holds "
                       "one topology, named after the file",
                       candidates[1].owner, candidates[0].owner, candidates[0].form->pos.line));
    }
    const Candidate& c = candidates.front();
    // In the seed's (defn NAME [options] ...), `options` is streamparse's
    // runtime options map, passed through to every spec: recognised by name
    // wherever a spec takes it, never read as data.
    if (c.params && !c.params->items.empty() && c.params->items[0].type == T::kSymbol) {
      options_symbol_ = c.params->items[0].text;
    }
    if (config) ReadTopologyConfig(*config);
    const Form& top = *c.form;
    std::vector<const Form*> maps;
    // The seed's form is a vector [spouts bolts]; Storm's is (topology spouts
    // bolts [state-spouts]): both give the same two maps.
    if (top.type == T::kVector) {
      for (const auto& m : top.items) maps.push_back(&m);
    } else {
      for (size_t i = 1; i < top.items.size(); ++i) maps.push_back(&top.items[i]);
      if (maps.size() > 3) Fail(top.items[4], "topology takes a spout map, a bolt map and an optional state spout map");
    }
    for (const Form* m : maps) {
      if (m->type != T::kMap) {
        Fail(*m, "expected a map of component id to spec here, found " + Found(*m) +
                     " (a topology computed by code is not imported)");
      }
    }
    if (maps.size() == 3 && !maps[2]->items.empty()) {
      Fail(*maps[2], "state spouts (the third map) are not supported by Storm nor by topoc");
    }
    ReadComponents(*maps[0], ir::Role::kSpout);
    ReadComponents(*maps[1], ir::Role::kBolt);
  }

 private:
  // ---- named data ---------------------------------------------------------
  static void CollectSymbols(const Form& f, std::set<std::string>& out) {
    if (f.type == T::kSymbol) out.insert(f.text);
    for (const auto& item : f.items) CollectSymbols(item, out);
  }

  // `f` with every symbol naming a top-level data def (other than the
  // function's parameters) replaced by the def's value, which keeps its own
  // positions, so messages point at the def. Call heads stay as they are.
  Form Substitute(const Form& f, const std::set<std::string>& params, int depth) {
    if (f.type == T::kSymbol && !params.count(f.text)) {
      auto it = defs_.find(f.text);
      if (it != defs_.end()) {
        if (depth > 50) Fail(f, "the definition of '" + f.text + "' refers to itself");
        return Substitute(*it->second, {}, depth + 1);
      }
      return f;
    }
    Form out = f;
    out.items.clear();
    for (size_t i = 0; i < f.items.size(); ++i) {
      bool head = (f.type == T::kList || f.type == T::kAnonFn) && i == 0;
      out.items.push_back(head ? f.items[i] : Substitute(f.items[i], params, depth));
    }
    return out;
  }

  const Form* Substituted(const Form& f, const std::set<std::string>& params) {
    owned_.push_back(Substitute(f, params, 0));
    return &owned_.back();
  }

  // ---- ns -----------------------------------------------------------------
  void ReadNs(const Form& ns) {
    for (size_t i = 2; i < ns.items.size(); ++i) {
      const Form& clause = ns.items[i];
      if (clause.type != T::kList || clause.items.empty() || !clause.items[0].IsKeyword("import")) continue;
      for (size_t k = 1; k < clause.items.size(); ++k) {
        const Form& spec = clause.items[k];
        if (spec.type == T::kSymbol) {
          auto dot = spec.text.rfind('.');
          // (:import a.b.C) or (:import [a.b C D]): specs then write (C. ...), so the
          // simple name maps to the full one for ResolveClass.
          imports_[dot == std::string::npos ? spec.text : spec.text.substr(dot + 1)] = spec.text;
        } else if ((spec.type == T::kVector || spec.type == T::kList) && !spec.items.empty() &&
                   spec.items[0].type == T::kSymbol) {
          for (size_t n = 1; n < spec.items.size(); ++n) {
            if (spec.items[n].type != T::kSymbol) Fail(spec.items[n], "expected a class name in :import");
            imports_[spec.items[n].text] = spec.items[0].text + "." + spec.items[n].text;
          }
        } else {
          Fail(spec, "expected a class or [package Class ...] in :import, found " + Found(spec));
        }
      }
    }
  }

  std::string ResolveClass(const Form& sym, std::string name) {
    if (name.find('.') != std::string::npos) return name;
    auto it = imports_.find(name);
    if (it != imports_.end()) return it->second;
    Fail(sym, "class '" + name + "' is not imported by the ns form; add it to (:import ...) or write its full name");
  }

  void ReadTopologyConfig(const Form& value) { out_.config = ConfigMap(value, true); }

  // ---- specs --------------------------------------------------------------
  void ReadComponents(const Form& map, ir::Role role) {
    for (size_t i = 0; i + 1 < map.items.size(); i += 2) {
      const Form& key = map.items[i];
      if (key.type != T::kString) NotData(key, "a component id (a string)");
      Component c;
      c.id = key.text;
      c.role = role;
      c.pos = key.pos;
      ReadSpec(map.items[i + 1], c);
      if (!ids_.insert(c.id).second) Fail(key, "component '" + c.id + "' is declared twice");
      out_.components.push_back(std::move(c));
    }
  }

  void ReadSpec(const Form& spec, Component& c) {
    std::string_view role = ir::RoleName(c.role);
    std::string_view head = Local(spec.Head());
    if (spec.type != T::kList || !IsSpecFn(head)) {
      NotData(spec, fmt::format("a {} spec such as (python-{}-spec ...)", role, role));
    }
    // A spout spec in the bolt map (or the reverse) is a mistake Storm would
    // only report at submit time, with less context.
    bool spout_spec = head.find("spout") != std::string_view::npos;
    if (spout_spec != (c.role == ir::Role::kSpout)) {
      Fail(spec, fmt::format("({} ...) in the {} map: '{}' is a {}", head,
                             c.role == ir::Role::kSpout ? "spout" : "bolt", c.id, role));
    }
    const auto& a = spec.items;
    size_t i = 1;
    auto need = [&](std::string_view what) -> const Form& {
      if (i >= a.size()) Fail(spec, fmt::format("({} ...) for '{}' lacks {}", head, c.id, what));
      return a[i++];
    };
    if (head == "python-spout-spec" || head == "python-bolt-spec") {
      const Form& options = need("the options argument");
      if (options.type != T::kSymbol && options.type != T::kMap) NotData(options, "the options argument");
      if (c.role == ir::Role::kBolt) ReadInputs(need("the inputs map"), c);
      const Form& cls = need("the python class");
      if (cls.type != T::kString) NotData(cls, "the python class (a string such as \"bolts.WordCounter\")");
      c.kind = ir::Kind::kPython;
      c.python_class = cls.text;
      ReadOutputs(need("the output fields"), c);
    } else if (head.find("shell") != std::string_view::npos) {
      // The seed's docs also pass `options` first.
      if (i < a.size() && a[i].type == T::kSymbol && a[i].text == options_symbol_ && !options_symbol_.empty()) ++i;
      if (c.role == ir::Role::kBolt) ReadInputs(need("the inputs map"), c);
      const Form& cmd = need("the command");
      if (cmd.type == T::kString) {
        const Form& script = need("the script");
        if (script.type != T::kString) {
          Fail(script, fmt::format("({} ...) takes a command and a script (two strings) or an argv vector; "
                                   "found the string \"{}\" followed by {}", head, cmd.text, Found(script)));
        }
        c.shell_command = {cmd.text, script.text};
      } else {
        c.shell_command = Strings(cmd, "command arguments");
        if (c.shell_command.empty()) Fail(cmd, "the command of '" + c.id + "' is empty");
      }
      c.kind = ir::Kind::kShell;
      // topoc's own python launcher and streamparse's runner name a python class.
      const auto& argv = c.shell_command;
      if (argv.size() == 2 && argv[1].rfind("_topoc/", 0) == 0 && argv[1].size() > 10 &&
          argv[1].compare(argv[1].size() - 3, 3, ".py") == 0) {
        c.kind = ir::Kind::kPython;
        c.python_class = argv[1].substr(7, argv[1].size() - 10);
      } else if (argv.size() == 2 && argv[0] == "streamparse_run") {
        c.kind = ir::Kind::kPython;
        c.python_class = argv[1];
      }
      if (c.kind == ir::Kind::kPython) c.shell_command.clear();
      ReadOutputs(need("the output spec"), c);
    } else {  // spout-spec / bolt-spec over a Java object
      if (c.role == ir::Role::kBolt) ReadInputs(need("the inputs map"), c);
      const Form& obj = need("the Java object");
      ReadJavaObject(obj, c);
      if (obj.meta) {
        for (size_t k = 0; k + 1 < obj.meta->items.size(); k += 2) {
          // A Java component's streams are declared by its class, which topoc cannot
          // read; ^{:topoc/outputs [...]} on the object writes them down (model.h).
          if (obj.meta->items[k].IsKeyword("topoc/outputs")) ReadOutputs(obj.meta->items[k + 1], c);
        }
      }
    }
    ReadKeywordArgs(spec, i, c);
  }

  void ReadKeywordArgs(const Form& spec, size_t i, Component& c) {
    std::optional<int> p, hint;
    const auto& a = spec.items;
    for (; i < a.size(); i += 2) {
      const Form& k = a[i];
      if (k.type != T::kKeyword) {
        NotData(k, fmt::format("a keyword option (:p, :parallelism-hint or :conf) of '{}'", c.id));
      }
      if (i + 1 >= a.size()) Fail(k, "the option :" + k.text + " has no value");
      const Form& v = a[i + 1];
      if (k.text == "p") {
        p = PositiveInt(v, "parallelism");
      } else if (k.text == "parallelism-hint") {
        hint = PositiveInt(v, "parallelism");
      } else if (k.text == "conf") {
        ir::Value conf = ConfigMap(v, false);
        // Storm's DSL sets a component's task count through its :conf map; .topo
        // has `tasks N`, so the key moves out of the config.
        if (conf.contains("topology.tasks")) {
          const ir::Value& tasks = conf["topology.tasks"];
          if (!tasks.is_number_integer() || tasks.get<int64_t>() < 1 || tasks.get<int64_t>() > INT_MAX) {
            Fail(v, "topology.tasks of '" + c.id + "' must be a positive 32-bit integer");
          }
          c.tasks = static_cast<int>(tasks.get<int64_t>());
          conf.erase("topology.tasks");
        }
        c.config = std::move(conf);
      } else {
        Fail(k, fmt::format("unknown option :{} of '{}' (the DSL takes :p, :parallelism-hint and :conf)",
                            k.text, c.id));
      }
    }
    c.parallelism = p ? *p : hint ? *hint : 1;  // :p wins, as in Storm
  }

  void ReadOutputs(const Form& spec, Component& c) {
    c.outputs.clear();
    if (spec.type == T::kVector) {
      c.outputs.push_back({std::string(ir::kDefaultStream), Strings(spec, "output field names"), false});
      return;
    }
    if (spec.type != T::kMap) NotData(spec, "an output spec: a vector of fields, or a map of stream id to fields");
    for (size_t i = 0; i + 1 < spec.items.size(); i += 2) {
      const Form& k = spec.items[i];
      if (k.type != T::kString) NotData(k, "a stream id (a string)");
      const Form& v = spec.items[i + 1];
      Output o;
      o.stream = k.text;
      if (Local(v.Head()) == "direct-stream") {
        if (v.items.size() != 2) Fail(v, "(direct-stream [fields]) takes one vector");
        o.direct = true;
        o.fields = Strings(v.items[1], "output field names");
      } else {
        o.fields = Strings(v, "output field names");
      }
      for (const auto& prev : c.outputs) {
        if (prev.stream == o.stream) Fail(k, "stream '" + o.stream + "' appears twice");
      }
      c.outputs.push_back(std::move(o));
    }
  }

  void ReadInputs(const Form& m, Component& c) {
    if (m.type != T::kMap) NotData(m, "the inputs map ({\"source\" grouping ...})");
    for (size_t i = 0; i + 1 < m.items.size(); i += 2) {
      const Form& k = m.items[i];
      Input in;
      in.pos = k.pos;
      if (k.type == T::kString) {
        in.source = k.text;
      } else if (k.type == T::kVector && k.items.size() == 2 && k.items[0].type == T::kString &&
                 k.items[1].type == T::kString) {
        in.source = k.items[0].text;
        in.stream = k.items[1].text;
      } else {
        NotData(k, "an input: \"component\" or [\"component\" \"stream\"]");
      }
      in.grouping = ReadGrouping(m.items[i + 1]);
      c.inputs.push_back(std::move(in));
    }
  }

  ir::Grouping ReadGrouping(const Form& g) {
    using K = ir::Grouping::Kind;
    ir::Grouping out;
    if (g.type == T::kKeyword) {
      static const std::pair<std::string_view, K> kKinds[] = {
          {"shuffle", K::kShuffle}, {"local-or-shuffle", K::kLocalOrShuffle}, {"none", K::kNone},
          {"all", K::kAll}, {"global", K::kGlobal}, {"direct", K::kDirect}};
      for (const auto& [name, kind] : kKinds) {
        if (g.text == name) {
          out.kind = kind;
          return out;
        }
      }
      Fail(g, "unknown grouping :" + g.text +
                  " (Storm's are :shuffle, :local-or-shuffle, :none, :all, :global, :direct and a vector of fields)");
    }
    // nil is Storm's DSL spelling of the none grouping (thrift.clj).
    if (g.type == T::kNil) {
      out.kind = K::kNone;
      return out;
    }
    if (g.type == T::kVector) {
      out.fields = Strings(g, "grouping field names");
      out.kind = out.fields.empty() ? K::kGlobal : K::kFields;  // [] is global in Storm
      return out;
    }
    std::string_view head = g.Head();
    std::string cls = head.size() > 1 && head.back() == '.' ? std::string(head.substr(0, head.size() - 1)) : "";
    if (SimpleClass(cls) == "JavaObject") {
      ReadThriftJavaObject(g, &out.custom_class, &out.custom_args);
      out.kind = K::kCustom;
      return out;
    }
    if (!cls.empty()) {
      std::string full = ResolveClass(g.items[0], cls);
      if (SimpleClass(full) == "PartialKeyGrouping") {
        // (PartialKeyGrouping. (Fields. ["f" ...]))
        if (g.items.size() == 2) {
          const Form& fields = g.items[1];
          std::string_view fh = fields.Head();
          if (fields.type == T::kList && fh.size() > 1 && fh.back() == '.' &&
              SimpleClass(fh.substr(0, fh.size() - 1)) == "Fields" && fields.items.size() == 2) {
            out.kind = K::kPartialKey;
            out.fields = Strings(fields.items[1], "grouping field names");
            if (out.fields.empty()) Fail(fields, "a partial-key grouping needs at least one field");
            return out;
          }
        }
        Fail(g, "expected (PartialKeyGrouping. (Fields. [\"field\" ...]))");
      }
      Fail(g, "the grouping object " + Describe(g) +
                  " is built by code; topoc imports custom groupings written as (JavaObject. \"class\" [args])");
    }
    NotData(g, "a grouping (:shuffle, :global, :all, :none, :direct, :local-or-shuffle, [\"field\" ...], or a JavaObject)");
  }

  // (Class. args), (new Class args) or (JavaObject. "class" [args]).
  void ReadJavaObject(const Form& obj, Component& c) {
    c.kind = ir::Kind::kJava;
    std::string_view head = obj.Head();
    // `new` and the trailing-dot form are the same constructor call in Clojure.
    if (head == "new" && obj.items.size() >= 2 && obj.items[1].type == T::kSymbol) {
      c.java_class = ResolveClass(obj.items[1], obj.items[1].text);
      for (size_t i = 2; i < obj.items.size(); ++i) c.java_args.push_back(JavaArg(obj.items[i]));
      return;
    }
    if (head.size() > 1 && head.back() == '.') {
      std::string cls(head.substr(0, head.size() - 1));
      if (SimpleClass(cls) == "JavaObject") {
        ReadThriftJavaObject(obj, &c.java_class, &c.java_args);
        return;
      }
      c.java_class = ResolveClass(obj.items[0], cls);
      for (size_t i = 1; i < obj.items.size(); ++i) c.java_args.push_back(JavaArg(obj.items[i]));
      return;
    }
    if (obj.type == T::kSymbol) {
      Fail(obj, "'" + obj.text + "' is a spout or bolt defined in Clojure (defspout/defbolt) or by code; "
                "topoc runs python, shell and java components only");
    }
    NotData(obj, "a Java object: (Class. args), (new Class args) or (JavaObject. \"class\" [args])");
  }

  Topology& out_;
  std::set<std::string> ids_;                   // component ids so far
  std::map<std::string, const Form*> defs_;     // (def NAME data) at the top level
  std::deque<Form> owned_;                      // forms with those substituted
  std::map<std::string, std::string> imports_;  // simple name -> full class name
  std::string options_symbol_;
};

}  // namespace

bool ImportClojure(std::string_view text, const std::string& file, const std::string& default_name,
                   Topology* out, ImportError* error) {
  *out = Topology{};
  out->source_file = file;
  try {
    std::vector<Form> forms = ReadAll(text);
    ClojureImporter importer(out);
    importer.Run(forms, default_name);
  } catch (const ReadError& e) {
    *error = {file, e.pos, e.what()};
    return false;
  } catch (const Failure& f) {
    *error = {file, f.pos, f.message};
    return false;
  }
  return CheckReferences(*out, error);
}

}  // namespace topoc::import
