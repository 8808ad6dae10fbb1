// JWTs end to end (RFC 7519 over RFC 7515's compact form): decoding refuses what is not a
// token before trusting any of it, and verify turns every hostile token (alg none, HS256 keyed
// with an RSA public key, a changed payload, DER signatures, unknown kids) into its verdict.
// The claims checks (times, issuer, audience) are in test_jwt_claims.cpp.

#include <openssl/evp.h>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <string>

#include "core/jose/base64url.hpp"
#include "core/jose/jwt.hpp"
#include "tests/core/jose/rfc_vectors.hpp"
#include "tests/core/jose/signer.hpp"

using gw::jose::Alg;
using gw::jose::decode;
using gw::jose::KeySet;
using gw::jose::Policy;
using gw::jose::Token;
using gw::jose::Verdict;
using nlohmann::json;
namespace rfc = gw::jose::test::rfc;
namespace test = gw::jose::test;

namespace {

constexpr std::size_t kMaxBytes = 8192;
constexpr std::int64_t kNow = 1'700'000'000;

const Policy kEveryAlg{"",
                       {},
                       {Alg::kRS256, Alg::kRS384, Alg::kRS512, Alg::kPS256, Alg::kES256,
                        Alg::kES384, Alg::kEdDSA, Alg::kHS256},
                       0};

Token decoded(std::string_view compact) {
  auto token = decode(compact, kMaxBytes);
  INFO((token ? std::string() : token.error().message));
  REQUIRE(token);
  return std::move(*token);
}

std::string refusal(std::string_view compact, std::size_t max_bytes = kMaxBytes) {
  auto token = decode(compact, max_bytes);
  REQUIRE_FALSE(token);
  return token.error().message;
}

Verdict verdict(std::string_view compact, const KeySet& keys, const Policy& policy = kEveryAlg,
                std::int64_t now = kNow) {
  return gw::jose::verify(decoded(compact), keys, policy, now);
}

KeySet rfcKeys() {
  auto set = KeySet::parse(json{
      {"keys",
       {json::parse(rfc::kHs256Jwk), json::parse(rfc::kRs256Jwk), json::parse(rfc::kEs256Jwk)}}}
                               .dump());
  REQUIRE(set);
  return std::move(*set);
}

// A compact token from raw header and claims text, with `signature` bytes.
std::string rawToken(std::string_view header, std::string_view claims,
                     std::string_view signature = "sig") {
  return gw::jose::base64url(header) + "." + gw::jose::base64url(claims) + "." +
         gw::jose::base64url(signature);
}

const json kClaims{{"sub", "alice"}, {"exp", kNow + 600}};

}  // namespace

TEST_CASE("jwt: the RFC 7515 A.1 token decodes into its header, claims and signature",
          "[jose][jwt]") {
  const Token token = decoded(rfc::kHs256Jws);
  CHECK(token.alg == Alg::kHS256);
  CHECK(token.alg_name == "HS256");
  CHECK_FALSE(token.kid);
  CHECK(token.header["typ"] == "JWT");
  CHECK(token.claims["iss"] == "joe");
  CHECK(token.claims["exp"] == rfc::kClaimsExp);
  CHECK(token.claims["http://example.com/is_root"] == true);
  CHECK(token.signing_input == rfc::kHs256Jws.substr(0, rfc::kHs256Jws.rfind('.')));
  CHECK(token.signature.size() == 32);
}

TEST_CASE("jwt: the RFC 7515 example tokens verify with the RFC keys", "[jose][jwt]") {
  const KeySet keys = rfcKeys();
  const std::string_view jws = GENERATE(rfc::kHs256Jws, rfc::kRs256Jws, rfc::kEs256Jws);
  Policy policy = kEveryAlg;
  policy.issuer = "joe";
  CHECK(verdict(jws, keys, policy, rfc::kClaimsExp - 1) == Verdict::kOk);
  CHECK(verdict(jws, keys, policy, rfc::kClaimsExp) == Verdict::kExpired);
}

