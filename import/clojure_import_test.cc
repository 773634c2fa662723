// Clojure topology files -> imported topology -> .topo text: the seed's
// shape, Storm's DSL, what topoc's clojure backend writes, and refusals with
// file:line:col.
#include "import/clojure_import.h"

#include <algorithm>
#include <random>

#include <doctest/doctest.h>

#include "import/topo_writer.h"

namespace topoc::import {
namespace {

Topology ImportText(std::string_view text, const std::string& name = "t") {
  Topology t;
  ImportError error;
  bool ok = ImportClojure(text, "topologies/t.clj", name, &t, &error);
  INFO(error.Render());
  REQUIRE(ok);
  return t;
}

ImportError ImportErrorOf(std::string_view text) {
  Topology t;
  ImportError error;
  bool ok = ImportClojure(text, "topologies/t.clj", "t", &t, &error);
  INFO(text);
  REQUIRE_FALSE(ok);
  return error;
}

constexpr std::string_view kSeedWordcount = R"((ns wordcount
  (:use     [streamparse.specs])
  (:gen-class))

(defn wordcount [options]
   [
    ;; spout configuration
    {"word-spout" (python-spout-spec
          options
          "spouts.words.WordSpout"
          ["word"]
          )
    }
    ;; bolt configuration
    {"count-bolt" (python-bolt-spec
          options
          {"word-spout" :shuffle}
          "bolts.wordcount.WordCounter"
          ["word" "count"]
          :p 2
          )
    }
  ]
)
)";

TEST_CASE("the seed's quickstart topology") {
  Topology t = ImportText(kSeedWordcount, "wordcount");
  CHECK(WriteTopo(t, "topologies/wordcount.clj") ==
        R"(// Imported by `topoc import` from topologies/wordcount.clj.
topology wordcount {
    spout word-spout = python "spouts.words.WordSpout" {
        output (word)
    }

    bolt count-bolt = python "bolts.wordcount.WordCounter" {
        input word-spout shuffle
        output (word, count)
        parallelism 2
    }
}
)");
}

TEST_CASE("Storm's DSL: shell specs, java objects, every grouping, named and direct streams") {
  Topology t = ImportText(R"(
(ns storm.starter.clj.demo
  (:use [org.apache.storm clojure config])
  (:import [org.example.kafka KafkaSpout] (org.example SinkBolt)
           [org.apache.storm.generated JavaObject JavaObjectArg]
           [org.apache.storm.grouping PartialKeyGrouping] [org.apache.storm.tuple Fields])
  (:gen-class))

(def topology-config {TOPOLOGY-WORKERS 3, "topology.debug" true, "my.map" {"a" [1 2.5 nil]}})

(defn mk-topology []
  (topology
    {"events" (shell-spout-spec ["node" "events.js"]
                                {"default" ["id" "user"] "audit" ["id"] "ctl" (direct-stream ["cmd"])}
                                :p 2 :conf {"topology.tasks" 4, "topology.max.spout.pending" 10})
     "legacy" (shell-spout-spec "ruby" "legacy.rb" ["user"] :parallelism-hint 3)
     "kafka" (spout-spec ^{:topoc/outputs ["user"]} (KafkaSpout. (int -5) 1099511627776 0.25 "t" true))}
    {"a" (shell-bolt-spec {"events" :shuffle "legacy" :local-or-shuffle} ["python3" "_topoc/bolts.A.py"] [])
     "b" (shell-bolt-spec {["events" "audit"] :all, "kafka" ["user"]} ["streamparse_run" "bolts.B"] {})
     "c" (shell-bolt-spec {["events" "audit"] :global, ["events" "default"] []} "sh" "c.sh" {})
     "d" (shell-bolt-spec {["events" "ctl"] :direct "legacy" :none "kafka" nil} ["x"] {} :p 2 :parallelism-hint 5)
     "e" (bolt-spec {"events" (JavaObject. "org.example.Sticky" [(JavaObjectArg/int_arg (int 3)) (JavaObjectArg/string_arg "z") (JavaObjectArg/long_arg -1) (JavaObjectArg/double_arg 1.5) (JavaObjectArg/bool_arg false)])
                     "legacy" (PartialKeyGrouping. (Fields. ["user"]))}
                    (new SinkBolt "jdbc:x" (long 7) (double 2)))}))

(defn -main [& args]
  (StormSubmitter/submitTopology "demo" topology-config (mk-topology)))
)", "demo");
  CHECK(WriteTopo(t, "demo.clj") == R"(// Imported by `topoc import` from demo.clj.
topology demo {
    config {
        topology.workers: 3
        topology.debug: true
        my.map: { "a": [1, 2.5, null] }
    }

    spout events = shell ["node", "events.js"] {
        output (id, user)
        output audit (id)
        output direct ctl (cmd)
        parallelism 2
        tasks 4
        config { topology.max.spout.pending: 10 }
    }
    spout legacy = shell ["ruby", "legacy.rb"] {
        output (user)
        parallelism 3
    }
    spout kafka = java "org.example.kafka.KafkaSpout" (-5, 1099511627776L, 0.25, "t", true) {
        output (user)
    }

    bolt a = python "bolts.A" {
        input events shuffle
        input legacy local-or-shuffle
        output ()
    }
    bolt b = python "bolts.B" {
        input events.audit all
        input kafka fields(user)
    }
    bolt c = shell ["sh", "c.sh"] {
        input events.audit global
        input events global
    }
    bolt d = shell ["x"] {
        input events.ctl direct
        input legacy none
        input kafka none
        parallelism 2
    }
    bolt e = java "org.example.SinkBolt" ("jdbc:x", 7L, 2.0) {
        input events custom "org.example.Sticky" (3, "z", -1L, 1.5, false)
        input legacy partial-key(user)
    }
}
)");
}

