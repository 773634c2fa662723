#include "support/shell_quote.h"

namespace topoc::support {

std::string ShellQuote(std::string_view arg) {
  std::string out = "'";
  for (char ch : arg) {
    // A ' cannot appear inside '...': close, add an escaped one, reopen.
    if (ch == '\'') {
      out += "'\\''";
    } else {
      out += ch;
    }
  }
  out += '\'';
  return out;
}

}  // namespace topoc::support
