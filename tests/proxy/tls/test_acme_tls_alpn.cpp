// TLS-ALPN-01 (RFC 8737) on https listeners: a ClientHello offering acme-tls/1 for a name
// with a pending answer gets that certificate and acme-tls/1, and the connection ends after
// the handshake; without an answer (or with a name that is no DNS name) the handshake fails;
// other clients on the same listener are served as before, and a listener with no
// certificate yet answers challenges only.

#include <catch2/catch.hpp>
#include <string>

#include "tests/proxy/support/harness.hpp"
#include "tests/proxy/support/tls_client.hpp"
#include "tests/support/test_ca.hpp"

namespace gw::test {
namespace {

std::string trimZeros(const std::string& hex) {
  const auto first = hex.find_first_not_of('0');
  return first == std::string::npos ? "0" : hex.substr(first);
}

struct ChallengeSetup {
  TestCa ca;
  TempDir certs;
  TempDir acme;
  TempDir scratch;
  EchoBackend backend{"alpha"};
  std::uint16_t https_port = freePort();
  core::Config config;

  ChallengeSetup() {
    config.gateways.push_back(makeGateway("edge", {{core::Protocol::kHttps, https_port}}));
    config.services.push_back(makeService("alpha", {backend.endpoint()}));
    config.routes.push_back(makeRoute("all", "edge", {"*"}, {{"alpha", 100}}));
  }

  // A certificate the gateway serves.
  std::string serve(const std::string& name, const std::vector<std::string>& names) {
    const std::string serial = ca.issue(certs.path(), name, names);
    core::Certificate certificate;
    certificate.name = name;
    certificate.domains = names;
    config.certificates.push_back(certificate);
    return trimZeros(serial);
  }

  // A pending answer, as `gw cert issue --challenge tls-alpn-01` leaves it: certificate and
  // key in one file named after the domain, at `file` under the acme folder.
  std::string pending(const std::string& domain, const std::string& file) const {
    const std::string serial = ca.issue(scratch.path(), domain, {domain});
    const auto made = scratch.path() / domain;
    writeText(acme.path() / file, readText(made / "cert.pem") + readText(made / "key.pem"));
    return trimZeros(serial);
  }
  std::string pending(const std::string& domain) const {
    std::filesystem::create_directories(acme.path() / "tls-alpn-01");
    return pending(domain, "tls-alpn-01/" + domain + ".pem");
  }

  TlsClient connect(const std::string& server_name, const std::string& alpn,
                    bool verify_name = true) const {
    TlsOptions options;
    options.alpn = alpn;
    options.verify_name = verify_name;
    return {https_port, server_name, ca.rootFile(), options};
  }
};

}  // namespace

TEST_CASE("an https listener answers TLS-ALPN-01 with the pending certificate, then closes",
          "[proxy][tls][acme]") {
  ChallengeSetup setup;
  const std::string served = setup.serve("shop", {"shop.test", "www.shop.test"});
  const std::string answer = setup.pending("shop.test");
  REQUIRE(served != answer);
  ProxyUnderTest proxy(setup.config, 2, "", setup.certs.path().string(),
                       setup.acme.path().string());

  auto challenge = setup.connect("shop.test", "acme-tls/1");
  CHECK(challenge.serial() == answer);
  CHECK(challenge.alpn() == "acme-tls/1");
  CHECK(challenge.closedByServer());  // nothing read, nothing answered after the handshake

  SECTION("ordinary clients of the same name are served as before") {
    auto client = setup.connect("shop.test", "http/1.1");
    CHECK(client.serial() == served);
    CHECK(client.alpn() == "http/1.1");
    CHECK(client.get("shop.test").body == "alpha\n");
    CHECK(setup.connect("www.shop.test", "").serial() == served);
  }
  SECTION("the name is matched without regard to case or a final dot") {
    CHECK(setup.connect("Shop.Test.", "acme-tls/1", false).serial() == answer);
  }
  SECTION("a name with no pending answer fails the handshake") {
    CHECK_THROWS_WITH(setup.connect("www.shop.test", "acme-tls/1"),
                      Catch::Contains("handshake failure"));
    CHECK(setup.connect("www.shop.test", "http/1.1").serial() == served);
  }
  SECTION("a server name that is no DNS name never reaches the file system") {
    // <acme>/shop.test.pem exists, and "../shop.test" would lead there.
    setup.pending("shop.test", "shop.test.pem");
    CHECK_THROWS_WITH(setup.connect("../shop.test", "acme-tls/1", false),
                      Catch::Contains("handshake failure"));
    CHECK_THROWS_WITH(setup.connect("a/b", "acme-tls/1", false),
                      Catch::Contains("handshake failure"));
  }
  SECTION("the answer goes when its file goes") {
    std::filesystem::remove(setup.acme.path() / "tls-alpn-01" / "shop.test.pem");
    CHECK_THROWS_WITH(setup.connect("shop.test", "acme-tls/1"),
                      Catch::Contains("handshake failure"));
  }
}

TEST_CASE("an https listener without a certificate answers TLS-ALPN-01 and refuses the rest",
          "[proxy][tls][acme]") {
  ChallengeSetup setup;
  const std::string answer = setup.pending("shop.test");
  ProxyUnderTest proxy(setup.config, 2, "", setup.certs.path().string(),
                       setup.acme.path().string());

  auto challenge = setup.connect("shop.test", "acme-tls/1");
  CHECK(challenge.serial() == answer);
  CHECK(challenge.alpn() == "acme-tls/1");
  CHECK(challenge.closedByServer());

  CHECK_THROWS_WITH(setup.connect("shop.test", "http/1.1"), Catch::Contains("handshake failure"));
  CHECK_THROWS_WITH(setup.connect("shop.test", ""), Catch::Contains("handshake failure"));
  CHECK_THROWS_WITH(setup.connect("other.test", "acme-tls/1"),
                    Catch::Contains("handshake failure"));
}

}  // namespace gw::test
