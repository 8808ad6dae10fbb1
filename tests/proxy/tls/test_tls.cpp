// TLS on https listeners: certificates picked by SNI, TLS 1.2 and 1.3, ALPN, session
// resumption, certificates swapped by a reload without breaking open connections (and kept
// when the new files are broken), large answers and uploads, and broken certificate files
// left out.

#include <catch2/catch.hpp>
#include <string>

#include "proxy/admin/client.hpp"
#include "tests/proxy/support/harness.hpp"
#include "tests/proxy/support/tls_client.hpp"
#include "tests/support/test_ca.hpp"

namespace gw::test {
namespace {

// Hex serials as openssl and OpenSSL's BN print them may differ in leading zeros: both
// sides of a comparison go through this.
std::string trimZeros(const std::string& hex) {
  const auto first = hex.find_first_not_of('0');
  return first == std::string::npos ? "0" : hex.substr(first);
}

struct TlsSetup {
  TestCa ca;
  TempDir certs;
  EchoBackend backend{"alpha"};
  std::uint16_t http_port = freePort();
  std::uint16_t https_port = freePort();
  core::Config config;

  TlsSetup() {
    config.gateways.push_back(makeGateway(
        "edge", {{core::Protocol::kHttp, http_port}, {core::Protocol::kHttps, https_port}}));
    config.services.push_back(makeService("alpha", {backend.endpoint()}));
    config.routes.push_back(makeRoute("all", "edge", {"*"}, {{"alpha", 100}}));
  }

  std::string issue(const std::string& name, const std::vector<std::string>& names,
                    KeyType key = KeyType::kEcdsaP256, bool listed = true) {
    const std::string serial = ca.issue(certs.path(), name, names, key);
    if (listed) {
      core::Certificate certificate;
      certificate.name = name;
      certificate.domains = names;
      certificate.gateway = "edge";
      config.certificates.push_back(certificate);
    }
    return trimZeros(serial);
  }

