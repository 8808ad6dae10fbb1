#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include "proxy/admin/client.hpp"
#include "tests/proxy/support/harness.hpp"
#include "tests/support/process.hpp"

using namespace gw;
using namespace gw::test;

TEST_CASE("the admin client reaches a running proxy with its token", "[admin-client]") {
  ProxyUnderTest proxy(core::Config{});
  const auto address = proxy.server().adminAddress();

  proxy::AdminClient client(address, proxy.token());
  CHECK(client.ready());
  auto status = client.get("/v1/status");
  REQUIRE(status.ok());
  CHECK(status->status == 200);
  CHECK(status->body.find("\"revision\"") != std::string::npos);
  auto reload = client.post("/v1/reload", proxy::AdminClient::kReloadTimeout);
  REQUIRE(reload.ok());
  CHECK(reload->status == 200);

  // A wrong token is an HTTP answer, not a transport error.
  auto denied = proxy::AdminClient(address, "wrong").get("/v1/status");
  REQUIRE(denied.ok());
  CHECK(denied->status == 401);
}

TEST_CASE("the admin client's typed calls read the proxy's documents", "[admin-client]") {
  EchoBackend backend("alpha");
  const auto port = freePort();
  core::Config config;
  config.gateways.push_back(makeGateway("edge", {{core::Protocol::kHttp, port}}));
  config.services.push_back(makeService("alpha", {backend.endpoint()}));
  config.routes.push_back(makeRoute("alpha", "edge", {"alpha.test"}, {{"alpha", 100}}));
  ProxyUnderTest proxy(config);
  REQUIRE(HttpClient(port).get("alpha.test").status == 200);
  proxy::AdminClient client(proxy.server().adminAddress(), proxy.token());

  auto status = client.status();
  REQUIRE(status);
  CHECK(status->revision == 1);
  CHECK(status->pid == static_cast<long>(::getpid()));
  CHECK(status->threads == 2);
  REQUIRE(status->listeners.size() == 1);
  CHECK(status->listeners[0].gateway == "edge");
  CHECK(status->listeners[0].port == port);
  CHECK_FALSE(status->listeners[0].tls.has_value());
  REQUIRE(status->routes.size() == 1);
  CHECK(status->routes[0].hosts == std::vector<std::string>{"alpha.test"});
  REQUIRE(status->services.size() == 1);
  REQUIRE(status->services[0].endpoints.size() == 1);
  CHECK(status->services[0].endpoints[0].address == backend.endpoint());
  CHECK(status->services[0].endpoints[0].healthy);

  auto stats = client.stats(10);
  REQUIRE(stats);
  CHECK(stats->routes.at("alpha").gateway == "edge");
  CHECK(stats->routes.at("alpha").traffic.series.requests.size() == 10);
  CHECK(stats->services.at("alpha").endpoints.count(backend.endpoint()) == 1);

  proxy.setConfig(config);
  auto reload = client.reload();
  REQUIRE(reload);
  CHECK(reload->served == std::optional<std::uint64_t>(2));
  CHECK_FALSE(reload->refusal.has_value());

  auto denied = proxy::AdminClient(proxy.server().adminAddress(), "wrong").status();
  REQUIRE_FALSE(denied);
  CHECK(denied.error().message == "/v1/status answered HTTP 401");
}

TEST_CASE("the admin client fails fast when nothing listens", "[admin-client]") {
  const DeadPort dead;
  const auto port = dead.port();
  proxy::AdminClient client(dead.endpoint(), "t");
  CHECK_FALSE(client.ready());
  auto r = client.get("/v1/status");
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message.find("127.0.0.1:" + std::to_string(port)) != std::string::npos);
}

TEST_CASE("the admin client gives up on a proxy that never answers", "[admin-client]") {
  // A socket that listens but never accepts or answers: the kernel completes the handshake.
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  REQUIRE(listen(fd, 8) == 0);
  socklen_t len = sizeof addr;
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);

  proxy::AdminClient client("127.0.0.1:" + std::to_string(ntohs(addr.sin_port)), "t");
  const auto start = std::chrono::steady_clock::now();
  auto r = client.get("/v1/status", std::chrono::milliseconds(300));
  const auto took = std::chrono::steady_clock::now() - start;
  close(fd);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message.find("no answer within 300 ms") != std::string::npos);
  CHECK(took < std::chrono::seconds(3));
}

TEST_CASE("the admin client refuses an address that is not HOST:PORT", "[admin-client]") {
  CHECK_FALSE(proxy::AdminClient("localhost", "t").get("/ready").ok());
  CHECK_FALSE(proxy::AdminClient("example:80", "t").get("/ready").ok());
}
