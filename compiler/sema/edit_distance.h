// Did-you-mean lives in support/ (deploy uses it too); sema.cc names it as
// its own until its split includes support/edit_distance.h directly.
#pragma once

#include "support/edit_distance.h"

namespace topoc::sema {

using support::SuggestName;

}  // namespace topoc::sema
