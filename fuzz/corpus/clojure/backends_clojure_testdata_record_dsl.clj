;; Test harness for the clojure backend: reads generated topology files with
;; the real Clojure reader and evaluates them against stand-ins for Storm's
;; Clojure DSL (and streamparse.specs) that record what they were called
;; with. Java constructor calls (Class. args) and static calls (Class/m args)
;; are rewritten, after resolving the file's :import, into records, so no
;; Storm jar is needed. Prints one JSON array, one object per file.
;;
;; Usage: clojure record_dsl.clj FILE.clj...
(ns topoc.record-dsl
  (:require [clojure.string :as str]
            [clojure.walk :as walk]
            [clojure.java.io :as io]))

;; ---- recorded values -------------------------------------------------------

(defn typed [x]
  (cond (instance? Integer x) {"type" "int" "value" x}
        (instance? Long x) {"type" "long" "value" x}
        (instance? Double x) {"type" "double" "value" x}
        (string? x) {"type" "string" "value" x}
        (instance? Boolean x) {"type" "bool" "value" x}
        (vector? x) {"type" "vector" "value" x}
        (map? x) {"type" "object" "value" x}
        :else {"type" (str (class x)) "value" (str x)}))

(defn java-new [cls & args] {"java-new" cls "args" (mapv typed args)})
(defn static-call [cls method & args] {"static" (str cls "/" method) "args" (mapv typed args)})

(defn direct-stream [fields] {"direct" true "fields" fields})

(defn- outputs [spec]
  (cond (vector? spec) {"default" {"fields" spec "direct" false}}
        (map? spec) (into {} (for [[k v] spec]
                               [k (if (map? v) v {"fields" v "direct" false})]))
        :else {"error" (str "bad output spec " (pr-str spec))}))

(defn- grouping [g]
  (cond (keyword? g) {"kind" (name g)}
        (vector? g) {"kind" "fields" "fields" g}
        (nil? g) {"kind" "none"}
        (and (map? g) (str/ends-with? (str (get g "java-new")) ".PartialKeyGrouping"))
        (let [fields (first (get g "args"))]
          {"kind" "partial-key"
           "fields" (get-in fields ["value" "args" 0 "value"])
           "fields-class" (get-in fields ["value" "java-new"])
           "class" (get g "java-new")})
        (and (map? g) (str/ends-with? (str (get g "java-new")) ".JavaObject"))
        (let [[cls args] (get g "args")]
          {"kind" "custom"
           "class" (get cls "value")
           "args" (mapv (fn [a] {"factory" (get a "static")
                                 "arg" (first (get a "args"))})
                        (get args "value"))})
        :else {"kind" "unknown" "value" (pr-str g)}))

(defn- inputs [m]
  (vec (for [[k g] m]
         (let [[comp stream] (if (vector? k) k [k "default"])]
           {"component" comp "stream" stream "grouping" (grouping g)}))))

(defn- kwargs [kw]
  (let [m (apply hash-map kw)]
    (cond-> {}
      (contains? m :p) (assoc "p" (:p m))
      (contains? m :conf) (assoc "conf" (:conf m)))))

(defn spout-spec [obj & kw] (merge {"spec" "spout-spec" "object" obj} (kwargs kw)))
(defn bolt-spec [in obj & kw]
  (merge {"spec" "bolt-spec" "inputs" (inputs in) "object" obj} (kwargs kw)))

(defn- shell-args [args]
  ;; [command script out & kw] or [[cmd...] out & kw]
  (if (string? (first args))
    [[(first args) (second args)] (nth args 2) (drop 3 args)]
    [(first args) (second args) (drop 2 args)]))

(defn shell-spout-spec [& args]
  (let [[cmd out kw] (shell-args args)]
    (merge {"spec" "shell-spout-spec" "command" cmd "outputs" (outputs out)} (kwargs kw))))
(defn shell-bolt-spec [in & args]
  (let [[cmd out kw] (shell-args args)]
    (merge {"spec" "shell-bolt-spec" "inputs" (inputs in) "command" cmd "outputs" (outputs out)}
           (kwargs kw))))

