// `topoc import` of a Clojure topology file: the seed's streamparse shape
//   (ns NAME (:use [streamparse.specs]) ...)
//   (defn NAME [options] [ {spouts} {bolts} ])
// and Storm's own DSL, `(topology {spouts} {bolts})` / `(mk-topology ...)`
// inside a defn or def, with python-spout-spec / python-bolt-spec,
// shell-spout-spec / shell-bolt-spec, spout-spec / bolt-spec over Java
// objects written as data, every grouping form, named and direct streams
// (storm-facts.md §3). What topoc's clojure backend writes reads back to
// the same topology (`(def topology-name ...)`, `(def topology-config ...)`,
// the python launchers `["python3" "_topoc/<class>.py"]`, `(int N)` java
// arguments, JavaObject custom groupings, PartialKeyGrouping).
//
// Only data is read: a topology computed by code (let, function calls
// outside the DSL, macros, symbols other than the options parameter) is
// refused at the form found, never guessed.
#pragma once

#include <string>
#include <string_view>

#include "import/model.h"

namespace topoc::import {

// Reads `text` (the contents of `file`) into `out`; `default_name` names
// the topology unless the file says `(def topology-name "...")`. Returns
// false with `error`.
bool ImportClojure(std::string_view text, const std::string& file, const std::string& default_name,
                   Topology* out, ImportError* error);

}  // namespace topoc::import
