// Answers that come before the request body has all arrived: an upstream's early answer
// (a 413, with a close or with the connection kept open and no longer read, while the body is
// still streaming to it) and the gateway's own local answers, which read a small unread rest
// of the body to keep the connection.

#include <algorithm>
#include <catch2/catch.hpp>
#include <cctype>
#include <string>

#include "tests/proxy/support/bad_backend.hpp"
#include "tests/proxy/support/early_backend.hpp"
#include "tests/proxy/support/harness.hpp"
#include "tests/proxy/support/wire.hpp"
#include "tests/support/process.hpp"

namespace gw::test {
namespace {

constexpr std::size_t kLargeBody = 6 * 1024 * 1024;
// More than loopback sockets buffer between the gateway and an upstream that stops reading.
constexpr std::size_t kHugeBody = 64 * 1024 * 1024;

std::string lowered(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

std::string headOf(const std::string& answer) { return answer.substr(0, answer.find("\r\n\r\n")); }

// Sends a large body in pieces (with a Content-Length, or in 64 KiB chunks) while watching
// for an answer; stops once an answer is in, the proxy stops reading (a piece stalls), or the
// connection ends.
void sendLargeBody(RawConnection& connection, const std::string& host, std::size_t size,
                   bool chunked = false) {
  REQUIRE(connection.send("POST /upload HTTP/1.1\r\nHost: " + host +
                          (chunked ? std::string("\r\nTransfer-Encoding: chunked")
                                   : "\r\nContent-Length: " + std::to_string(size)) +
                          "\r\n\r\n"));
  const std::string piece =
      chunked ? "10000\r\n" + std::string(64 * 1024, 'x') + "\r\n" : std::string(64 * 1024, 'x');
  for (std::size_t sent = 0; sent < size && !connection.closed(); sent += 64 * 1024) {
    const std::string bytes =
        chunked ? piece : piece.substr(0, std::min(piece.size(), size - sent));
    if (!connection.send(bytes, 300ms) || statusOf(connection.received()) != 0) {
      break;
    }
  }
}

}  // namespace

TEST_CASE("an upstream that answers early and closes mid-body: its answer reaches the client",
          "[protocol][streaming]") {
  const std::uint16_t port = freePort();
  BadBackend early(
      "HTTP/1.1 413 Payload Too Large\r\nContent-Length: 8\r\nConnection: close\r\n\r\n"
      "too big\n",
      2);
  core::Config config;
  config.gateways.push_back(makeGateway("edge", {{core::Protocol::kHttp, port}}));
  config.services.push_back(makeService("early", {early.endpoint()}));
  // One 5xx would eject the only endpoint: the early answer must not count as one.
  core::OutlierDetection outliers;
  outliers.consecutive_5xx = 1;
  outliers.max_ejected_percent = 100;
  config.services.back().outlier_detection = outliers;
  config.routes.push_back(makeRoute("early", "edge", {"early.test"}, {{"early", 100}}));
  ProxyUnderTest proxy(config);

  RawConnection connection(port);
  sendLargeBody(connection, "early.test", kLargeBody);
  REQUIRE(connection.readUntil("too big\n", 5s));
  const std::string& answer = connection.received();
  CHECK(statusOf(answer) == 413);
  CHECK(lowered(headOf(answer)).find("connection: close") != std::string::npos);
  CHECK(answer.find("x-gw-error") == std::string::npos);
  CHECK(connection.waitClosed(5s));

  HttpClient client(port);
  CHECK(client.get("early.test").status == 413);  // the endpoint was not ejected
}

TEST_CASE(
    "an upstream that answers early and keeps the connection open: its answer reaches the client "
    "at once",
    "[protocol][streaming]") {
  const bool chunked = GENERATE(false, true);
  const std::uint16_t port = freePort();
  // Answers once the head is in, then reads nothing more and keeps the connection open.
  EarlyBackend early("HTTP/1.1 413 Payload Too Large\r\nContent-Length: 8\r\n\r\ntoo big\n", 2);
  core::Config config = singleRoute(port, "early", early.endpoint(), "early.test");
  config.gateways.back().limits.max_body_bytes = kHugeBody;
  config.routes.back().timeout = core::Millis{10000};  // far beyond what the answer may take
  core::OutlierDetection outliers;                     // one 5xx would eject the only endpoint
  outliers.consecutive_5xx = 1;
  outliers.max_ejected_percent = 100;
  config.services.back().outlier_detection = outliers;
  ProxyUnderTest proxy(config);

  RawConnection connection(port);
  const auto start = std::chrono::steady_clock::now();
  sendLargeBody(connection, "early.test", kHugeBody, chunked);
  const auto spent = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - start);
  REQUIRE(connection.readUntil("too big\n", std::max(2000ms - spent, 1ms)));
  const std::string& answer = connection.received();
  CHECK(statusOf(answer) == 413);
  CHECK(lowered(headOf(answer)).find("connection: close") != std::string::npos);
  CHECK(answer.find("x-gw-error") == std::string::npos);
  CHECK(connection.waitClosed(5s));