  TlsClient connect(const std::string& server_name, const TlsOptions& options = {}) const {
    return {https_port, server_name, ca.rootFile(), options};
  }
};

}  // namespace

TEST_CASE("an https listener serves each name with its certificate, picked by SNI",
          "[proxy][tls]") {
  TlsSetup setup;
  const std::string shop = setup.issue("shop", {"shop.test", "www.shop.test"});
  const std::string api = setup.issue("api", {"api.test"});
  const std::string apps = setup.issue("apps", {"*.apps.test"}, KeyType::kRsa2048);
  ProxyUnderTest proxy(setup.config, 2, "", setup.certs.path().string());

  auto client = setup.connect("shop.test");
  CHECK(trimZeros(client.serial()) == shop);
  CHECK(client.version() == "TLSv1.3");
  CHECK(client.alpn() == "http/1.1");
  const Reply reply = client.get("shop.test");
  CHECK(reply.status == 200);
  CHECK(reply.body == "alpha\n");
  CHECK(client.get("shop.test").status == 200);  // kept alive

  CHECK(trimZeros(setup.connect("www.shop.test").serial()) == shop);  // its second name
  CHECK(trimZeros(setup.connect("api.test").serial()) == api);
  CHECK(trimZeros(setup.connect("x.apps.test").serial()) == apps);  // the wildcard, an RSA key
  // A name no certificate has gets the gateway's first one (which the client then refuses).
  TlsOptions any_name;
  any_name.verify_name = false;
  CHECK(trimZeros(setup.connect("other.test", any_name).serial()) == shop);

  // The upstream learns the request came over https.
  const Reply echoed = setup.connect("api.test").get("api.test", "/_echo");
  CHECK(echoed.body.find("\"x-forwarded-proto\":\"https\"") != std::string::npos);

  // curl, as a user runs it.
  const auto port = std::to_string(setup.https_port);
  const auto result =
      run({"curl", "-sS", "--max-time", "10", "--cacert", setup.ca.rootFile().string(), "--resolve",
           "shop.test:" + port + ":127.0.0.1", "https://shop.test:" + port + "/"});
  CHECK(result.exit_code == 0);
  CHECK(result.out == "alpha\n");
}

TEST_CASE("TLS 1.2 and 1.3, ALPN, and sessions resumed with tickets", "[proxy][tls]") {
  TlsSetup setup;
  setup.issue("shop", {"shop.test"});
  ProxyUnderTest proxy(setup.config, 2, "", setup.certs.path().string());

  TlsOptions tls12;
  tls12.max_version = TLS1_2_VERSION;
  auto old_client = setup.connect("shop.test", tls12);
  CHECK(old_client.version() == "TLSv1.2");
  CHECK(old_client.get("shop.test").status == 200);

  TlsOptions h2_only;
  h2_only.alpn = "h2";
  auto h2_client = setup.connect("shop.test", h2_only);
  CHECK(h2_client.alpn().empty());  // not spoken: no ALPN answer, HTTP/1.1 goes on
  CHECK(h2_client.get("shop.test").status == 200);
  TlsOptions both;
  both.alpn = "h2,http/1.1";
  CHECK(setup.connect("shop.test", both).alpn() == "http/1.1");

  for (const int version : {TLS1_2_VERSION, TLS1_3_VERSION}) {
    INFO("version " << version);
    TlsOptions first;
    first.max_version = version;
    auto client = setup.connect("shop.test", first);
    CHECK_FALSE(client.resumed());
    REQUIRE(client.get("shop.test").status == 200);  // TLS 1.3 tickets come after the handshake
    TlsOptions again = first;
    again.resume = client.session();
    REQUIRE(again.resume != nullptr);
    auto resumed = setup.connect("shop.test", again);
    CHECK(resumed.resumed());
    CHECK(resumed.get("shop.test").status == 200);
    SSL_SESSION_free(again.resume);
  }
}

TEST_CASE("with session tickets off every connection makes a full handshake", "[proxy][tls]") {
  TlsSetup setup;
  setup.issue("shop", {"shop.test"});
  setup.config.proxy.session_tickets = false;
  ProxyUnderTest proxy(setup.config, 2, "", setup.certs.path().string());
  for (const int version : {TLS1_2_VERSION, TLS1_3_VERSION}) {
    INFO("version " << version);
    TlsOptions first;
    first.max_version = version;
    auto client = setup.connect("shop.test", first);
    REQUIRE(client.get("shop.test").status == 200);
    TlsOptions again = first;
    again.resume = client.session();
    REQUIRE(again.resume != nullptr);
    auto next = setup.connect("shop.test", again);
    CHECK_FALSE(next.resumed());
    CHECK(next.get("shop.test").status == 200);
    SSL_SESSION_free(again.resume);
  }
}

TEST_CASE("a renewed certificate serves new connections after a reload, and open ones go on",
          "[proxy][tls]") {
  TlsSetup setup;
  const std::string before = setup.issue("shop", {"shop.test"});
  ProxyUnderTest proxy(setup.config, 2, "", setup.certs.path().string());
  auto open = setup.connect("shop.test");
  REQUIRE(trimZeros(open.serial()) == before);
  REQUIRE(open.get("shop.test").status == 200);

  const std::string after = setup.issue("shop", {"shop.test"}, KeyType::kEcdsaP256, false);
  REQUIRE(after != before);
  proxy.setConfig(setup.config);
  REQUIRE(proxy.server().reload());

  CHECK(trimZeros(setup.connect("shop.test").serial()) == after);
  CHECK(open.get("shop.test").status == 200);  // the connection from before, unbroken
}

TEST_CASE("new files that are broken keep the certificate loaded before serving, and say so",
          "[proxy][tls]") {
  TlsSetup setup;
  const std::string before = setup.issue("shop", {"shop.test"});
  setup.issue("api", {"api.test"}, KeyType::kEcdsaP256, false);
  ProxyUnderTest proxy(setup.config, 1, "", setup.certs.path().string());
  REQUIRE(trimZeros(setup.connect("shop.test").serial()) == before);

  // A renewal caught half way: the new key is in place, the chain is still the old one.
  const auto shop = setup.certs.path() / "shop";
  writeText(shop / "key.pem", readText(setup.certs.path() / "api" / "key.pem"));
  REQUIRE(proxy.server().reload());
  CHECK(trimZeros(setup.connect("shop.test").serial()) == before);
  const proxy::AdminClient admin(proxy.server().adminAddress(), proxy.token());
  const auto status = admin.status();
  REQUIRE(status);
  REQUIRE(status->tls_problems.size() == 1);
  CHECK(status->tls_problems[0].find("certificate shop: ") == 0);
  CHECK(status->tls_problems[0].find("still serving the certificate loaded before") !=
        std::string::npos);

  // The renewal completes: the new pair serves, and the problem is gone.
  const std::string after = setup.issue("shop", {"shop.test"}, KeyType::kEcdsaP256, false);
  REQUIRE(proxy.server().reload());
  CHECK(trimZeros(setup.connect("shop.test").serial()) == after);
  CHECK(admin.status()->tls_problems.empty());
}

TEST_CASE("large answers and uploads over TLS", "[proxy][tls]") {
  TlsSetup setup;
  setup.issue("shop", {"shop.test"});
  ProxyUnderTest proxy(setup.config, 1, "", setup.certs.path().string());
  auto client = setup.connect("shop.test");
  for (const std::string framing : {"", "&chunked=1"}) {
    INFO("framing " << framing);
    const Reply big = client.get("shop.test", "/?size=3000000" + framing);
    CHECK(big.status == 200);
    CHECK(big.body == std::string(3000000, 'x'));
  }
  const std::string body(1'500'000, 'u');
  const Reply upload = client.request("POST", "shop.test", "/_echo", body);
  CHECK(upload.status == 200);
  CHECK(upload.body.find("\"method\":\"POST\"") != std::string::npos);
}

TEST_CASE("a certificate whose files are broken is not served, and nothing else stops",
          "[proxy][tls]") {
  TlsSetup setup;
  setup.issue("shop", {"shop.test"});
  setup.issue("api", {"api.test"}, KeyType::kEcdsaP256, false);
  // shop's chain with api's key: the pair does not match.
  writeText(setup.certs.path() / "shop" / "key.pem",
            readText(setup.certs.path() / "api" / "key.pem"));
  ProxyUnderTest proxy(setup.config, 1, "", setup.certs.path().string());

  CHECK_THROWS(setup.connect("shop.test"));  // no certificate: TLS is refused
  CHECK(HttpClient(setup.http_port).get("shop.test").body == "alpha\n");
  // Plain HTTP sent to the https port is refused too, and the proxy serves on.
  CHECK(rawExchange(setup.https_port, "GET / HTTP/1.1\r\nHost: a\r\n\r\n", 3s).find("200") ==
        std::string::npos);
  CHECK(HttpClient(setup.http_port).get("shop.test").status == 200);
}

}  // namespace gw::test
