// `topoc import` of a streamparse 3.x/4.x Python topology: the module runs
// under the project's Python with the bundled runtime's recorders
// (stdlib/python/streamparse/dsl, `python -m streamparse.dsl.record`), which
// write the topology as JSON; this reads that JSON into a Topology.
//
// The JSON: {"class": "WordCount", "config": {...}, "components": [
//   {"id", "role": "spout"|"bolt", "kind": "python"|"shell"|"java",
//    "python_class" | "command": [argv] | "java_class" + "java_args":
//    [{"type": "int"|"long"|"double"|"string"|"bool", "value"}],
//    "outputs": [{"stream", "fields", "direct"}],
//    "inputs": [{"source", "stream", "grouping": {"kind", "fields"?,
//                "class"?, "args"?}}],
//    "parallelism", "config", "where": "file:line"}]}
#pragma once

#include <string>
#include <string_view>

#include "import/model.h"

namespace topoc::import {

// Reads the recorder's JSON `text` for the topology file `file` into `out`,
// named `name`. Returns false with `error` (naming the spec's file:line when
// the recorder gave one).
bool TopologyFromRecording(std::string_view text, const std::string& file, const std::string& name,
                           Topology* out, ImportError* error);

}  // namespace topoc::import
