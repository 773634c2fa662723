// Quoting for POSIX sh: the remote commands ssh runs, the shell wrappers a
// jar carries.
#pragma once

#include <string>
#include <string_view>

namespace topoc::support {

// One argument single-quoted: abc -> 'abc', it's -> 'it'\''s'. Safe for any
// bytes but NUL.
std::string ShellQuote(std::string_view arg);

}  // namespace topoc::support
