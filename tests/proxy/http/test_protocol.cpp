#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/write.hpp>
#include <catch2/catch.hpp>
#include <string>
#include <thread>

#include "tests/proxy/support/harness.hpp"
#include "tests/proxy/support/wire.hpp"
#include "tests/support/process.hpp"

namespace gw::test {
namespace {

struct ProtocolSetup {
  EchoBackend backend{"alpha"};
  std::uint16_t port = freePort();
  core::Config config;

  ProtocolSetup() {
    config.gateways.push_back(makeGateway("edge", {{core::Protocol::kHttp, port}}));
    config.services.push_back(makeService("alpha", {backend.endpoint()}));
    config.routes.push_back(makeRoute("alpha", "edge", {"*"}, {{"alpha", 100}}));
  }
};

bool has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// An upstream that answers one request with `answer`, as bytes.
class OneShotBackend {
 public:
  explicit OneShotBackend(std::string answer) {
    thread_ = std::thread([this, answer = std::move(answer)] {
      boost::system::error_code ec;
      boost::asio::ip::tcp::socket socket(ioc_);
      acceptor_.accept(socket, ec);
      std::string request;
      boost::asio::read_until(socket, boost::asio::dynamic_buffer(request), "\r\n\r\n", ec);
      boost::asio::write(socket, boost::asio::buffer(answer), ec);
    });
  }
  ~OneShotBackend() {
    boost::system::error_code ec;
    boost::asio::io_context ioc;
    boost::asio::ip::tcp::socket poke(ioc);  // ends the accept should nothing have come
    poke.connect(acceptor_.local_endpoint(), ec);
    thread_.join();
  }
  std::string endpoint() const {
    return "127.0.0.1:" + std::to_string(acceptor_.local_endpoint().port());
  }

