#include "lsp/transport.h"

#include <sstream>

#include <doctest/doctest.h>

namespace topoc::lsp {

TEST_CASE("lsp transport: Content-Length framing") {
  std::string a = R"({"jsonrpc":"2.0","method":"x"})", b = "{\"n\":\"\xC3\xA9\"}";
  std::istringstream in(Frame(a) + "Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n" +
                        Frame(b).substr(0) + "content-length:  2\r\n\r\n{}");
  std::string body, error;
  REQUIRE(ReadMessage(in, &body, &error) == ReadStatus::kMessage);
  CHECK(body == a);
  REQUIRE(ReadMessage(in, &body, &error) == ReadStatus::kMessage);
  CHECK(body == b);  // the length counts bytes, not characters
  REQUIRE(ReadMessage(in, &body, &error) == ReadStatus::kMessage);
  CHECK(body == "{}");
  CHECK(ReadMessage(in, &body, &error) == ReadStatus::kEof);
  CHECK(Frame("{}") == "Content-Length: 2\r\n\r\n{}");
}

TEST_CASE("lsp transport: bad headers and truncation") {
  std::string body, error;
  std::istringstream bad("Content-Length: lots\r\n\r\nContent-Length: 2\r\n\r\n{}");
  CHECK(ReadMessage(bad, &body, &error) == ReadStatus::kBadHeader);
  CHECK(error.find("Content-Length") != std::string::npos);
  REQUIRE(ReadMessage(bad, &body, &error) == ReadStatus::kMessage);  // and reading goes on
  CHECK(body == "{}");
  std::istringstream none("X-Other: 1\r\n\r\n");
  CHECK(ReadMessage(none, &body, &error) == ReadStatus::kBadHeader);
  std::istringstream cut("Content-Length: 10\r\n\r\n{}");
  CHECK(ReadMessage(cut, &body, &error) == ReadStatus::kTruncated);
  std::istringstream huge("Content-Length: 99999999999999\r\n\r\n");
  CHECK(ReadMessage(huge, &body, &error) == ReadStatus::kBadHeader);
}

}  // namespace topoc::lsp
