// Issuance against a real Pebble over HTTP-01, answered by the test's own HTTP server:
// chains that verify, the account kept across orders, RSA keys, revocation, and the time
// one issuance takes.

#include <catch2/catch.hpp>

#include "core/acme/client.hpp"
#include "tests/core/acme/pebble.hpp"
#include "tests/core/acme/responder.hpp"

using namespace gw::acme;
using gw::test::Pebble;
using gw::test::TestResponder;

namespace {

PrivateKey newKey(KeyType type = KeyType::kEcdsaP256) {
  auto key = PrivateKey::generate(type);
  REQUIRE(key);
  return std::move(*key);
}

PrivateKey copyOf(const PrivateKey& key) {
  auto copy = PrivateKey::fromPem(key.pem());
  REQUIRE(copy);
  return std::move(*copy);
}

AccountSettings agreed() {
  AccountSettings account;
  account.terms_of_service_agreed = true;
  account.contact_emails = {"ops@shop.test"};
  return account;
}

}  // namespace

TEST_CASE("two names over HTTP-01 give a chain that verifies against Pebble's root",
          "[acme][pebble]") {
  const Pebble pebble;
  TestResponder responder(pebble);
  AcmeClient client(pebble.settings(), newKey(), agreed());
  auto issued = client.issue({"shop.test", "www.shop.test"}, IssueOptions{}, responder);
  INFO((issued ? "" : issued.error().message));
  REQUIRE(issued);

  CHECK(gw::test::verifyChain(issued->chain_pem, pebble.rootCa(), pebble.folder()).empty());
  auto chain = parseCertificateChain(issued->chain_pem);
  REQUIRE(chain);
  CHECK(chain->size() == 2);
  auto names = chain->front().dns_names;
  std::sort(names.begin(), names.end());
  CHECK(names == std::vector<std::string>{"shop.test", "www.shop.test"});
  CHECK(issued->not_after == chain->front().not_after);
  auto key = PrivateKey::fromPem(issued->key_pem);
  REQUIRE(key);
  CHECK(key->type() == KeyType::kEcdsaP256);
  CHECK(certificateMatchesKey(issued->chain_pem, *key));
  // Pebble fetched both answers, and both were taken away afterwards.
  CHECK(responder.presented() == 2);
  CHECK(responder.requests() >= 2);
  CHECK(responder.cleanedUp() == 2);
  CHECK(responder.serving() == 0);
  CHECK_FALSE(client.accountUrl().empty());
}

TEST_CASE("the account is kept: a second order and a second client use the same one",
          "[acme][pebble][account]") {
  const Pebble pebble;
  TestResponder responder(pebble);
  const PrivateKey key = newKey();
  AcmeClient client(pebble.settings(), copyOf(key), agreed());
  REQUIRE(client.issue({"one.test"}, IssueOptions{}, responder));
  const std::string url = client.accountUrl();
  REQUIRE_FALSE(url.empty());
  REQUIRE(client.issue({"two.test"}, IssueOptions{}, responder));
  CHECK(client.accountUrl() == url);

  // The same key in a new client (the CLI's next run, the URL forgotten): the CA answers
  // with the existing account, both when asked to create it and when only asked to find it.
  AcmeClient again(pebble.settings(), copyOf(key), agreed());
  auto found = again.findAccount();
  REQUIRE(found);
  CHECK(*found == url);
  AcmeClient third(pebble.settings(), copyOf(key), agreed());
  auto registered = third.registerAccount();
  REQUIRE(registered);
  CHECK(*registered == url);

  // With the URL kept, no account request is made at all and issuance works.
  AccountSettings known = agreed();
  known.url = url;
  AcmeClient kept(pebble.settings(), copyOf(key), known);
  REQUIRE(kept.issue({"three.test"}, IssueOptions{}, responder));

  AcmeClient stranger(pebble.settings(), newKey(), agreed());
  const auto none = stranger.findAccount();
  REQUIRE_FALSE(none);
  CHECK(none.error().kind == gw::core::ErrorKind::kNotFound);
  CHECK(none.error().message == "finding the ACME account at " +
                                    pebble.env("PEBBLE_DIRECTORY_URL") +
                                    ": the CA has no account for this key");
}

TEST_CASE("RSA 2048 keys work for the account and the certificate", "[acme][pebble][rsa]") {
  const Pebble pebble;
  TestResponder responder(pebble);
  AcmeClient client(pebble.settings(), newKey(KeyType::kRsa2048), agreed());
  IssueOptions options;
  options.key_type = KeyType::kRsa2048;
  auto issued = client.issue({"rsa.test"}, options, responder);
  INFO((issued ? "" : issued.error().message));
  REQUIRE(issued);
  CHECK(gw::test::verifyChain(issued->chain_pem, pebble.rootCa(), pebble.folder()).empty());
  auto key = PrivateKey::fromPem(issued->key_pem);
  REQUIRE(key);
  CHECK(key->type() == KeyType::kRsa2048);
  CHECK(certificateMatchesKey(issued->chain_pem, *key));
}

TEST_CASE("a revoked certificate is reported revoked by Pebble", "[acme][pebble][revoke]") {
  const Pebble pebble;
  TestResponder responder(pebble);
  AcmeClient client(pebble.settings(), newKey(), agreed());
  auto issued = client.issue({"revoke.test"}, IssueOptions{}, responder);
  REQUIRE(issued);
  const auto chain = parseCertificateChain(issued->chain_pem);
  REQUIRE(chain);
  const std::string serial = chain->front().serial_hex;
  CHECK(pebble.certificateStatus(serial) == "Valid");
  const auto revoked = client.revoke(issued->chain_pem, 4);
  INFO((revoked ? "" : revoked.error().message));
  REQUIRE(revoked);
  CHECK(pebble.certificateStatus(serial) == "Revoked");
  const auto twice = client.revoke(issued->chain_pem, 4);
  REQUIRE_FALSE(twice);
  CHECK(twice.error().message.starts_with(
      "revoking the certificate: the certificate is already revoked"));
}

TEST_CASE("one issuance takes well under two seconds", "[acme][pebble][speed]") {
  const Pebble pebble({"PEBBLE_VA_NOSLEEP=1"});
  TestResponder responder(pebble);
  AcmeClient client(pebble.settings(), newKey(), agreed());
  REQUIRE(client.registerAccount());
  const auto start = std::chrono::steady_clock::now();
  auto issued = client.issue({"fast.test"}, IssueOptions{}, responder);
  const auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - start);
  REQUIRE(issued);
  INFO("one issuance took " << elapsed.count() << " ms");
  CHECK(elapsed < std::chrono::milliseconds(2000));
}