  // Counted as the upstream's 413, not a failure, and the stuck connection is not reused: a
  // request on it would wait for the route's timeout.
  HttpClient client(port, 5s);
  CHECK(client.get("early.test").status == 413);
}

TEST_CASE("large uploads to an upstream that reads them whole get its answers on one connection",
          "[protocol][streaming]") {
  EchoBackend backend("alpha");
  const std::uint16_t port = freePort();
  ProxyUnderTest proxy(singleRoute(port, "alpha", backend.endpoint(), "a.test"));

  HttpClient client(port);
  const std::string body(2 * 1024 * 1024, 'u');
  for (int i = 0; i < 3; ++i) {
    const Reply reply = client.request("POST", "a.test", "/_echo", {}, body);
    REQUIRE(reply.status == 200);
    CHECK(reply.body.find("\"body_bytes\":" + std::to_string(body.size())) != std::string::npos);
    CHECK(reply.keep_alive);
  }
}

TEST_CASE("an upstream's early 100 Continue does not stop an upload", "[protocol][streaming]") {
  const std::uint16_t port = freePort();
  // "100 Continue" once the head is in, then the whole body is read and counted in a 200.
  EarlyBackend backend("HTTP/1.1 100 Continue\r\n\r\n", 1, answerCount(200));
  ProxyUnderTest proxy(singleRoute(port, "counting", backend.endpoint(), "c.test"));

  HttpClient client(port);
  const std::string body(kLargeBody, 'c');
  const Reply reply = client.request("POST", "c.test", "/upload", {}, body);
  CHECK(reply.status == 200);
  CHECK(reply.body == std::to_string(body.size()));
}

TEST_CASE("an upstream's early 200 does not stop an upload: the answer follows the body",
          "[protocol][streaming]") {
  const std::uint16_t port = freePort();
  // The head of a chunked 200 once the request head is in; the body counted after reading it.
  EarlyBackend backend("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", 1,
                       [](std::size_t body_bytes) {
                         const std::string count = std::to_string(body_bytes);
                         return std::to_string(count.size()) + "\r\n" + count + "\r\n0\r\n\r\n";
                       });
  ProxyUnderTest proxy(singleRoute(port, "streaming", backend.endpoint(), "s.test"));

  HttpClient client(port);
  const std::string body(kLargeBody, 's');
  const Reply reply = client.request("POST", "s.test", "/upload", {}, body);
  CHECK(reply.status == 200);
  CHECK(reply.body == std::to_string(body.size()));
}

TEST_CASE("an upstream that closes mid-body without answering is a 502 upstream_reset",
          "[protocol][streaming]") {
  const std::uint16_t port = freePort();
  BadBackend silent("", 1);
  core::Config config = singleRoute(port, "silent", silent.endpoint(), "silent.test");
  ProxyUnderTest proxy(config);

  RawConnection connection(port);
  sendLargeBody(connection, "silent.test", kLargeBody);
  REQUIRE(connection.readUntil("\r\n\r\n", 5s));
  CHECK(statusOf(connection.received()) == 502);
  CHECK(connection.received().find("x-gw-error: upstream_reset") != std::string::npos);
  CHECK(connection.waitClosed(5s));
}

TEST_CASE("a local answer reads a small unread body and keeps the connection",
          "[protocol][streaming]") {
  EchoBackend backend("alpha");
  const std::uint16_t port = freePort();
  core::Config config = singleRoute(port, "alpha", backend.endpoint(), "a.test");
  core::Route ping = makeRoute("ping", "edge", {"ping.test"}, {});
  ping.direct_response = core::DirectResponse{200, "pong", "text/plain"};
  config.routes.push_back(ping);
  ProxyUnderTest proxy(config);

  // 10 KB arrives with the head; 100 KB is more than the gateway reads before routing.
  const std::size_t size = GENERATE(std::size_t{10 * 1000}, std::size_t{100 * 1000});
  const std::string host = GENERATE(std::string("nowhere.test"), std::string("ping.test"));
  const bool chunked = GENERATE(false, true);
  const unsigned expected = host == "ping.test" ? 200 : 404;
  const std::string body(size, 'y');
  RawConnection connection(port);
  if (chunked) {
    char line[20];
    std::snprintf(line, sizeof line, "%zx\r\n", size);
    REQUIRE(connection.send("POST /upload HTTP/1.1\r\nHost: " + host +
                            "\r\nTransfer-Encoding: chunked\r\n\r\n" + line + body +
                            "\r\n0\r\n\r\n"));
  } else {
    REQUIRE(connection.send("POST /upload HTTP/1.1\r\nHost: " + host +
                            "\r\nContent-Length: " + std::to_string(size) + "\r\n\r\n" + body));
  }
  REQUIRE(connection.readUntil("\r\n\r\n", 5s));
  CHECK(statusOf(connection.received()) == expected);
  CHECK(lowered(headOf(connection.received())).find("connection: close") == std::string::npos);

  const std::size_t first = connection.received().size();
  REQUIRE(connection.send("GET / HTTP/1.1\r\nHost: a.test\r\n\r\n"));
  REQUIRE(connection.readUntil("alpha\n", 5s));
  CHECK(statusOf(connection.received().substr(connection.received().find("HTTP/1.1", first))) ==
        200);
  CHECK_FALSE(connection.closed());
}

TEST_CASE("a local answer to a request with a large unread body closes the connection",
          "[protocol][streaming]") {
  const std::uint16_t port = freePort();
  core::Config config;
  config.gateways.push_back(makeGateway("edge", {{core::Protocol::kHttp, port}}));
  ProxyUnderTest proxy(config);

  RawConnection connection(port);
  sendLargeBody(connection, "nowhere.test", kLargeBody);
  REQUIRE(connection.readUntil("\r\n\r\n", 5s));
  CHECK(statusOf(connection.received()) == 404);
  CHECK(lowered(headOf(connection.received())).find("connection: close") != std::string::npos);
  CHECK(connection.waitClosed(5s));
}

TEST_CASE("a local answer waits a moment at most for the rest of a body", "[protocol][streaming]") {
  const std::uint16_t port = freePort();
  core::Config config;
  config.gateways.push_back(makeGateway("edge", {{core::Protocol::kHttp, port}}));
  ProxyUnderTest proxy(config);

  // 100 KB announced, 80 KB sent, then nothing: the rest is small but never comes.
  RawConnection connection(port);
  const auto start = std::chrono::steady_clock::now();
  REQUIRE(connection.send(
      "POST /upload HTTP/1.1\r\nHost: nowhere.test\r\nContent-Length: 100000\r\n\r\n" +
      std::string(80 * 1000, 'z')));
  REQUIRE(connection.readUntil("\r\n\r\n", 5s));
  CHECK(std::chrono::steady_clock::now() - start < 3s);
  CHECK(statusOf(connection.received()) == 404);
  CHECK(lowered(headOf(connection.received())).find("connection: close") != std::string::npos);
  CHECK(connection.waitClosed(5s));
}

}  // namespace gw::test