TEST_CASE("jwt: tokens signed at test time verify for every algorithm", "[jose][jwt]") {
  const std::string secret(48, 'h');
  const KeySet keys = test::keySet(
      {test::publicJwk(test::rsa2048().get(), "rsa"), test::publicJwk(test::p256().get(), "p256"),
       test::publicJwk(test::p384().get(), "p384"), test::publicJwk(test::ed25519().get(), "ed"),
       test::octJwk(secret, "hmac")});
  const auto [alg, key, kid] = GENERATE(table<Alg, test::Pkey, std::string>({
      {Alg::kRS256, test::rsa2048(), "rsa"},
      {Alg::kRS384, test::rsa2048(), "rsa"},
      {Alg::kRS512, test::rsa2048(), "rsa"},
      {Alg::kPS256, test::rsa2048(), "rsa"},
      {Alg::kES256, test::p256(), "p256"},
      {Alg::kES384, test::p384(), "p384"},
      {Alg::kEdDSA, test::ed25519(), "ed"},
  }));
  CAPTURE(gw::jose::toString(alg));
  CHECK(verdict(test::token(alg, key.get(), kClaims, kid), keys) == Verdict::kOk);
  // Without a kid every key that fits the algorithm is tried.
  CHECK(verdict(test::token(alg, key.get(), kClaims), keys) == Verdict::kOk);
}

TEST_CASE("jwt: HS256 tokens verify with the set's HMAC secret", "[jose][jwt]") {
  const std::string secret(48, 'h');
  const KeySet keys =
      test::keySet({test::publicJwk(test::rsa2048().get(), "rsa"), test::octJwk(secret, "hmac")});
  CHECK(verdict(test::hmacToken(secret, kClaims, "hmac"), keys) == Verdict::kOk);
  CHECK(verdict(test::hmacToken(secret, kClaims), keys) == Verdict::kOk);
  CHECK(verdict(test::hmacToken(secret + "!", kClaims), keys) == Verdict::kBadSignature);
}

TEST_CASE("jwt: decoding refuses what is not a compact JWS", "[jose][jwt]") {
  const std::string good_header = R"({"alg":"RS256"})";
  const std::string good_claims = R"({"sub":"a"})";
  const auto [compact, message] = GENERATE_COPY(table<std::string, std::string>({
      {"", "token: not three parts separated by dots"},
      {"abc.def", "token: not three parts separated by dots"},
      {"a.b.c.d", "token: not three parts separated by dots"},
      {"a.b.c.d.e", "token: not three parts separated by dots"},
      {rawToken(good_header, good_claims) + "+", "token: the signature is not base64url"},
      {"e3=.e30.", "token: the header is not base64url"},
      {rawToken("{\"alg\":", good_claims), "token: the header is not JSON"},
      {rawToken(R"(["alg","RS256"])", good_claims), "token: the header is not a JSON object"},
      {rawToken("{}", good_claims), "token: the header has no string \"alg\""},
      {rawToken(R"({"alg":256})", good_claims), "token: the header has no string \"alg\""},
      {rawToken(R"({"alg":"RS256","kid":1})", good_claims),
       "token: the header's \"kid\" is not a string"},
      {rawToken(R"({"alg":"RS256","crit":["exp"],"exp":1})", good_claims),
       "token: the header asks for extensions (\"crit\"), which gw does not implement"},
      {rawToken(R"({"alg":"RS256","b64":false,"crit":["b64"]})", good_claims),
       "token: the header asks for extensions (\"crit\"), which gw does not implement"},
      {rawToken(good_header, "[1,2]"), "token: the claims set is not a JSON object"},
      {rawToken(good_header, "\"alice\""), "token: the claims set is not a JSON object"},
      {rawToken(good_header, "{\"sub\":"), "token: the claims set is not JSON"},
  }));
  CAPTURE(compact);
  CHECK(refusal(compact) == message);
}

