// Thrift's C++ generator declares, but does not define, operator< for structs
// used as map keys. ComponentCommon.inputs is a map<GlobalStreamId, Grouping>,
// so the order is defined here: by component id, then stream id. The binary
// encoding writes std::map entries in this order, which makes the encoded
// StormTopology deterministic.
#include "thrift/gen-cpp/storm_types.h"

#include <tuple>

namespace topoc::storm {

bool GlobalStreamId::operator<(const GlobalStreamId& other) const {
  return std::tie(componentId, streamId) < std::tie(other.componentId, other.streamId);
}

}  // namespace topoc::storm
