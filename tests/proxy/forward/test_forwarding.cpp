#include <catch2/catch.hpp>
#include <map>
#include <nlohmann/json.hpp>

#include "core/config/redirect.hpp"
#include "tests/proxy/support/harness.hpp"
#include "tests/support/process.hpp"

namespace gw::test {
namespace {

core::Config twoBackendConfig(std::uint16_t port, const EchoBackend& a, const EchoBackend& b) {
  core::Config config;
  config.gateways.push_back(makeGateway("edge", {{core::Protocol::kHttp, port}}));
  config.services.push_back(makeService("alpha", {a.endpoint()}));
  config.services.push_back(makeService("beta", {b.endpoint()}));
  config.routes.push_back(makeRoute("to-alpha", "edge", {"alpha.test"}, {{"alpha", 100}}));
  config.routes.push_back(makeRoute("to-beta", "edge", {"beta.test"}, {{"beta", 100}}));
  return config;
}

}  // namespace

TEST_CASE("requests go to the backend of the route matching their host", "[proxy][routing]") {
  EchoBackend a("alpha");
  EchoBackend b("beta");
  const auto port = freePort();
  ProxyUnderTest proxy(twoBackendConfig(port, a, b));

  HttpClient client(port);
  const Reply to_a = client.get("alpha.test");
  CHECK(to_a.status == 200);
  CHECK(to_a.body == "alpha\n");
  const Reply to_b = client.get("beta.test:" + std::to_string(port), "/some/path?x=1");
  CHECK(to_b.status == 200);
  CHECK(to_b.header("x-backend") == "beta");

  const auto by_curl = httpGet(port, "alpha.test", "/");
  CHECK(by_curl.status == 200);
  CHECK(by_curl.body == "alpha\n");
}

TEST_CASE("a weighted route splits traffic by its weights", "[proxy][routing]") {
  EchoBackend a("alpha");
  EchoBackend b("beta");
  const auto port = freePort();
  core::Config config = twoBackendConfig(port, a, b);
  config.routes.push_back(
      makeRoute("split", "edge", {"split.test"}, {{"alpha", 70}, {"beta", 30}}));
  ProxyUnderTest proxy(config);

  HttpClient client(port);
  std::map<std::string, int> seen;
  constexpr int kRequests = 400;
  for (int i = 0; i < kRequests; ++i) {
    const Reply reply = client.get("split.test");
    REQUIRE(reply.status == 200);
    ++seen[reply.header("x-backend")];
  }
  CHECK(seen.size() == 2);
  // 30 % of 400 is 120; the bounds are well beyond four standard deviations (~9).
  CHECK(seen["beta"] > 80);
  CHECK(seen["beta"] < 160);
  CHECK(seen["alpha"] + seen["beta"] == kRequests);
}

TEST_CASE("a service's endpoints take turns", "[proxy][balancing]") {
  EchoBackend a("one");
  EchoBackend b("two");
  const auto port = freePort();
  core::Config config;
  config.gateways.push_back(makeGateway("edge", {{core::Protocol::kHttp, port}}));
  config.services.push_back(makeService("pair", {a.endpoint(), b.endpoint()}));
  config.routes.push_back(makeRoute("all", "edge", {"*"}, {{"pair", 100}}));
  ProxyUnderTest proxy(config);

  HttpClient client(port);
  std::string previous;
  std::map<std::string, int> seen;
  for (int i = 0; i < 10; ++i) {
    const std::string backend = client.get("any.test").header("x-backend");
    CHECK(backend != previous);
    previous = backend;
    ++seen[backend];
  }
  CHECK(seen["one"] == 5);
  CHECK(seen["two"] == 5);
}

TEST_CASE("upstream connections are kept alive and reused", "[proxy][pool]") {
  EchoBackend a("alpha");
  EchoBackend b("beta");
  const auto port = freePort();
  ProxyUnderTest proxy(twoBackendConfig(port, a, b), 1);

  HttpClient client(port);
  int last = 0;
  for (int i = 0; i < 5; ++i) {
    const Reply reply = client.get("alpha.test");
    REQUIRE(reply.status == 200);
    last = std::stoi(reply.header("x-connection-requests"));
  }
  CHECK(last == 5);

  // A second client connection on the same worker finds the same upstream connection idle.
  HttpClient other(port);
  CHECK(std::stoi(other.get("alpha.test").header("x-connection-requests")) == 6);
}

TEST_CASE("a pooled connection the upstream closed is replaced without an error", "[proxy][pool]") {
  const auto backend_port = freePort();
  const auto endpoint = "127.0.0.1:" + std::to_string(backend_port);
  auto backend =
      Process::spawn({GW_ECHO_BINARY, "--name", "first", "--port", std::to_string(backend_port)});
  REQUIRE(backend.readLine());
  const auto port = freePort();
  core::Config config;
  config.gateways.push_back(makeGateway("edge", {{core::Protocol::kHttp, port}}));
  config.services.push_back(makeService("svc", {endpoint}));
  config.routes.push_back(makeRoute("all", "edge", {"*"}, {{"svc", 100}}));
  ProxyUnderTest proxy(config, 1);

  HttpClient client(port);
  REQUIRE(client.get("a.test").header("x-backend") == "first");
  backend.stop();
  auto replacement =
      Process::spawn({GW_ECHO_BINARY, "--name", "second", "--port", std::to_string(backend_port)});
  REQUIRE(replacement.readLine());

  SECTION("an idempotent request is sent again on a fresh connection") {
    const Reply reply = client.get("a.test");
    CHECK(reply.status == 200);
    CHECK(reply.header("x-backend") == "second");
  }
  SECTION("a request that cannot be sent twice finds the closed connection first") {
    const Reply reply = client.request("POST", "a.test", "/", {}, "once");
    CHECK(reply.status == 200);
    CHECK(reply.header("x-backend") == "second");
  }
}

TEST_CASE("the backend sees X-Forwarded-* and the client's Host, not hop-by-hop headers",
          "[proxy][headers]") {
  EchoBackend a("alpha");
  EchoBackend b("beta");
  const auto port = freePort();
  ProxyUnderTest proxy(twoBackendConfig(port, a, b));

  HttpClient client(port);
  const Reply reply = client.request("GET", "alpha.test", "/_echo?q=1",
                                     {{"X-Forwarded-For", "203.0.113.9"},
                                      {"Connection", "x-private"},
                                      {"X-Private", "secret"},
                                      {"Keep-Alive", "timeout=5"},
                                      {"X-Kept", "yes"}});
  REQUIRE(reply.status == 200);
  const auto echo = nlohmann::json::parse(reply.body);
  const auto& headers = echo["headers"];
  CHECK(echo["target"] == "/_echo?q=1");
  CHECK(headers["host"] == "alpha.test");
  CHECK(headers["x-forwarded-for"] == "203.0.113.9, 127.0.0.1");
  CHECK(headers["x-forwarded-proto"] == "http");
  CHECK(headers["x-forwarded-host"] == "alpha.test");
  CHECK(headers["x-kept"] == "yes");
  CHECK_FALSE(headers.contains("x-private"));
  CHECK_FALSE(headers.contains("keep-alive"));
  CHECK(reply.keep_alive);
}

TEST_CASE("request bodies reach the backend and HEAD answers carry no body", "[proxy][headers]") {
  EchoBackend a("alpha");
  EchoBackend b("beta");
  const auto port = freePort();
  ProxyUnderTest proxy(twoBackendConfig(port, a, b));

  HttpClient client(port);
  const std::string body(100000, 'x');
  const Reply posted = client.request("POST", "alpha.test", "/_echo", {}, body);
  REQUIRE(posted.status == 200);
  CHECK(nlohmann::json::parse(posted.body)["body_bytes"] == body.size());

  const Reply head = client.request("HEAD", "alpha.test", "/");
  CHECK(head.status == 200);
  CHECK(head.header("content-length") == "6");
  CHECK(head.body.empty());
  CHECK(client.get("alpha.test").body == "alpha\n");  // the connection is still in step

  // curl sends large bodies with Expect: 100-continue and waits for the interim answer.
  TempDir dir;
  writeText(dir.path() / "body", std::string(2 * 1024 * 1024, 'y'));
  const auto started = std::chrono::steady_clock::now();
  const auto sent = httpGet(port, "alpha.test", "/_echo",
                            {"--data-binary", "@" + (dir.path() / "body").string()});
  CHECK(sent.status == 200);
  CHECK(sent.body.find("\"body_bytes\":2097152") != std::string::npos);
  CHECK(std::chrono::steady_clock::now() - started < 900ms);
}

TEST_CASE("an HTTP/1.0 client gets an HTTP/1.0 answer and the connection closes",
          "[proxy][headers]") {
  EchoBackend a("alpha");
  EchoBackend b("beta");
  const auto port = freePort();
  ProxyUnderTest proxy(twoBackendConfig(port, a, b));

  const std::string answer = rawExchange(port, "GET / HTTP/1.0\r\nHost: alpha.test\r\n\r\n");
  CHECK(answer.rfind("HTTP/1.0 200", 0) == 0);
  CHECK(answer.size() >= 6);
  CHECK(answer.substr(answer.size() - 6) == "alpha\n");
}

TEST_CASE("a redirect route answers 302 with its Location", "[proxy][routing]") {
  EchoBackend a("alpha");
  EchoBackend b("beta");
  const auto port = freePort();
  core::Config config = twoBackendConfig(port, a, b);
  core::Route moved = makeRoute("moved", "edge", {"old.test"}, {});
  moved.redirect = core::parseRedirectUrl("https://new.test/");
  config.routes.push_back(moved);
  ProxyUnderTest proxy(config);

  const Reply reply = HttpClient(port).get("old.test", "/page");
  CHECK(reply.status == 302);
  CHECK(reply.header("location") == "https://new.test/");
}

TEST_CASE("a rewrite replaces the matched prefix", "[proxy][routing]") {
  EchoBackend a("alpha");
  EchoBackend b("beta");
  const auto port = freePort();
  core::Config config = twoBackendConfig(port, a, b);
  core::Route api = makeRoute("api", "edge", {"alpha.test"}, {{"beta", 100}});
  api.match.path = "/api";
  api.rewrite = core::Rewrite{"/", {}, {}};
  config.routes.push_back(api);
  ProxyUnderTest proxy(config);

  HttpClient client(port);
  const Reply reply = client.get("alpha.test", "/api/_echo?z=2");
  REQUIRE(reply.header("x-backend") == "beta");
  CHECK(nlohmann::json::parse(reply.body)["target"] == "/_echo?z=2");
  CHECK(client.get("alpha.test", "/other").header("x-backend") == "alpha");
}

}  // namespace gw::test