TEST_CASE("jwt: a token over the size limit is refused before anything is decoded", "[jose][jwt]") {
  const json header{{"alg", "ES256"}, {"pad", std::string(10'000, 'x')}};
  const std::string huge = test::signingInput(header, kClaims) + ".c2ln";
  CHECK(refusal(huge) ==
        "token: " + std::to_string(huge.size()) + " bytes, above the limit of 8192");
  // Not even the shape is looked at: garbage over the limit gets the same answer.
  CHECK(refusal(std::string(9000, '!')) == "token: 9000 bytes, above the limit of 8192");
  CHECK(decode(rfc::kHs256Jws, rfc::kHs256Jws.size()));
  CHECK_FALSE(decode(rfc::kHs256Jws, rfc::kHs256Jws.size() - 1));
}

TEST_CASE("jwt: alg none is never accepted, signed or not", "[jose][jwt]") {
  const KeySet keys = rfcKeys();
  const std::string name = GENERATE("none", "None", "NONE", "nOnE");
  const std::string header = R"({"alg":")" + name + R"("})";
  const std::string unsigned_token =
      gw::jose::base64url(header) + "." + gw::jose::base64url(kClaims.dump()) + ".";
  const Token token = decoded(unsigned_token);
  CHECK_FALSE(token.alg);
  CHECK(token.alg_name == name);
  CHECK(gw::jose::verify(token, keys, kEveryAlg, kNow) == Verdict::kAlgorithmNotAllowed);
  // With a signature (an HMAC by the RFC's own secret) nothing changes.
  const std::string input = unsigned_token.substr(0, unsigned_token.size() - 1);
  const auto secret =
      gw::jose::base64urlDecode(json::parse(rfc::kHs256Jwk)["k"].get<std::string>());
  REQUIRE(secret);
  CHECK(verdict(test::compact(input, test::hmacSha256(*secret, input)), keys) ==
        Verdict::kAlgorithmNotAllowed);
}

TEST_CASE("jwt: only the policy's algorithms are accepted", "[jose][jwt]") {
  const KeySet keys = test::keySet({test::publicJwk(test::rsa2048().get())});
  const std::string token = test::token(Alg::kRS256, test::rsa2048().get(), kClaims);
  CHECK(verdict(token, keys, Policy{"", {}, {}, 0}) == Verdict::kAlgorithmNotAllowed);
  CHECK(verdict(token, keys, Policy{"", {}, {Alg::kPS256, Alg::kRS512}, 0}) ==
        Verdict::kAlgorithmNotAllowed);
  CHECK(verdict(token, keys, Policy{"", {}, {Alg::kRS256}, 0}) == Verdict::kOk);
}

TEST_CASE("jwt: an RS256 token re-signed as HS256 with the RSA public key fails", "[jose][jwt]") {
  EVP_PKEY* rsa = test::rsa2048().get();
  const json jwk = test::publicJwk(rsa, "signing-key");
  const KeySet keys = test::keySet({jwk});
  const Policy both{"", {}, {Alg::kRS256, Alg::kHS256}, 0};
  const auto n = gw::jose::base64urlDecode(jwk["n"].get<std::string>());
  REQUIRE(n);
  const std::string secret = GENERATE_COPY(test::publicPem(rsa), *n, jwk.dump());
  const json admin{{"sub", "admin"}, {"exp", kNow + 600}};
  // Naming the RSA key's kid: the key is found and refuses HS256.
  CHECK(verdict(test::hmacToken(secret, admin, "signing-key"), keys, both) ==
        Verdict::kBadSignature);
  // No kid: no key of the set is an HMAC key.
  CHECK(verdict(test::hmacToken(secret, admin), keys, both) == Verdict::kUnknownKey);
  // The genuine RS256 token still verifies.
  CHECK(verdict(test::token(Alg::kRS256, rsa, admin, "signing-key"), keys, both) == Verdict::kOk);
}

TEST_CASE("jwt: a changed payload breaks the signature", "[jose][jwt]") {
  const KeySet keys = rfcKeys();
  const std::string_view jws = GENERATE(rfc::kHs256Jws, rfc::kRs256Jws, rfc::kEs256Jws);
  const auto first = jws.find('.');
  const auto second = jws.rfind('.');
  const std::string forged = std::string(jws.substr(0, first + 1)) +
                             gw::jose::base64url(R"({"iss":"joe","exp":1300819380,"admin":true})") +
                             std::string(jws.substr(second));
  CHECK(verdict(forged, keys, kEveryAlg, rfc::kClaimsExp - 1) == Verdict::kBadSignature);
}

TEST_CASE("jwt: an ES256 token with a DER signature is refused", "[jose][jwt]") {
  EVP_PKEY* key = test::p256().get();
  const KeySet keys = test::keySet({test::publicJwk(key)});
  const std::string input = test::signingInput({{"alg", "ES256"}}, kClaims);
  CHECK(verdict(test::compact(input, test::signEcdsaDer(key, Alg::kES256, input)), keys) ==
        Verdict::kBadSignature);
  CHECK(verdict(test::compact(input, test::sign(Alg::kES256, key, input)), keys) == Verdict::kOk);
}

TEST_CASE("jwt: a signature of the wrong length is refused", "[jose][jwt]") {
  EVP_PKEY* key = test::rsa2048().get();
  const KeySet keys = test::keySet({test::publicJwk(key)});
  const std::string input = test::signingInput({{"alg", "RS256"}}, kClaims);
  const std::string signature = test::sign(Alg::kRS256, key, input);
  CHECK(verdict(test::compact(input, signature.substr(0, 255)), keys) == Verdict::kBadSignature);
  CHECK(verdict(test::compact(input, signature + "x"), keys) == Verdict::kBadSignature);
  CHECK(verdict(test::compact(input, ""), keys) == Verdict::kBadSignature);
}

TEST_CASE("jwt: the kid picks the key, and an unknown kid finds none", "[jose][jwt]") {
  json old = json::parse(rfc::kEs256Jwk);
  old["kid"] = "old";
  const KeySet keys = test::keySet({test::publicJwk(test::p256().get(), "current"), old});
  EVP_PKEY* key = test::p256().get();
  CHECK(verdict(test::token(Alg::kES256, key, kClaims, "current"), keys) == Verdict::kOk);
  CHECK(verdict(test::token(Alg::kES256, key, kClaims, "old"), keys) == Verdict::kBadSignature);
  CHECK(verdict(test::token(Alg::kES256, key, kClaims, "next"), keys) == Verdict::kUnknownKey);
  CHECK(verdict(test::token(Alg::kES256, key, kClaims), keys) == Verdict::kOk);
  CHECK(verdict(test::token(Alg::kES384, test::p384().get(), kClaims), keys) ==
        Verdict::kUnknownKey);
}

TEST_CASE("jwt: the signature is checked before any claim", "[jose][jwt]") {
  const KeySet keys = test::keySet({test::publicJwk(test::ed25519().get())});
  const json expired{{"exp", kNow - 600}, {"iss", "mallory"}};
  const std::string input = test::signingInput({{"alg", "EdDSA"}}, expired);
  CHECK(verdict(test::compact(input, std::string(64, 's')), keys) == Verdict::kBadSignature);
}

TEST_CASE("jwt: every verdict has its own short text", "[jose][jwt]") {
  using gw::jose::toString;
  CHECK(toString(Verdict::kOk) == "ok");
  CHECK(toString(Verdict::kMalformed) == "malformed claims");
  CHECK(toString(Verdict::kAlgorithmNotAllowed) == "algorithm not allowed");
  CHECK(toString(Verdict::kUnknownKey) == "unknown key");
  CHECK(toString(Verdict::kBadSignature) == "bad signature");
  CHECK(toString(Verdict::kExpired) == "expired");
  CHECK(toString(Verdict::kNotYetValid) == "not yet valid");
  CHECK(toString(Verdict::kIssuer) == "wrong issuer");
  CHECK(toString(Verdict::kAudience) == "wrong audience");
}