TEST_CASE("topoc's own output: topology-name, topology-config and the seed form with java specs") {
  Topology t = ImportText(R"(;; Generated by topoc
(ns every-feature (:use [streamparse.specs] [org.apache.storm clojure]) (:gen-class))
(def topology-name "every-feature")
(def topology-config
  {"topology.workers" 2
   "topology.name" "every-feature"})
(defn every-feature [options]
  [
   ;; spout configuration
   {"s" (python-spout-spec
        options
        "spouts.S"
        {"default" ["x"], "side" (direct-stream ["y"])}
        :conf {"topology.tasks" 2})}
   ;; bolt configuration
   {"b" (python-bolt-spec options {"s" ["x"]} "bolts.B" [])}
  ]
)
)", "every_feature");
  CHECK(t.name == "every-feature");
  REQUIRE(t.components.size() == 2);
  CHECK(t.config.dump() == R"({"topology.workers":2})");
  CHECK(t.components[0].tasks == 2);
  CHECK(t.components[0].outputs[1].direct);
  CHECK(t.components[1].outputs.size() == 1);
  CHECK(t.components[1].outputs[0].fields.empty());
}

TEST_CASE("maps, vectors and strings named by a top-level def are read in place") {
  Topology t = ImportText(R"((ns t (:use [streamparse.specs]))
(def word-fields ["word"])
(def spout-class "spouts.Words")
(def spouts
  {"words" (python-spout-spec options spout-class word-fields :p 2)})
(def bolts {"count" (python-bolt-spec options {"words" word-fields} "bolts.Count" [])})
(defn t [options] [spouts bolts])
)");
  REQUIRE(t.components.size() == 2);
  CHECK(t.components[0].python_class == "spouts.Words");
  CHECK(t.components[0].outputs[0].fields == std::vector<std::string>{"word"});
  CHECK(t.components[0].parallelism == 2);
  CHECK(t.components[1].inputs[0].grouping.kind == ir::Grouping::Kind::kFields);

  // A parameter is never replaced; errors inside a def point into the def.
  ImportError shadow = ImportErrorOf("(def p 2)\n(defn t [p] [{\"s\" (python-spout-spec p \"a.S\" [] :p p)} {}])");
  CHECK(shadow.message.find("found the symbol 'p'") != std::string::npos);
  ImportError inside = ImportErrorOf("(def s\n  {\"s\" (python-spout-spec o \"a.S\" [] :p 0)})\n(defn t [o] [s {}])");
  CHECK(inside.pos.line == 2);
  CHECK(inside.message == "parallelism must be at least 1, found 0");
  ImportError cycle = ImportErrorOf("(def a [b])\n(def b [a])\n(defn t [o] [{\"s\" (python-spout-spec o \"a.S\" a)} {}])");
  CHECK(cycle.message.find("refers to itself") != std::string::npos);
}

