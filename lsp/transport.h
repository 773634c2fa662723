// JSON-RPC framing of the Language Server Protocol: each message is
// "Content-Length: N\r\n" (other headers allowed and ignored) "\r\n" and N
// bytes of JSON.
#pragma once

#include <istream>
#include <string>
#include <string_view>

namespace topoc::lsp {

enum class ReadStatus {
  kMessage,    // *body holds one message
  kEof,        // the stream ended between messages
  kBadHeader,  // a header block without a valid Content-Length; *error says why
  kTruncated,  // the stream ended inside a message
};

// Reads the next message. After kBadHeader the stream is positioned after
// the bad header block, so the caller may go on reading.
ReadStatus ReadMessage(std::istream& in, std::string* body, std::string* error);

// `body` with its header.
std::string Frame(std::string_view body);

}  // namespace topoc::lsp
