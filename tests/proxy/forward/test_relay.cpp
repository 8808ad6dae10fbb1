#include <catch2/catch.hpp>

#include "tests/proxy/support/harness.hpp"
#include "tests/support/process.hpp"

namespace gw::test {
namespace {

struct RelaySetup {
  EchoBackend backend{"alpha"};
  std::uint16_t port = freePort();
  core::Config config;

  RelaySetup() {
    config.gateways.push_back(makeGateway("edge", {{core::Protocol::kHttp, port}}));
    config.services.push_back(makeService("alpha", {backend.endpoint()}));
    config.routes.push_back(makeRoute("alpha", "edge", {"*"}, {{"alpha", 100}}));
  }
};

}  // namespace

TEST_CASE("large answers are relayed whole, with or without chunked encoding", "[proxy][relay]") {
  RelaySetup setup;
  ProxyUnderTest proxy(setup.config);
  HttpClient client(setup.port);
  constexpr std::size_t kSize = 3 * 1024 * 1024 + 17;
  const std::string query = "/?size=" + std::to_string(kSize);

  const Reply sized = client.get("a.test", query);
  CHECK(sized.status == 200);
  CHECK(sized.body.size() == kSize);
  CHECK(sized.header("content-length") == std::to_string(kSize));

  const Reply chunked = client.get("a.test", query + "&chunked=1");
  CHECK(chunked.status == 200);
  CHECK(chunked.body.size() == kSize);
  CHECK(chunked.header("transfer-encoding") == "chunked");
  CHECK(chunked.body.find_first_not_of('x') == std::string::npos);

  // The connection stays in step after both.
  CHECK(client.get("a.test").body == "alpha\n");
}

TEST_CASE("a chunked answer reaches an HTTP/1.0 client delimited by the close", "[proxy][relay]") {
  RelaySetup setup;
  ProxyUnderTest proxy(setup.config);
  const std::string answer =
      rawExchange(setup.port, "GET /?size=100000&chunked=1 HTTP/1.0\r\nHost: a.test\r\n\r\n");
  REQUIRE(answer.rfind("HTTP/1.0 200", 0) == 0);
  const auto body_at = answer.find("\r\n\r\n");
  REQUIRE(body_at != std::string::npos);
  CHECK(answer.find("chunked") == std::string::npos);
  CHECK(answer.size() - body_at - 4 == 100000);
}

TEST_CASE("an upstream closing its connection does not close the client's", "[proxy][relay]") {
  RelaySetup setup;
  ProxyUnderTest proxy(setup.config, 1);
  HttpClient client(setup.port);
  REQUIRE(client.get("a.test").header("x-connection-requests") == "1");
  const Reply closing = client.get("a.test", "/?close=1");
  CHECK(closing.status == 200);
  CHECK(closing.keep_alive);
  CHECK(closing.header("connection").empty());
  // The next request needs a new upstream connection; the client keeps its own.
  CHECK(client.get("a.test").header("x-connection-requests") == "1");
  CHECK(client.get("a.test").header("x-connection-requests") == "2");
}

TEST_CASE("Connection: close from the client is honoured after the answer", "[proxy][relay]") {
  RelaySetup setup;
  ProxyUnderTest proxy(setup.config);
  const std::string answer =
      rawExchange(setup.port, "GET / HTTP/1.1\r\nHost: a.test\r\nConnection: close\r\n\r\n");
  CHECK(answer.rfind("HTTP/1.1 200", 0) == 0);
  CHECK(answer.find("Connection: close") != std::string::npos);
  CHECK(answer.substr(answer.size() - 6) == "alpha\n");
}

TEST_CASE("pipelined requests are answered in order", "[proxy][relay]") {
  RelaySetup setup;
  ProxyUnderTest proxy(setup.config);
  const std::string answer =
      rawExchange(setup.port,
                  "GET /?size=3 HTTP/1.1\r\nHost: a.test\r\n\r\n"
                  "GET /?status=404 HTTP/1.1\r\nHost: a.test\r\n\r\n"
                  "GET / HTTP/1.1\r\nHost: a.test\r\nConnection: close\r\n\r\n");
  const auto first = answer.find("HTTP/1.1 200");
  const auto second = answer.find("HTTP/1.1 404");
  const auto third = answer.rfind("HTTP/1.1 200");
  CHECK(first == 0);
  CHECK(second != std::string::npos);
  CHECK(third > second);
  CHECK(answer.find("xxx") < second);
}

}  // namespace gw::test