TEST_CASE("code is refused with the position of what was found") {
  ImportError let = ImportErrorOf("(ns x)\n(defn t [options]\n  (let [p 2]\n    [{\"s\" (python-spout-spec options \"a.S\" [\"x\"] :p p)} {}]))");
  CHECK(let.Render().rfind("topologies/t.clj:3:3: error: the topology is computed by code", 0) == 0);
  CHECK(let.message.find("found the call (let [p 2] [{...} {}])") != std::string::npos);

  ImportError sym = ImportErrorOf("(defn t [options]\n  [{\"s\" (python-spout-spec options \"a.S\" [\"x\"] :p p)} {}])");
  CHECK(sym.pos.line == 2);
  CHECK(sym.pos.column == 51);
  CHECK(sym.message.find("found the symbol 'p'") != std::string::npos);

  ImportError call = ImportErrorOf("(defn t [o]\n  [{\"s\" (python-spout-spec o (str \"a.\" \"S\") [\"x\"])} {}])");
  CHECK(call.pos.line == 2);
  CHECK(call.pos.column == 30);
  CHECK(call.message.find("found the call (str \"a.\" \"S\")") != std::string::npos);

  ImportError spec = ImportErrorOf("(defn t [o]\n  [{\"s\" (my-spout-spec o)} {}])");
  CHECK(spec.pos.column == 9);
  CHECK(spec.message.find("a spout spec") != std::string::npos);

  ImportError macro = ImportErrorOf("(defmacro deftopo [& body] `(topology ~@body))\n(deftopo {} {})");
  CHECK(macro.pos.line == 2);
  CHECK(macro.message.find("the call (deftopo {} {}) may compute one") != std::string::npos);

  ImportError clj_spout = ImportErrorOf("(defspout sentences [\"s\"] [conf ctx coll] nil)\n(defn t [] (topology {\"s\" (spout-spec sentences)} {}))");
  CHECK(clj_spout.pos.line == 2);
  CHECK(clj_spout.message.find("defined in Clojure") != std::string::npos);

  ImportError none = ImportErrorOf("(ns x)\n(def a 1)");
  CHECK(none.pos.line == 0);
  CHECK(none.Render().rfind("topologies/t.clj: error: no topology found", 0) == 0);
}

TEST_CASE("DSL mistakes name the file, line and column") {
  ImportError unknown = ImportErrorOf("(defn t [o]\n  [{\"s\" (python-spout-spec o \"a.S\" [\"x\"])}\n   {\"b\" (python-bolt-spec o {\"z\" :shuffle} \"a.B\" [])}])");
  CHECK(unknown.pos.line == 3);
  CHECK(unknown.pos.column == 30);
  CHECK(unknown.message.find("subscribes to 'z'") != std::string::npos);

  ImportError stream = ImportErrorOf("(defn t [o]\n  [{\"s\" (python-spout-spec o \"a.S\" [\"x\"])}\n   {\"b\" (python-bolt-spec o {[\"s\" \"err\"] :shuffle} \"a.B\" [])}])");
  CHECK(stream.message.find("stream 'err' of 's'") != std::string::npos);

  ImportError grouping = ImportErrorOf("(defn t [o]\n  [{\"s\" (python-spout-spec o \"a.S\" [\"x\"])}\n   {\"b\" (python-bolt-spec o {\"s\" :fields} \"a.B\" [])}])");
  CHECK(grouping.pos.column == 34);
  CHECK(grouping.message.find("unknown grouping :fields") != std::string::npos);

  ImportError role = ImportErrorOf("(defn t [o]\n  [{\"s\" (python-bolt-spec o {} \"a.S\" [\"x\"])} {}])");
  CHECK(role.message.find("in the spout map") != std::string::npos);

  ImportError p = ImportErrorOf("(defn t [o] [{\"s\" (python-spout-spec o \"a.S\" [\"x\"] :p 0)} {}])");
  CHECK(p.message == "parallelism must be at least 1, found 0");

  ImportError opt = ImportErrorOf("(defn t [o] [{\"s\" (python-spout-spec o \"a.S\" [\"x\"] :workers 2)} {}])");
  CHECK(opt.message.find("unknown option :workers") != std::string::npos);

  ImportError java = ImportErrorOf("(ns x (:import [a.b K]))\n(defn t [] (topology {\"k\" (spout-spec (K.))} {\"b\" (shell-bolt-spec {\"k\" :shuffle} [\"x\"] [])}))");
  CHECK(java.message.find("java spout 'k', whose streams only its Java class declares") != std::string::npos);

  ImportError cls = ImportErrorOf("(defn t [] (topology {\"k\" (spout-spec (Unknown. 1))} {}))");
  CHECK(cls.message.find("class 'Unknown' is not imported") != std::string::npos);

  ImportError two = ImportErrorOf("(defn a [o] [{} {}])\n(defn b [o] [{} {}])");
  CHECK(two.pos.line == 2);
  CHECK(two.message.find("a second topology (in defn b; the first is in defn a at line 1)") != std::string::npos);

  ImportError read = ImportErrorOf("(defn t [o]\n  [{\"s\" (python-spout-spec o \"a.S\" [\"x\"]}\n {}])");
  CHECK(read.pos.line == 2);
  CHECK(read.message.find("'}' closes the '('") != std::string::npos);

  ImportError shell = ImportErrorOf("(defn t [options] [{\"s\" (shell-spout-spec options \"spouts.X\" [\"s\"])} {}])");
  CHECK(shell.message.find("takes a command and a script") != std::string::npos);

  ImportError conf = ImportErrorOf("(defn t [o] [{\"s\" (python-spout-spec o \"a.S\" [] :conf {:a 1})} {}])");
  CHECK(conf.message.find("expected a config key") != std::string::npos);
}

