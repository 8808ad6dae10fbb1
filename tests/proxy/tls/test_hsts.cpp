// A gateway with hsts: every answer of its https listeners carries Strict-Transport-Security
// (proxied or made by the gateway), its http listeners' never, and an upstream's own is
// passed on alone.

#include <catch2/catch.hpp>
#include <string>

#include "tests/proxy/support/bad_backend.hpp"
#include "tests/proxy/support/harness.hpp"
#include "tests/proxy/support/tls_client.hpp"
#include "tests/support/test_ca.hpp"

namespace gw::test {
namespace {

constexpr const char* kHsts = "max-age=31536000; includeSubDomains";

// How many Strict-Transport-Security fields a head has (the Reply's map would fold them).
std::size_t hstsFields(const Reply& reply) {
  std::string head = reply.head;
  std::ranges::transform(head, head.begin(),
                         [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  std::size_t count = 0;
  for (auto at = head.find("\r\nstrict-transport-security:"); at != std::string::npos;
       at = head.find("\r\nstrict-transport-security:", at + 1)) {
    ++count;
  }
  return count;
}

struct HstsSetup {
  TestCa ca;
  TempDir certs;
  EchoBackend backend{"alpha"};
  DeadPort dead;
  BadBackend own{
      "HTTP/1.1 200 OK\r\nStrict-Transport-Security: max-age=60\r\nContent-Length: 4\r\n"
      "Connection: close\r\n\r\nown\n",
      1};
  std::uint16_t http_port = freePort();
  std::uint16_t https_port = freePort();
  core::Config config;

  HstsSetup() {
    config.gateways.push_back(makeGateway(
        "edge", {{core::Protocol::kHttp, http_port}, {core::Protocol::kHttps, https_port}}));
    config.gateways[0].hsts = core::Hsts{std::chrono::seconds(31'536'000), true, false};
    config.services.push_back(makeService("alpha", {backend.endpoint()}));
    config.services.push_back(makeService("dead", {dead.endpoint()}));
    config.services.push_back(makeService("own", {own.endpoint()}));
    config.routes.push_back(makeRoute("shop", "edge", {"shop.test"}, {{"alpha", 100}}));
    core::Route down = makeRoute("down", "edge", {"shop.test"}, {{"dead", 100}});
    down.match.path = "/down";
    config.routes.push_back(down);
    core::Route upstream_hsts = makeRoute("own", "edge", {"shop.test"}, {{"own", 100}});
    upstream_hsts.match.path = "/own";
    config.routes.push_back(upstream_hsts);
    ca.issue(certs.path(), "shop", {"shop.test", "other.test"});
    core::Certificate certificate;
    certificate.name = "shop";
    certificate.domains = {"shop.test", "other.test"};
    config.certificates.push_back(certificate);
  }

  TlsClient connect(const std::string& name = "shop.test") const {
    return {https_port, name, ca.rootFile()};
  }
};

}  // namespace

TEST_CASE("hsts: proxied and gateway-made answers on https carry the header once",
          "[proxy][tls][hsts]") {
  HstsSetup setup;
  ProxyUnderTest proxy(setup.config, 2, "", setup.certs.path().string());
  auto client = setup.connect();

  const Reply proxied = client.get("shop.test", "/");
  CHECK(proxied.status == 200);
  CHECK(proxied.body == "alpha\n");
  CHECK(proxied.header("strict-transport-security") == kHsts);
  CHECK(hstsFields(proxied) == 1);

  const Reply chunked = client.get("shop.test", "/?size=100&chunked=1");
  CHECK(chunked.status == 200);
  CHECK(chunked.header("strict-transport-security") == kHsts);

  const Reply no_route = setup.connect("other.test").get("other.test", "/");
  CHECK(no_route.status == 404);
  CHECK(no_route.header("x-gw-error") == "no_route");
  CHECK(no_route.header("strict-transport-security") == kHsts);
  CHECK(hstsFields(no_route) == 1);

  const Reply unavailable = client.get("shop.test", "/down");
  CHECK(unavailable.status == 502);
  CHECK(unavailable.header("x-gw-error") == "upstream_connect");
  CHECK(unavailable.header("strict-transport-security") == kHsts);
  CHECK(hstsFields(unavailable) == 1);
}

TEST_CASE("hsts: an upstream's own Strict-Transport-Security is passed on, not doubled",
          "[proxy][tls][hsts]") {
  HstsSetup setup;
  ProxyUnderTest proxy(setup.config, 1, "", setup.certs.path().string());
  const Reply own = setup.connect().get("shop.test", "/own");
  CHECK(own.status == 200);
  CHECK(own.body == "own\n");
  CHECK(own.header("strict-transport-security") == "max-age=60");
  CHECK(hstsFields(own) == 1);
}

TEST_CASE("hsts: never on the http listeners, and gone from https after a reload without it",
          "[proxy][tls][hsts]") {
  HstsSetup setup;
  ProxyUnderTest proxy(setup.config, 1, "", setup.certs.path().string());
  HttpClient plain(setup.http_port);
  const Reply proxied = plain.get("shop.test", "/");
  CHECK(proxied.status == 200);
  CHECK(proxied.header("strict-transport-security").empty());
  const Reply no_route = plain.get("other.test", "/");
  CHECK(no_route.status == 404);
  CHECK(no_route.header("strict-transport-security").empty());

  auto open = setup.connect();
  REQUIRE(open.get("shop.test", "/").header("strict-transport-security") == kHsts);
  setup.config.gateways[0].hsts.reset();
  proxy.setConfig(setup.config);
  REQUIRE(proxy.server().reload());
  const Reply after = open.get("shop.test", "/");  // the next request on the same connection
  CHECK(after.status == 200);
  CHECK(after.header("strict-transport-security").empty());
  CHECK(hstsFields(after) == 0);
}

}  // namespace gw::test
