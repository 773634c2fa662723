// Writes an imported topology as .topo text, laid out the way the examples
// and docs/language.md write it by hand: a header comment naming the file it
// came from, the topology config block, then each component with its inputs,
// outputs, parallelism, tasks and config, one statement a line, four-space
// indents. Names that are not plain identifiers (or are keywords) are
// quoted.
#pragma once

#include <string>
#include <string_view>

#include "import/model.h"

namespace topoc::import {

// The .topo text of `topology`. `origin` is named in the header comment
// ("topologies/wordcount.clj"). Throws std::invalid_argument for a value
// .topo cannot hold (a NaN or infinite float).
std::string WriteTopo(const Topology& topology, std::string_view origin);

// A name as .topo writes it: bare when it is an identifier and no keyword,
// else a string ("count.bolt").
std::string TopoName(std::string_view name);
// A .topo string literal with JSON escapes.
std::string TopoString(std::string_view text);

}  // namespace topoc::import
