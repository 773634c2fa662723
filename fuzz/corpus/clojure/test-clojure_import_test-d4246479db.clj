(ns t (:use [streamparse.specs]))
(def word-fields ["word"])
(def spout-class "spouts.Words")
(def spouts
  {"words" (python-spout-spec options spout-class word-fields :p 2)})
(def bolts {"count" (python-bolt-spec options {"words" word-fields} "bolts.Count" [])})
(defn t [options] [spouts bolts])
