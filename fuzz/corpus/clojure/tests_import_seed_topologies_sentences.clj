;; A seed-era (streamparse 0.0.x) topology: the sentence example of the
;; seed's docs, in the Clojure DSL of streamparse.specs, as `sparse run` read it.
(ns sentences
  (:use     [streamparse.specs])
  (:gen-class))

(defn sentences [options]
   [
    ;; spout configuration
    {"sentence-spout-1" (python-spout-spec
                         ;; topology options passed in
                         options
                         ;; name of the python class to ``run``
                         "spouts.SentenceSpout"
                         ;; output specification, what named fields will this spout emit?
                         ["sentence"]
                         ;; configuration parameters, can specify multiple
                         :p 2)
     "sentence-spout-2" (shell-spout-spec
                         options
                         ["perl" "other_sentence_spout.pl"]
                         ["sentence"])}
    ;; bolt configuration
    {"sentence-splitter" (python-bolt-spec
                          ;; topology options passed in
                          options
                          ;; inputs, where does this bolt recieve it's tuples from?
                          {"sentence-spout-1" :shuffle
                           "sentence-spout-2" :shuffle}
                          ;; class to run
                          "bolts.SentenceSplitter"
                          ;; output spec, what tuples does this bolt emit?
                          {"default" ["word"]
                           "errors" ["sentence" "reason"]}
                          ;; configuration parameters
                          :p 2)
     "word-counter" (python-bolt-spec
                     options
                     ;; recieves tuples from "sentence-splitter", grouped by word
                     {"sentence-splitter" ["word"]}
                     "bolts.WordCounter"
                     ["word" "count"]
                     :conf {"topology.tick.tuple.freq.secs" 10})
     "error-log" (python-bolt-spec
                  options
                  {["sentence-splitter" "errors"] :all}
                  "bolts.ErrorLog"
                  [])
     "word-count-saver" (python-bolt-spec
                         ;; topology options passed in
                         options
                         {"word-counter" :shuffle}
                         "bolts.WordSaver"
                         ;; does not emit any fields
                         #_["ignored"]
                         [])}
  ]
)
