// Accounts and the transport against a real Pebble: External Account Binding when the CA
// requires it, badNonce rejections retried, and a CA without ARI.

#include <catch2/catch.hpp>

#include "core/acme/client.hpp"
#include "tests/core/acme/pebble.hpp"
#include "tests/core/acme/responder.hpp"

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
  account.contact_emails = {"ops@shop.test"};
  return account;
}

}  // namespace

TEST_CASE("a CA that requires External Account Binding refuses without it, issues with it",
          "[acme][pebble][eab]") {
  const Pebble pebble({"PEBBLE_EAB_REQUIRED=1"});
  TestResponder responder(pebble);

  AcmeClient plain(pebble.settings(), newKey(), agreed());
  auto dir = plain.directory();
  REQUIRE(dir);
  CHECK(dir->external_account_required);
  const auto refused = plain.registerAccount();
  REQUIRE_FALSE(refused);
  INFO(refused.error().message);
  CHECK(refused.error().message.starts_with("creating the ACME account at " +
                                            pebble.env("PEBBLE_DIRECTORY_URL") +
                                            ": the CA requires External Account Binding"));

  AccountSettings bound = agreed();
  bound.eab =
      ExternalAccountBinding{pebble.env("PEBBLE_EAB_KID"), pebble.env("PEBBLE_EAB_HMAC_KEY")};
  AcmeClient client(pebble.settings(), newKey(), bound);
  auto issued = client.issue({"eab.test"}, IssueOptions{}, responder);
  INFO((issued ? "" : issued.error().message));
  REQUIRE(issued);
  CHECK(gw::test::verifyChain(issued->chain_pem, pebble.rootCa(), pebble.folder()).empty());

  AccountSettings wrong = agreed();
  wrong.eab = ExternalAccountBinding{pebble.env("PEBBLE_EAB_KID"), "c2VjcmV0LWJ1dC13cm9uZw"};
  AcmeClient forged(pebble.settings(), newKey(), wrong);
  const auto forged_result = forged.registerAccount();
  REQUIRE_FALSE(forged_result);
  CHECK(forged_result.error().message.starts_with("creating the ACME account at "));
}

TEST_CASE("with half of all nonces rejected, every order still completes",
          "[acme][pebble][nonce]") {
  const Pebble pebble({"PEBBLE_WFE_NONCEREJECT=50"});
  TestResponder responder(pebble);
  AcmeClient client(pebble.settings(), newKey(), agreed());
  for (const char* name : {"n1.test", "n2.test", "n3.test"}) {
    auto issued = client.issue({name, std::string("www.") + name}, IssueOptions{}, responder);
    INFO(name << ": " << (issued ? "" : issued.error().message));
    REQUIRE(issued);
    CHECK(gw::test::verifyChain(issued->chain_pem, pebble.rootCa(), pebble.folder()).empty());
  }
  // About half of some fifty signed requests were refused and retried.
  CHECK(client.badNonceRetries() >= 5);
}

TEST_CASE("a CA without ARI gives no renewal window, and the policy falls back",
          "[acme][pebble][ari]") {
  const Pebble pebble;
  TestResponder responder(pebble);
  AcmeClient client(pebble.settings(), newKey(), agreed());
  auto issued = client.issue({"ari.test"}, IssueOptions{}, responder);
  REQUIRE(issued);
  auto window = client.renewalInfo(issued->chain_pem);
  REQUIRE(window);
  CHECK_FALSE(window->has_value());
  auto chain = parseCertificateChain(issued->chain_pem);
  REQUIRE(chain);
  std::mt19937_64 random(1);
  const auto& leaf = chain->front();
  const auto renew_at = renewalTime(leaf.not_before, leaf.not_after, *window, random);
  CHECK(renew_at == leaf.not_before + std::chrono::duration_cast<std::chrono::seconds>(
                                          leaf.not_after - leaf.not_before) *
                                          2 / 3);
}

TEST_CASE("badNonce is retried a bounded number of times, then reported", "[acme][pebble][nonce]") {
  const Pebble pebble({"PEBBLE_WFE_NONCEREJECT=100"});
  AcmeSettings settings = pebble.settings();
  settings.bad_nonce_retries = 3;
  AcmeClient client(settings, newKey(), agreed());
  const auto refused = client.registerAccount();
  REQUIRE_FALSE(refused);
  INFO(refused.error().message);
  CHECK(refused.error().message.starts_with("creating the ACME account at " +
                                            pebble.env("PEBBLE_DIRECTORY_URL") +
                                            ": the CA refused the request's nonce"));
  CHECK(client.badNonceRetries() == 3);
}