(defn python-spout-spec [options cls out & kw]
  (merge {"spec" "python-spout-spec" "class" cls "outputs" (outputs out)} (kwargs kw)))
(defn python-bolt-spec [options in cls out & kw]
  (merge {"spec" "python-bolt-spec" "inputs" (inputs in) "class" cls "outputs" (outputs out)}
         (kwargs kw)))

(defn topology [spouts bolts] {"spouts" spouts "bolts" bolts})

;; ---- reading and rewriting -------------------------------------------------

(defn- read-forms [file]
  (binding [*read-eval* false]
    (with-open [r (java.io.PushbackReader. (io/reader file))]
      (loop [forms []]
        (let [f (read {:eof ::eof} r)]
          (if (= f ::eof) forms (recur (conj forms f))))))))

(defn- imports-of [ns-form]
  (into {} (for [clause (drop 2 ns-form)
                 :when (and (seq? clause) (= :import (first clause)))
                 spec (rest clause)
                 :let [[pkg & names] (if (sequential? spec) spec [spec])]
                 n names]
             [(str n) (str pkg "." n)])))

(defn- uses-of [ns-form]
  (vec (for [clause (drop 2 ns-form)
             :when (and (seq? clause) (= :use (first clause)))
             spec (rest clause)]
         (str/join " " (map str spec)))))

(defn- rewrite [imports form]
  (walk/postwalk
    (fn [x]
      (if (and (seq? x) (symbol? (first x)))
        (let [s (first x) n (name s)]
          (cond (and (nil? (namespace s)) (str/ends-with? n ".") (not= n ".") (not= n ".."))
                (let [simple (subs n 0 (dec (count n)))]
                  (list* `java-new (get imports simple simple) (rest x)))
                (and (namespace s) (Character/isUpperCase (first (namespace s))))
                (list* `static-call (get imports (namespace s) (namespace s)) n (rest x))
                :else x))
        x))
    form))

(defn- json [x]
  (cond (nil? x) "null"
        (string? x) (str "\"" (str/escape x {\" "\\\"" \\ "\\\\" \newline "\\n" \tab "\\t"
                                             \return "\\r" \backspace "\\b" \formfeed "\\f"}) "\"")
        (keyword? x) (json (name x))
        (instance? Boolean x) (str x)
        (instance? Double x) (let [s (str x)] (if (re-find #"[.E]" s) s (str s ".0")))
        (number? x) (str x)
        (map? x) (str "{" (str/join "," (for [[k v] x] (str (json (if (keyword? k) (name k) (str k)))
                                                            ":" (json v)))) "}")
        (sequential? x) (str "[" (str/join "," (map json x)) "]")
        :else (json (pr-str x))))

(defn- record-file [file]
  (let [[ns-form & body] (read-forms file)
        _ (assert (and (seq? ns-form) (= 'ns (first ns-form))) "first form must be (ns ...)")
        imports (imports-of ns-form)
        before (set (keys (ns-interns *ns*)))]
    (doseq [f body] (eval (rewrite imports f)))
    (let [fn-name (symbol (str (second ns-form)))
          streamparse? (and (not (resolve 'mk-topology)) (resolve fn-name))
          topo (if streamparse?
                 (let [[spouts bolts] ((resolve fn-name) {})] {"spouts" spouts "bolts" bolts})
                 ((resolve 'mk-topology)))
          result {"file" (str file)
                  "ns" (str (second ns-form))
                  "uses" (uses-of ns-form)
                  "imports" (vec (sort (vals imports)))
                  "dialect" (if streamparse? "streamparse" "storm")
                  "name" (some-> (resolve 'topology-name) deref)
                  "config" (some-> (resolve 'topology-config) deref)
                  "has-main" (boolean (resolve '-main))
                  "spouts" (get topo "spouts")
                  "bolts" (get topo "bolts")}]
      ;; forget what the file defined before the next one
      (doseq [s (keys (ns-interns *ns*)) :when (not (before s))] (ns-unmap *ns* s))
      result)))

(in-ns 'topoc.record-dsl)
(println (json (mapv record-file *command-line-args*)))
