// TLS-ALPN-01 and DNS-01 against a real Pebble, and what a failed validation says: one
// sentence naming the domain, the challenge and what the CA saw.

#include <catch2/catch.hpp>

#include "core/acme/client.hpp"
#include "tests/core/acme/pebble.hpp"
#include "tests/core/acme/responder.hpp"
#include "tests/support/ports.hpp"

using namespace gw::acme;
using gw::test::Pebble;
using gw::test::TestResponder;

namespace {

PrivateKey newKey() {
  auto key = PrivateKey::generate(KeyType::kEcdsaP256);
  REQUIRE(key);
  return std::move(*key);
}

AccountSettings agreed() {
  AccountSettings account;
  account.terms_of_service_agreed = true;
  return account;
}

IssueOptions with(ChallengeType type) {
  IssueOptions options;
  options.challenge = type;
  return options;
}

}  // namespace

TEST_CASE("TLS-ALPN-01 is answered with the certificate the client built",
          "[acme][pebble][tls-alpn-01]") {
  const Pebble pebble;
  TestResponder responder(pebble);
  AcmeClient client(pebble.settings(), newKey(), agreed());
  auto issued =
      client.issue({"tls.test", "www.tls.test"}, with(ChallengeType::kTlsAlpn01), responder);
  INFO((issued ? "" : issued.error().message));
  REQUIRE(issued);
  CHECK(gw::test::verifyChain(issued->chain_pem, pebble.rootCa(), pebble.folder()).empty());
  CHECK(responder.requests() >= 2);  // Pebble's handshakes reached the test's TLS server
  CHECK(responder.cleanedUp() == 2);
  CHECK(responder.serving() == 0);
}

TEST_CASE("DNS-01 proves a name and its wildcard through TXT records", "[acme][pebble][dns-01]") {
  const Pebble pebble;
  TestResponder responder(pebble);
  AcmeClient client(pebble.settings(), newKey(), agreed());
  auto issued = client.issue({"dns.test", "*.dns.test"}, with(ChallengeType::kDns01), responder);
  INFO((issued ? "" : issued.error().message));
  REQUIRE(issued);
  CHECK(gw::test::verifyChain(issued->chain_pem, pebble.rootCa(), pebble.folder()).empty());
  auto chain = parseCertificateChain(issued->chain_pem);
  REQUIRE(chain);
  auto names = chain->front().dns_names;
  std::sort(names.begin(), names.end());
  CHECK(names == std::vector<std::string>{"*.dns.test", "dns.test"});
  CHECK(responder.presented() == 2);
  CHECK(responder.cleanedUp() == 2);
}

TEST_CASE("a challenge nothing answers fails with one sentence naming domain and challenge",
          "[acme][pebble][failure]") {
  const Pebble pebble;
  TestResponder silent(pebble, false);
  AcmeClient client(pebble.settings(), newKey(), agreed());
  const auto issued = client.issue({"shop.test"}, IssueOptions{}, silent);
  REQUIRE_FALSE(issued);
  const std::string& message = issued.error().message;
  INFO(message);
  CHECK(message.starts_with("shop.test: HTTP-01 failed: the CA could not connect to "));
  CHECK(message.find(":" + std::to_string(pebble.http01Port()) + " (connection refused)") !=
        std::string::npos);
  CHECK(message.find('\n') == std::string::npos);
  CHECK(silent.presented() == 1);
  CHECK(silent.cleanedUp() == 1);  // cleanUp on failure too
}

TEST_CASE("requests the client refuses, and a CA it cannot reach, say why",
          "[acme][pebble][refusals]") {
  const Pebble pebble;
  TestResponder responder(pebble);
  AcmeClient client(pebble.settings(), newKey(), agreed());
  SECTION("a domain with a space") {
    const auto issued = client.issue({"shop test"}, IssueOptions{}, responder);
    REQUIRE_FALSE(issued);
    CHECK(issued.error().message == "'shop test' is not a valid domain name: it contains a space");
  }
  SECTION("a wildcard over HTTP-01") {
    const auto issued = client.issue({"*.shop.test"}, IssueOptions{}, responder);
    REQUIRE_FALSE(issued);
    CHECK(issued.error().message == "*.shop.test: a wildcard name can only be proven with DNS-01");
  }
  SECTION("a profile the CA does not offer") {
    IssueOptions options;
    options.profile = "shortlived";
    const auto issued = client.issue({"shop.test"}, options, responder);
    REQUIRE_FALSE(issued);
    CHECK(issued.error().message ==
          "ordering a certificate for shop.test: the CA offers no certificate profiles, so "
          "profile 'shortlived' cannot be used");
  }
  SECTION("a certificate key that is not a key") {
    IssueOptions options;
    options.key_pem = "-----BEGIN PRIVATE KEY-----\nnonsense\n-----END PRIVATE KEY-----\n";
    const auto issued = client.issue({"shop.test"}, options, responder);
    REQUIRE_FALSE(issued);
    CHECK(issued.error().message == "the certificate key: not a private key in PEM form");
  }
  SECTION("a directory nothing listens on") {
    const gw::test::DeadPort dead;
    AcmeSettings settings = pebble.settings();
    settings.directory_url = "https://" + dead.endpoint() + "/dir";
    AcmeClient lost(settings, newKey(), agreed());
    const auto issued = lost.issue({"shop.test"}, IssueOptions{}, responder);
    REQUIRE_FALSE(issued);
    CHECK(issued.error().message.starts_with("could not reach https://" + dead.endpoint() +
                                             "/dir: "));
  }
  CHECK(responder.presented() == 0);
}
