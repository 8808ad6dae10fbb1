// Chunked bodies through the proxy: chunk extensions are accepted (and dropped, as RFC 9112
// section 7.1.1 allows a proxy), trailer fields are passed on in both directions, except those
// no trailer may carry (framing, routing, content metadata).

#include <catch2/catch.hpp>
#include <cstdio>
#include <string>

#include "tests/proxy/support/bad_backend.hpp"
#include "tests/proxy/support/harness.hpp"
#include "tests/proxy/support/wire.hpp"
#include "tests/support/process.hpp"

namespace gw::test {
namespace {

std::string chunk(const std::string& data, const std::string& extension = "") {
  char size[20];
  std::snprintf(size, sizeof size, "%zx", data.size());
  return size + extension + "\r\n" + data + "\r\n";
}

}  // namespace

TEST_CASE("a chunked request body with extensions and trailers reaches the upstream intact",
          "[protocol][trailers]") {
  EchoBackend backend("alpha");
  const std::uint16_t port = freePort();
  core::Config config = singleRoute(port, "alpha", backend.endpoint());
  ProxyUnderTest proxy(config);

  // Streamed: longer than a retry keeps (64 KiB); buffered: forwarded with a Content-Length,
  // its trailers dropped (see session/request_body.cpp).
  const std::size_t middle = GENERATE(std::size_t{200 * 1024}, std::size_t{1000});
  const std::string body = chunk("hello", ";name=value") +
                           chunk(std::string(middle, 'm'), ";a=\"quoted value\";b") +
                           chunk("tail", ";last") +
                           "0;end=1\r\nX-Checksum: abc\r\nHost: evil.test\r\n"
                           "Content-Type: text/evil\r\n\r\n";
  const std::string answer =
      sendAndHalfClose(port,
                       "POST /_echo HTTP/1.1\r\nHost: a.test\r\nContent-Type: text/plain\r\n"
                       "Transfer-Encoding: chunked\r\n\r\n" +
                           body,
                       10s);
  CHECK(statusOf(answer) == 200);
  CHECK(answer.find("\"body_bytes\":" + std::to_string(5 + middle + 4)) != std::string::npos);
  CHECK(answer.find("evil") == std::string::npos);
  if (middle > 64 * 1024) {
    CHECK(answer.find("\"x-checksum\":\"abc\"") != std::string::npos);
  }
}

TEST_CASE("trailers of a chunked response reach the client", "[protocol][trailers]") {
  const std::uint16_t port = freePort();
  BadBackend backend(
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTrailer: X-Checksum\r\n\r\n"
      "5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nX-Checksum: 42\r\nHost: evil.test\r\n"
      "Content-Type: text/evil\r\n\r\n",
      1);
  core::Config config = singleRoute(port, "chunky", backend.endpoint());
  ProxyUnderTest proxy(config);

  RawConnection connection(port);
  REQUIRE(connection.send("GET / HTTP/1.1\r\nHost: a.test\r\nTE: trailers\r\n\r\n"));
  REQUIRE(connection.readUntil(" world\r\n0\r\n", 5s));
  connection.readUntil(" world\r\n0\r\nX-Checksum: 42\r\n\r\n", 2s);
  const std::string& answer = connection.received();
  CHECK(statusOf(answer) == 200);
  CHECK(answer.find("hello") != std::string::npos);
  CHECK(answer.find(" world\r\n0\r\nX-Checksum: 42\r\n\r\n") != std::string::npos);
  CHECK(answer.find("evil") == std::string::npos);
}

TEST_CASE("an HTTP/1.0 client gets a chunked response's body without chunks or trailers",
          "[protocol][trailers]") {
  const std::uint16_t port = freePort();
  BadBackend backend(
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
      "5\r\nhello\r\n6\r\n world\r\n0\r\nX-Checksum: 42\r\n\r\n",
      1);
  core::Config config = singleRoute(port, "chunky", backend.endpoint());
  ProxyUnderTest proxy(config);

  const std::string answer = sendAndHalfClose(port, "GET / HTTP/1.0\r\nHost: a.test\r\n\r\n");
  CHECK(statusOf(answer) == 200);
  CHECK(answer.substr(answer.find("\r\n\r\n") + 4) == "hello world");
}

}  // namespace gw::test
