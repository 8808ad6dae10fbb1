#include <catch2/catch.hpp>
#include <thread>

#include "tests/proxy/support/bad_backend.hpp"
#include "tests/proxy/support/harness.hpp"
#include "tests/support/process.hpp"

namespace gw::test {
namespace {

struct ErrorSetup {
  EchoBackend backend{"alive"};
  std::uint16_t port = freePort();
  DeadPort dead;  // refuses connections
  core::Config config;

  ErrorSetup() {
    config.gateways.push_back(makeGateway("edge", {{core::Protocol::kHttp, port}}));
    config.services.push_back(makeService("alive", {backend.endpoint()}));
    config.services.push_back(makeService("dead", {dead.endpoint()}));
    config.services.push_back(makeService("empty", {}));
    config.routes.push_back(makeRoute("alive", "edge", {"alive.test"}, {{"alive", 100}}));
    config.routes.push_back(makeRoute("dead", "edge", {"dead.test"}, {{"dead", 100}}));
    config.routes.push_back(makeRoute("empty", "edge", {"empty.test"}, {{"empty", 100}}));
    core::Route slow = makeRoute("slow", "edge", {"slow.test"}, {{"alive", 100}});
    slow.timeout = core::Millis(300);
    config.routes.push_back(slow);
  }
};

}  // namespace

TEST_CASE("an upstream that sends garbage or closes without answering: 502 upstream_reset",
          "[proxy][errors]") {
  ErrorSetup setup;
  BadBackend garbage("SSH-2.0-not-http\r\n\r\n", 1);
  BadBackend silent("", 1);
  setup.config.services.push_back(makeService("garbage", {garbage.endpoint()}));
  setup.config.services.push_back(makeService("silent", {silent.endpoint()}));
  setup.config.routes.push_back(makeRoute("garbage", "edge", {"garbage.test"}, {{"garbage", 100}}));
  setup.config.routes.push_back(makeRoute("silent", "edge", {"silent.test"}, {{"silent", 100}}));
  ProxyUnderTest proxy(setup.config);

  HttpClient client(setup.port);
  const Reply from_garbage = client.get("garbage.test");
  CHECK(from_garbage.status == 502);
  CHECK(from_garbage.header("x-gw-error") == "upstream_reset");
  const Reply from_silent = client.get("silent.test");
  CHECK(from_silent.status == 502);
  CHECK(from_silent.header("x-gw-error") == "upstream_reset");
  CHECK(client.get("alive.test").status == 200);
}

TEST_CASE("gateway-made errors carry their reason and never the upstream address",
          "[proxy][errors]") {
  ErrorSetup setup;
  ProxyUnderTest proxy(setup.config);
  HttpClient client(setup.port);

  SECTION("no route for the host: 404 no_route") {
    const Reply reply = client.get("unknown.test");
    CHECK(reply.status == 404);
    CHECK(reply.header("x-gw-error") == "no_route");
  }
  SECTION("nothing listening upstream: 502 upstream_connect") {
    const Reply reply = client.get("dead.test");
    CHECK(reply.status == 502);
    CHECK(reply.header("x-gw-error") == "upstream_connect");
    CHECK(reply.body.find(std::to_string(setup.dead.port())) == std::string::npos);
    CHECK(reply.body.find("127.0.0.1") == std::string::npos);
  }
  SECTION("a service without endpoints: 503 no_healthy_upstream") {
    const Reply reply = client.get("empty.test");
    CHECK(reply.status == 503);
    CHECK(reply.header("x-gw-error") == "no_healthy_upstream");
  }
  SECTION("an upstream slower than the route's timeout: 504 upstream_timeout") {
    const auto started = std::chrono::steady_clock::now();
    const Reply reply = client.get("slow.test", "/?delay=3s");
    CHECK(reply.status == 504);
    CHECK(reply.header("x-gw-error") == "upstream_timeout");
    CHECK(std::chrono::steady_clock::now() - started < 2s);
  }
  // The connection survives every one of them.
  CHECK(client.get("alive.test").status == 200);
}

TEST_CASE("upstream error statuses are relayed as they are", "[proxy][errors]") {
  ErrorSetup setup;
  ProxyUnderTest proxy(setup.config);
  const Reply reply = HttpClient(setup.port).get("alive.test", "/?status=503");
  CHECK(reply.status == 503);
  CHECK(reply.header("x-gw-error").empty());
  CHECK(reply.header("x-backend") == "alive");
}

TEST_CASE("a retry policy sends idempotent requests to another endpoint", "[proxy][retries]") {
  ErrorSetup setup;
  setup.config.services.push_back(
      makeService("mixed", {setup.dead.endpoint(), setup.backend.endpoint()}));
  core::Route route = makeRoute("mixed", "edge", {"mixed.test"}, {{"mixed", 100}});
  route.retries.attempts = 1;
  route.retries.on = {"connect-failure", "503"};
  setup.config.routes.push_back(route);
  ProxyUnderTest proxy(setup.config, 1);

  HttpClient client(setup.port);
  for (int i = 0; i < 6; ++i) {
    const Reply reply = client.get("mixed.test");
    CHECK(reply.status == 200);
    CHECK(reply.header("x-backend") == "alive");
  }
  // POST is not retried: one of two requests meets the dead endpoint.
  int failed = 0;
  for (int i = 0; i < 2; ++i) {
    failed += client.request("POST", "mixed.test", "/", {}, "x").status == 502 ? 1 : 0;
  }
  CHECK(failed == 1);
}

TEST_CASE("malformed requests get a 4xx and the proxy keeps serving", "[proxy][errors]") {
  ErrorSetup setup;
  ProxyUnderTest proxy(setup.config);

  SECTION("garbage") {
    const std::string answer = rawExchange(setup.port, "\x16\x03\x01 not http at all\r\n\r\n");
    CHECK(answer.rfind("HTTP/1.1 400", 0) == 0);
    CHECK(answer.find("x-gw-error: bad_request") != std::string::npos);
  }
  SECTION("a header over 16 KiB") {
    const std::string request =
        "GET / HTTP/1.1\r\nHost: alive.test\r\nX-Big: " + std::string(20 * 1024, 'a') + "\r\n\r\n";
    const std::string answer = rawExchange(setup.port, request);
    CHECK(answer.rfind("HTTP/1.1 431", 0) == 0);
  }
  SECTION("a body over the limit") {
    const std::string answer = rawExchange(
        setup.port, "POST / HTTP/1.1\r\nHost: alive.test\r\nContent-Length: 99999999\r\n\r\n");
    CHECK(answer.rfind("HTTP/1.1 413", 0) == 0);
  }
  SECTION("HTTP/1.1 without Host") {
    const std::string answer = rawExchange(setup.port, "GET / HTTP/1.1\r\n\r\n");
    CHECK(answer.rfind("HTTP/1.1 400", 0) == 0);
  }
  CHECK(HttpClient(setup.port).get("alive.test").status == 200);
}

}  // namespace gw::test