 private:
  boost::asio::io_context ioc_;
  boost::asio::ip::tcp::acceptor acceptor_{ioc_, {boost::asio::ip::make_address("127.0.0.1"), 0}};
  std::thread thread_;
};

}  // namespace

TEST_CASE("hop-by-hop headers are not passed to the upstream", "[protocol]") {
  ProtocolSetup setup;
  ProxyUnderTest proxy(setup.config);
  HttpClient client(setup.port);
  const Reply reply = client.request("GET", "a.test", "/_echo",
                                     {{"Connection", "keep-alive, X-Private"},
                                      {"X-Private", "secret"},
                                      {"Keep-Alive", "timeout=5"},
                                      {"Proxy-Connection", "keep-alive"},
                                      {"TE", "trailers, deflate"},
                                      {"Trailer", "X-Checksum"},
                                      {"Upgrade", "h2c"},
                                      {"X-End-To-End", "kept"}});
  REQUIRE(reply.status == 200);
  const std::string& seen = reply.body;  // the headers as the upstream got them
  CHECK_FALSE(has(seen, "x-private"));
  CHECK_FALSE(has(seen, "secret"));
  CHECK_FALSE(has(seen, "\"keep-alive\":"));
  CHECK_FALSE(has(seen, "proxy-connection"));
  CHECK_FALSE(has(seen, "\"trailer\":"));
  CHECK_FALSE(has(seen, "\"upgrade\":"));
  CHECK_FALSE(has(seen, "deflate"));
  CHECK(has(seen, "\"te\":\"trailers\""));  // the one TE value meant for the next hop too
  CHECK(has(seen, "\"x-end-to-end\":\"kept\""));
}

TEST_CASE("hop-by-hop headers of the upstream's answer are not passed to the client",
          "[protocol]") {
  OneShotBackend upstream(
      "HTTP/1.1 200 OK\r\nConnection: keep-alive, X-Hop\r\nX-Hop: internal\r\n"
      "Keep-Alive: timeout=5\r\nProxy-Connection: keep-alive\r\nUpgrade: h2c\r\n"
      "Trailer: X-Sum\r\nX-End-To-End: kept\r\nTransfer-Encoding: chunked\r\n\r\n"
      "5\r\nhello\r\n0\r\n\r\n");
  ProtocolSetup setup;
  setup.config.services.push_back(makeService("raw", {upstream.endpoint()}));
  setup.config.routes.push_back(makeRoute("raw", "edge", {"raw.test"}, {{"raw", 100}}));
  ProxyUnderTest proxy(setup.config);
  HttpClient client(setup.port);
  const Reply reply = client.get("raw.test");
  CHECK(reply.status == 200);
  CHECK(reply.body == "hello");  // re-framed, and whole
  CHECK(reply.header("x-hop").empty());
  CHECK(reply.header("keep-alive").empty());
  CHECK(reply.header("proxy-connection").empty());
  CHECK(reply.header("upgrade").empty());
  CHECK(reply.header("trailer").empty());
  CHECK(reply.header("connection").find("X-Hop") == std::string::npos);
  CHECK(reply.header("x-end-to-end") == "kept");
  CHECK(client.get("a.test").body == "alpha\n");  // the client's connection carries on
}

TEST_CASE("a chunked request body reaches the upstream whole", "[protocol]") {
  ProtocolSetup setup;
  ProxyUnderTest proxy(setup.config);
  const std::string answer = sendAndHalfClose(setup.port,
                                              "POST /_echo HTTP/1.1\r\nHost: a.test\r\n"
                                              "Transfer-Encoding: chunked\r\n\r\n"
                                              "5\r\nhello\r\n6;ext=1\r\n world\r\n0\r\n\r\n");
  CHECK(statusOf(answer) == 200);
  CHECK(has(answer, "\"body_bytes\":11"));
}

TEST_CASE("HTTP/1.0 clients get HTTP/1.0 answers and their keep-alive rules", "[protocol]") {
  ProtocolSetup setup;
  ProxyUnderTest proxy(setup.config);

  SECTION("without keep-alive the connection closes after the answer") {
    RawConnection connection(setup.port);
    connection.send("GET / HTTP/1.0\r\nHost: a.test\r\n\r\n");
    CHECK(connection.waitClosed(3s));
    CHECK(connection.received().rfind("HTTP/1.0 200", 0) == 0);
    CHECK(has(connection.received(), "alpha\n"));
  }
  SECTION("with Connection: keep-alive it stays open for the next request") {
    RawConnection connection(setup.port);
    connection.send("GET / HTTP/1.0\r\nHost: a.test\r\nConnection: keep-alive\r\n\r\n");
    REQUIRE(connection.readUntil("alpha\n", 3s));
    CHECK(connection.received().rfind("HTTP/1.0 200", 0) == 0);
    CHECK(has(connection.received(), "Connection: keep-alive"));
    connection.send("GET /?size=3 HTTP/1.0\r\nHost: a.test\r\n\r\n");
    CHECK(connection.waitClosed(3s));
    CHECK(has(connection.received(), "xxx"));
  }
  SECTION("an HTTP/1.0 request needs no Host") {
    CHECK(statusOf(sendAndHalfClose(setup.port, "GET / HTTP/1.0\r\n\r\n")) == 200);
  }
  SECTION("an HTTP/1.1 request without Host is refused") {
    CHECK(statusOf(sendAndHalfClose(setup.port, "GET / HTTP/1.1\r\n\r\n")) == 400);
  }
}

TEST_CASE("Expect: 100-continue is answered before the body and the request completes",
          "[protocol]") {
  ProtocolSetup setup;
  ProxyUnderTest proxy(setup.config);
  RawConnection connection(setup.port);
  connection.send(
      "POST /_echo HTTP/1.1\r\nHost: a.test\r\nExpect: 100-continue\r\n"
      "Content-Length: 5\r\n\r\n");
  REQUIRE(connection.readUntil("\r\n\r\n", 3s));
  CHECK(connection.received().rfind("HTTP/1.1 100 Continue\r\n\r\n", 0) == 0);
  connection.send("hello");
  REQUIRE(connection.readUntil("}}", 3s));
  CHECK(has(connection.received(), "HTTP/1.1 200"));
  CHECK(has(connection.received(), "\"body_bytes\":5"));
  CHECK_FALSE(has(connection.received(), "100-continue"));  // not passed on: it was answered
}

TEST_CASE("a request the gateway refuses on its head gets no 100 Continue", "[protocol]") {
  ProtocolSetup setup;
  setup.config.gateways[0].limits.max_body_bytes = 100;
  ProxyUnderTest proxy(setup.config);
  RawConnection connection(setup.port);
  connection.send(
      "POST / HTTP/1.1\r\nHost: a.test\r\nExpect: 100-continue\r\nContent-Length: 500\r\n\r\n");
  REQUIRE(connection.readUntil("\r\n\r\n", 3s));
  CHECK(statusOf(connection.received()) == 413);
  CHECK(connection.waitClosed(3s));
}

}  // namespace gw::test
