// Services reached over TLS, through the proxy, against a real TLS backend on 127.0.0.1 with
// a private CA: requests and large bodies both ways, one upstream connection for many
// requests, resumed sessions, the name sent (SNI) and checked, and a WebSocket tunnel.

#include <catch2/catch.hpp>
#include <string>

#include "tests/proxy/support/wire.hpp"
#include "tests/proxy/upstream/upstream_tls_support.hpp"

namespace gw::test {

TEST_CASE("a service over TLS with a private CA answers, with 1 MiB bodies both ways",
          "[upstream][tls]") {
  TlsUpstreamSetup setup;
  const auto backend = setup.backend("billing", {"billing.test"});
  ProxyUnderTest proxy(setup.config(backend->endpoint(), setup.trusting("billing.test")));
  HttpClient client(setup.port);

  const Reply get = client.get("shop.test");
  CHECK(get.status == 200);
  CHECK(get.body == "billing\n");

  const std::string upload(1 << 20, 'u');
  const Reply echoed = client.request("POST", "shop.test", "/upload", {}, upload);
  CHECK(echoed.status == 200);
  CHECK(echoed.body.size() == upload.size());
  CHECK(echoed.body == upload);

  const Reply download = client.get("shop.test", "/bytes/1048576");
  CHECK(download.status == 200);
  CHECK(download.body == std::string(1 << 20, 'x'));

  CHECK(backend->requests() == 3);
  for (const std::string& alpn : backend->alpn()) {
    CHECK(alpn == "http/1.1");  // offered, and chosen by the backend
  }
  CHECK_FALSE(backend->alpn().empty());
}

TEST_CASE("sequential requests reuse one TLS connection to the upstream", "[upstream][tls]") {
  TlsUpstreamSetup setup;
  const auto backend = setup.backend("billing", {"billing.test"});
  ProxyUnderTest proxy(setup.config(backend->endpoint(), setup.trusting("billing.test")), 1);
  HttpClient client(setup.port);
  constexpr int kRequests = 20;
  for (int i = 0; i < kRequests; ++i) {
    const Reply reply = client.get("shop.test", "/n/" + std::to_string(i));
    REQUIRE(reply.status == 200);
  }
  CHECK(backend->requests() == kRequests);
  CHECK(backend->handshakes() == 1);
}

TEST_CASE("a new TLS connection to an endpoint resumes the last session", "[upstream][tls]") {
  TlsUpstreamSetup setup;
  const auto backend = setup.backend("billing", {"billing.test"});
  backend->closeAfterEachAnswer(true);
  ProxyUnderTest proxy(setup.config(backend->endpoint(), setup.trusting("billing.test")), 1);
  HttpClient client(setup.port);
  constexpr int kRequests = 5;
  for (int i = 0; i < kRequests; ++i) {
    const Reply reply = client.get("shop.test");
    REQUIRE(reply.status == 200);
    CHECK(reply.body == "billing\n");
  }
  CHECK(backend->handshakes() == kRequests);   // the backend closed each connection
  CHECK(backend->resumed() == kRequests - 1);  // every one but the first resumed
}

TEST_CASE("the configured sni is sent, and the certificate checked against it", "[upstream][tls]") {
  TlsUpstreamSetup setup;
  const auto backend = setup.backend("billing", {"billing.test", "billing.internal"});
  ProxyUnderTest proxy(setup.config(backend->endpoint(), setup.trusting("billing.internal")));
  HttpClient client(setup.port);
  CHECK(client.get("shop.test").status == 200);
  CHECK(backend->serverNames() == std::vector<std::string>{"billing.internal"});
}

TEST_CASE("an IP endpoint without sni sends no name and its certificate must show the IP",
          "[upstream][tls]") {
  TlsUpstreamSetup setup;
  const auto by_ip = setup.backend("by-ip", {"billing.test", "127.0.0.1"});
  const auto by_name = setup.backend("by-name", {"billing.test"});
  core::Config config = setup.config(by_ip->endpoint(), setup.trusting());
  config.services.push_back(makeService("named", {by_name->endpoint()}));
  config.services.back().tls = setup.trusting();
  config.routes.push_back(makeRoute("named", "edge", {"named.test"}, {{"named", 100}}));
  ProxyUnderTest proxy(config);
  HttpClient client(setup.port);

  const Reply ip = client.get("shop.test");
  CHECK(ip.status == 200);
  CHECK(ip.body == "by-ip\n");
  CHECK(by_ip->serverNames() == std::vector<std::string>{""});

  const Reply named = client.get("named.test");  // its certificate names no IP address
  CHECK(named.status == 502);
  CHECK(named.header("x-gw-error") == "upstream_tls");
  CHECK(by_name->handshakes() == 0);
}

TEST_CASE("a WebSocket upgrade to a service over TLS tunnels both ways", "[upstream][tls]") {
  TlsUpstreamSetup setup;
  const auto backend = setup.backend("billing", {"billing.test"});
  ProxyUnderTest proxy(setup.config(backend->endpoint(), setup.trusting("billing.test")));
  RawConnection client(setup.port);
  REQUIRE(client.send(
      "GET /chat HTTP/1.1\r\nHost: shop.test\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
      "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"));
  REQUIRE(client.readUntil("\r\n\r\n"));
  CHECK(statusOf(client.received()) == 101);
  REQUIRE(client.send("first frame"));
  CHECK(client.readUntil("first frame"));
  REQUIRE(client.send(std::string(100'000, 'f')));  // more than a TLS record
  CHECK(client.readUntil("first frame" + std::string(100'000, 'f')));
  CHECK(backend->handshakes() == 1);
}

}  // namespace gw::test
