#include "lsp/transport.h"

#include <cctype>
#include <charconv>

namespace topoc::lsp {

namespace {

// Largest message accepted (a whole .topo file fits driver::kMaxFileSize).
constexpr size_t kMaxMessage = size_t{512} << 20;

bool IEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

}  // namespace

ReadStatus ReadMessage(std::istream& in, std::string* body, std::string* error) {
  std::string line;
  bool any_header = false, have_length = false, bad = false;
  size_t length = 0;
  while (true) {
    if (!std::getline(in, line)) {
      return any_header ? ReadStatus::kTruncated : ReadStatus::kEof;
    }
    // Headers end with \r\n (getline leaves the \r, Trim drops it); a client
    // sending bare \n is read the same.
    std::string_view l = Trim(line);
    if (l.empty()) {
      if (!any_header) continue;  // stray blank lines between messages
      break;
    }
    any_header = true;
    size_t colon = l.find(':');
    if (colon == std::string_view::npos) {
      bad = true;
      *error = "a header line without ':': '" + std::string(l.substr(0, 80)) + "'";
      continue;
    }
    std::string_view name = Trim(l.substr(0, colon)), value = Trim(l.substr(colon + 1));
    // Header names are case-insensitive (as in HTTP); Content-Type and any
    // other header is read and ignored.
    if (IEquals(name, "Content-Length")) {
      auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), length);
      if (ec != std::errc() || end != value.data() + value.size() || length > kMaxMessage) {
        bad = true;
        *error = "a bad Content-Length: '" + std::string(value.substr(0, 40)) + "'";
      } else {
        have_length = true;
      }
    }
  }
  if (bad) return ReadStatus::kBadHeader;
  if (!have_length) {
    *error = "a message without Content-Length";
    return ReadStatus::kBadHeader;
  }
  body->resize(length);
  in.read(body->data(), static_cast<std::streamsize>(length));
  if (static_cast<size_t>(in.gcount()) != length) return ReadStatus::kTruncated;
  return ReadStatus::kMessage;
}

std::string Frame(std::string_view body) {
  std::string out = "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n";
  out += body;
  return out;
}

}  // namespace topoc::lsp
