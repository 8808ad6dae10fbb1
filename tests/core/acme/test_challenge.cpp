// Challenges as the responders get them (RFC 8555 section 8, RFC 8737), and the names and
// challenge types the client refuses before it talks to a CA.

#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include <catch2/catch.hpp>

#include "core/acme/certificate.hpp"
#include "core/acme/challenge.hpp"
#include "core/acme/encoding.hpp"
#include "core/acme/jws.hpp"
#include "core/acme/names.hpp"
#include "tests/support/process.hpp"

using namespace gw::acme;

namespace {

const std::string kToken = "evaGxfADs6pSRb2LAv9IZf17Dt3juxGJ-PCt92wr-oA";

PrivateKey accountKey() {
  auto key = PrivateKey::generate(KeyType::kEcdsaP256);
  REQUIRE(key);
  return std::move(*key);
}

// The acmeIdentifier extension of `pem`: (critical, extnValue bytes); critical -1 if absent.
std::pair<int, std::string> acmeIdentifier(const std::string& pem) {
  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  X509* cert = PEM_read_bio_X509(bio, nullptr, nullptr, nullptr);
  BIO_free(bio);
  REQUIRE(cert != nullptr);
  ASN1_OBJECT* oid = OBJ_txt2obj("1.3.6.1.5.5.7.1.31", 1);
  const int at = X509_get_ext_by_OBJ(cert, oid, -1);
  ASN1_OBJECT_free(oid);
  std::pair<int, std::string> out{-1, ""};
  if (at >= 0) {
    X509_EXTENSION* ext = X509_get_ext(cert, at);
    const ASN1_OCTET_STRING* data = X509_EXTENSION_get_data(ext);
    out = {X509_EXTENSION_get_critical(ext),
           std::string(reinterpret_cast<const char*>(ASN1_STRING_get0_data(data)),
                       static_cast<std::size_t>(ASN1_STRING_length(data)))};
  }
  X509_free(cert);
  return out;
}

}  // namespace

TEST_CASE("the key authorization is the token and the account key's thumbprint",
          "[acme][challenge]") {
  const PrivateKey key = accountKey();
  auto challenge = makeChallenge(ChallengeType::kHttp01, "shop.test", kToken, key);
  REQUIRE(challenge);
  CHECK(challenge->key_authorization == kToken + "." + jwkThumbprint(key));
  CHECK(challenge->http_path == "/.well-known/acme-challenge/" + kToken);
  CHECK(challenge->dns_txt_value.empty());
  CHECK(challenge->tls_alpn_cert_pem.empty());
}

TEST_CASE("the DNS-01 TXT value is base64url(SHA-256(key authorization))", "[acme][challenge]") {
  const PrivateKey key = accountKey();
  auto challenge = makeChallenge(ChallengeType::kDns01, "shop.test", kToken, key);
  REQUIRE(challenge);
  CHECK(challenge->dns_txt_name == "_acme-challenge.shop.test");
  // A second opinion: openssl's digest, base64 turned URL-safe by tr.
  const auto digest = gw::test::run(
      {"sh", "-c",
       "printf %s '" + challenge->key_authorization +
           "' | openssl dgst -sha256 -binary | openssl base64 -A | tr '+/' '-_' | tr -d '='"});
  REQUIRE(digest.exit_code == 0);
  CHECK(challenge->dns_txt_value == digest.out);
  CHECK(challenge->dns_txt_value.size() == 43);
}

TEST_CASE("the TLS-ALPN-01 certificate carries the critical acmeIdentifier for one name",
          "[acme][challenge]") {
  const PrivateKey key = accountKey();
  auto challenge = makeChallenge(ChallengeType::kTlsAlpn01, "shop.test", kToken, key);
  REQUIRE(challenge);
  const auto [critical, value] = acmeIdentifier(challenge->tls_alpn_cert_pem);
  CHECK(critical == 1);
  CHECK(value == std::string("\x04\x20", 2) + sha256(challenge->key_authorization));
  auto chain = parseCertificateChain(challenge->tls_alpn_cert_pem);
  REQUIRE(chain);
  CHECK(chain->front().dns_names == std::vector<std::string>{"shop.test"});
  auto cert_key = PrivateKey::fromPem(challenge->tls_alpn_key_pem);
  REQUIRE(cert_key);
  CHECK(certificateMatchesKey(challenge->tls_alpn_cert_pem, *cert_key));
}

TEST_CASE("challenge types are named as ACME names them, others are refused",
          "[acme][challenge][refusals]") {
  CHECK(parseChallengeType("http-01").value() == ChallengeType::kHttp01);
  CHECK(parseChallengeType("tls-alpn-01").value() == ChallengeType::kTlsAlpn01);
  CHECK(parseChallengeType("dns-01").value() == ChallengeType::kDns01);
  CHECK(challengeLabel(ChallengeType::kTlsAlpn01) == "TLS-ALPN-01");
  const auto unknown = parseChallengeType("http-02");
  REQUIRE_FALSE(unknown);
  CHECK(unknown.error().message ==
        "unknown challenge type 'http-02' (use http-01, tls-alpn-01 or dns-01)");
  CHECK(unknown.error().kind == gw::core::ErrorKind::kUsage);
}

TEST_CASE("domain names are checked before anything reaches a CA", "[acme][names][refusals]") {
  CHECK(validateDomain("shop.test"));
  CHECK(validateDomain("a-b.c0.example.test"));
  CHECK(validateDomain("*.shop.test"));
  const auto refusal = [](const std::string& name) {
    const auto status = validateDomain(name);
    REQUIRE_FALSE(status);
    return status.error().message;
  };
  CHECK(refusal("shop test") == "'shop test' is not a valid domain name: it contains a space");
  CHECK(refusal("shop..test") == "'shop..test' is not a valid domain name: it has an empty label");
  CHECK(refusal("-shop.test") ==
        "'-shop.test' is not a valid domain name: a label starts or ends with '-'");
  CHECK(refusal("shop.test.") == "'shop.test.' is not a valid domain name: it ends with a dot");
  CHECK(refusal("localhost") ==
        "'localhost' is not a valid domain name: a certificate needs a "
        "name with at least two labels (like shop.test)");
  CHECK(refusal("shop_x.test") == "'shop_x.test' is not a valid domain name: it contains '_'");
  CHECK(refusal(std::string(64, 'a') + ".test") ==
        "'" + std::string(64, 'a') +
            ".test' is not a valid domain name: a label is longer "
            "than 63 characters");

  auto names = normalizeDomains({"Shop.Test", "www.shop.test", "shop.test"});
  REQUIRE(names);
  CHECK(*names == std::vector<std::string>{"shop.test", "www.shop.test"});
  const auto none = normalizeDomains({});
  REQUIRE_FALSE(none);
  CHECK(none.error().message == "no domain names given");
}
