
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
