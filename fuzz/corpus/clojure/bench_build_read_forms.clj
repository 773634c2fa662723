;; Reads every form of the files named on the command line with the Clojure
;; reader (no evaluation) and prints how many there were: the JVM side of
;; bench/build/run.py.
(require '[clojure.java.io :as io])
(doseq [f *command-line-args*]
  (with-open [r (java.io.PushbackReader. (io/reader f))]
    (println f (count (take-while #(not= % ::eof) (repeatedly #(read {:eof ::eof} r)))))))