TEST_CASE("invalid UTF-8 in a name or string is refused at its line and column") {
  // fuzz/corpus/clojure/crash-invalid-utf8.clj, reduced: before, the byte
  // reached the .topo text and `topoc import` failed with an E0005 inside
  // a file the user never sees.
  ImportError e = ImportErrorOf("(defn t [o]\n  [{\"s\" (python-spout-spec o \"spouts.W\xcford\" [\"w\"])} {}])");
  CHECK(e.Render() == "topologies/t.clj:2:30: error: invalid UTF-8 in this string (byte 0xcf)");
}

TEST_CASE("an empty topology-name is refused where it is written") {
  // fuzz/corpus/clojure/crash-empty-topology-name.clj, reduced: before, the
  // import had a topology without a name.
  ImportError e = ImportErrorOf("(def topology-name\n  \"\")\n(defn t [o] [{\"s\" (python-spout-spec o \"a.S\" [\"w\"])} {}])");
  CHECK(e.Render() == "topologies/t.clj:2:3: error: topology-name is empty: name the topology");
}

TEST_CASE("names that are not identifiers are quoted") {
  Topology t = ImportText("(defn t [o] [{\"my.spout\" (python-spout-spec o \"a.S\" [\"all\" \"x y\"])} {\"b\" (python-bolt-spec o {\"my.spout\" [\"all\"]} \"a.B\" [] :conf {\"k\" \"v\\\"\"})}])");
  std::string text = WriteTopo(t, "t.clj");
  CHECK(text.find(R"(spout "my.spout" = python "a.S")") != std::string::npos);
  CHECK(text.find(R"(output ("all", "x y"))") != std::string::npos);
  CHECK(text.find(R"(input "my.spout" fields("all"))") != std::string::npos);
  CHECK(text.find(R"(config { k: "v\"" })") != std::string::npos);
}

TEST_CASE("damaged files never crash: an import or an error inside the file") {
  const std::string base(kSeedWordcount);
  const std::string alphabet = "()[]{}\"\\;:#^'`~@_,. \n0123456789-eE/aAzZ";
  std::mt19937 rng(20261201);
  size_t lines = static_cast<size_t>(std::count(base.begin(), base.end(), '\n')) + 1;
  int imported = 0;
  for (int round = 0; round < 3000; ++round) {
    std::string text = base;
    int edits = 1 + static_cast<int>(rng() % 4);
    for (int e = 0; e < edits && !text.empty(); ++e) {
      size_t at = rng() % text.size();
      char c = alphabet[rng() % alphabet.size()];
      switch (rng() % 3) {
        case 0: text.erase(at, 1 + rng() % 8); break;
        case 1: text.insert(at, 1, c); break;
        default: text[at] = c; break;
      }
    }
    Topology t;
    ImportError error;
    if (ImportClojure(text, "t.clj", "t", &t, &error)) {
      ++imported;
      CHECK_NOTHROW(WriteTopo(t, "t.clj"));
    } else {
      INFO(text);
      CHECK(!error.message.empty());
      CHECK(error.pos.line <= lines + 8);
    }
  }
  CHECK(imported > 0);  // some damage (inside comments, strings) still imports
}

}  // namespace
}  // namespace topoc::import
