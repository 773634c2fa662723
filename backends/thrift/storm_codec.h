// StormTopology <-> bytes <-> JSON.
//
// Encoding is Storm's: TBinaryProtocol (strict write), the same bytes Nimbus
// receives inside submitTopology. It is deterministic: every map in the
// generated structs is a std::map, so entries are written in key order
// (GlobalStreamId by component id, then stream id; thrift/storm_ordering.cc).
//
// The JSON view (`topoc dump`) is stable and meant for people and diffs:
//   {"spouts": {id: Spec}, "bolts": {id: Spec}, "state_spouts": {...},
//    then the optional StormTopology fields that are set, by Storm's names}
//   Spec     = {"<kind>_object": ComponentObject, "common": Common}
//              (spout_object / bolt_object / state_spout_object)
//   ComponentObject = {"shell": {"execution_command", "script"}}
//                   | {"java_object": JavaObject} | {"serialized_java": Binary}
//   JavaObject = {"full_class_name": s, "args_list": [{"int_arg": 1} | {"long_arg": 2}
//                 | {"string_arg": s} | {"bool_arg": b} | {"double_arg": d}
//                 | {"binary_arg": Binary}]}
//   Common   = {"inputs": [{"component", "stream", "grouping": Grouping}],
//               "streams": {stream id: {"output_fields": [...], "direct": b}},
//               "parallelism_hint": n (when set),
//               "json_conf": <the parsed JSON value> (when set and valid JSON)
//               or "json_conf_raw": "<text>" (when set but not valid JSON)}
//   Grouping = {"fields": [...]} | {"shuffle": {}} | {"all": {}} | {"none": {}}
//            | {"direct": {}} | {"local_or_shuffle": {}}
//            | {"custom_object": JavaObject} | {"custom_serialized": Binary}
//            | {} when no member is set (not valid for Storm; shown, not hidden)
//   Binary   = {"hex": "00ff..."}
// Inputs are listed in key order; object keys appear in the order above.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "thrift/gen-cpp/storm_types.h"

namespace topoc::backends::thrift {

// The TBinaryProtocol encoding of `topology`.
std::string EncodeStormTopology(const topoc::storm::StormTopology& topology);

// Decodes `bytes` as one TBinaryProtocol StormTopology that fills the whole
// input. Never throws: on garbage, truncation, trailing bytes or a missing
// required field, returns false and sets *error to a one-line reason.
// Sizes are bounded by the input size, so garbage cannot make it allocate
// more than a few times the input.
bool DecodeStormTopology(std::string_view bytes, topoc::storm::StormTopology* out,
                         std::string* error);

// The JSON view described above.
nlohmann::ordered_json StormTopologyToJson(const topoc::storm::StormTopology& topology);

// The JSON view as text: two-space indent, trailing newline; invalid UTF-8
// in strings is replaced by U+FFFD instead of failing.
std::string StormTopologyToJsonText(const topoc::storm::StormTopology& topology);

}  // namespace topoc::backends::thrift
