// JWS signatures (RFC 7515 section 5.2, RFC 7518 section 3, RFC 8037): the RFC examples verify,
// signatures OpenSSL makes at test time verify for every algorithm, and a key verifies nothing
// but its own algorithm, so the classic confusions (HS256 keyed with an RSA public key, DER
// where JWS wants R || S, RS256 passed off as PS256) all fail.

#include <openssl/evp.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "core/jose/base64url.hpp"
#include "core/jose/jws_verify.hpp"
#include "tests/core/jose/rfc_vectors.hpp"
#include "tests/core/jose/signer.hpp"

using gw::jose::Alg;
using gw::jose::Key;
using gw::jose::KeySet;
using gw::jose::parseAlg;
using gw::jose::verifySignature;
namespace rfc = gw::jose::test::rfc;
namespace test = gw::jose::test;

namespace {

const Key& onlyKey(const KeySet& set) {
  REQUIRE(set.keys().size() == 1);
  return set.keys().front();
}

KeySet parsedSet(std::string_view text) {
  auto set = KeySet::parse(text);
  REQUIRE(set);
  return std::move(*set);
}

std::string decoded(std::string_view text) {
  auto bytes = gw::jose::base64urlDecode(text);
  REQUIRE(bytes);
  return std::move(*bytes);
}

// A compact JWS split into what verifySignature takes.
struct Split {
  std::string input;
  std::string signature;
};

Split split(std::string_view jws) {
  const auto dot = jws.rfind('.');
  return {std::string(jws.substr(0, dot)), decoded(jws.substr(dot + 1))};
}

// The signing input with one character of the payload changed.
std::string tampered(std::string input) {
  input.back() = input.back() == 'A' ? 'B' : 'A';
  return input;
}

struct Case {
  Alg alg;
  test::Pkey key;
};

std::vector<Case> everyAsymmetricCase() {
  return {{Alg::kRS256, test::rsa2048()}, {Alg::kRS384, test::rsa2048()},
          {Alg::kRS512, test::rsa2048()}, {Alg::kPS256, test::rsa2048()},
          {Alg::kES256, test::p256()},    {Alg::kES384, test::p384()},
          {Alg::kEdDSA, test::ed25519()}};
}

}  // namespace

TEST_CASE("jws: algorithm names parse exactly as JWA spells them", "[jose][jws]") {
  for (const Alg alg : {Alg::kRS256, Alg::kRS384, Alg::kRS512, Alg::kPS256, Alg::kES256,
                        Alg::kES384, Alg::kEdDSA, Alg::kHS256}) {
    CAPTURE(gw::jose::toString(alg));
    CHECK(parseAlg(gw::jose::toString(alg)) == alg);
  }
  CHECK(gw::jose::toString(Alg::kEdDSA) == "EdDSA");
}

TEST_CASE("jws: none and near misses are not algorithms", "[jose][jws]") {
  const std::string name = GENERATE("none", "None", "NONE", "", "hs256", "RS256 ", "HS512", "PS384",
                                    "ES512", "Ed25519", "RSA-OAEP");
  CAPTURE(name);
  CHECK_FALSE(parseAlg(name));
}

TEST_CASE("jws: the RFC 7515 examples A.1 HS256, A.2 RS256 and A.3 ES256 verify", "[jose][jws]") {
  const auto [jwk, jws, alg] = GENERATE(table<std::string_view, std::string_view, Alg>({
      {rfc::kHs256Jwk, rfc::kHs256Jws, Alg::kHS256},
      {rfc::kRs256Jwk, rfc::kRs256Jws, Alg::kRS256},
      {rfc::kEs256Jwk, rfc::kEs256Jws, Alg::kES256},
  }));
  CAPTURE(gw::jose::toString(alg));
  const KeySet set = parsedSet(jwk);
  const Split parts = split(jws);
  CHECK(verifySignature(alg, onlyKey(set), parts.input, parts.signature));
  CHECK_FALSE(verifySignature(alg, onlyKey(set), tampered(parts.input), parts.signature));
}

TEST_CASE("jws: the RFC 8037 A.4 Ed25519 example verifies", "[jose][jws]") {
  const KeySet set = parsedSet(rfc::kEd25519Jwk);
  const std::string signature = decoded(rfc::kEd25519Signature);
  const std::string input(rfc::kEd25519SigningInput);
  CHECK(verifySignature(Alg::kEdDSA, onlyKey(set), input, signature));
  CHECK_FALSE(verifySignature(Alg::kEdDSA, onlyKey(set), tampered(input), signature));
}

TEST_CASE("jws: signatures made by OpenSSL verify for every algorithm", "[jose][jws]") {
  const Case c = GENERATE(from_range(everyAsymmetricCase()));
  CAPTURE(gw::jose::toString(c.alg));
  const KeySet set = test::keySet({test::publicJwk(c.key.get())});
  const std::string input = "eyJhbGciOiJYIn0.eyJzdWIiOiJhbGljZSJ9";
  const std::string signature = test::sign(c.alg, c.key.get(), input);
  CHECK(verifySignature(c.alg, onlyKey(set), input, signature));
  CHECK_FALSE(verifySignature(c.alg, onlyKey(set), tampered(input), signature));
  CHECK_FALSE(verifySignature(c.alg, onlyKey(set), input, signature.substr(1)));
  CHECK_FALSE(verifySignature(c.alg, onlyKey(set), input, signature + '\0'));
  CHECK_FALSE(verifySignature(c.alg, onlyKey(set), input, ""));
}

TEST_CASE("jws: HS256 verifies with its secret and in no other length", "[jose][jws]") {
  const std::string secret(32, 'k');
  const KeySet set = test::keySet({test::octJwk(secret)});
  const std::string input = "eyJhbGciOiJIUzI1NiJ9.e30";
  const std::string mac = test::hmacSha256(secret, input);
  CHECK(verifySignature(Alg::kHS256, onlyKey(set), input, mac));
  CHECK_FALSE(verifySignature(Alg::kHS256, onlyKey(set), input, mac.substr(0, 16)));
  CHECK_FALSE(
      verifySignature(Alg::kHS256, onlyKey(set), input, test::hmacSha256("x" + secret, input)));
}

TEST_CASE("jws: a key verifies only the algorithms of its own type and curve", "[jose][jws]") {
  const Case c = GENERATE(from_range(everyAsymmetricCase()));
  CAPTURE(gw::jose::toString(c.alg));
  const KeySet set = test::keySet({test::publicJwk(c.key.get())});
  const std::string input = "eyJhbGciOiJYIn0.e30";
  const std::string signature = test::sign(c.alg, c.key.get(), input);
  for (const Alg other : {Alg::kRS256, Alg::kRS384, Alg::kRS512, Alg::kPS256, Alg::kES256,
                          Alg::kES384, Alg::kEdDSA, Alg::kHS256}) {
    if (other != c.alg) {
      CAPTURE(gw::jose::toString(other));
      CHECK_FALSE(verifySignature(other, onlyKey(set), input, signature));
    }
  }
}

TEST_CASE("jws: an EC key fits only the algorithm of its curve", "[jose][jws]") {
  const KeySet set =
      test::keySet({test::publicJwk(test::p256().get()), test::publicJwk(test::p384().get()),
                    test::publicJwk(test::rsa2048().get())});
  CHECK(gw::jose::keyFits(Alg::kES256, set.keys()[0]));
  CHECK_FALSE(gw::jose::keyFits(Alg::kES384, set.keys()[0]));
  CHECK(gw::jose::keyFits(Alg::kES384, set.keys()[1]));
  CHECK_FALSE(gw::jose::keyFits(Alg::kES256, set.keys()[1]));
  CHECK(gw::jose::keyFits(Alg::kPS256, set.keys()[2]));
  CHECK_FALSE(gw::jose::keyFits(Alg::kHS256, set.keys()[2]));
}

TEST_CASE("jws: HS256 keyed with the RSA public key never verifies against the RSA key",
          "[jose][jws]") {
  EVP_PKEY* rsa = test::rsa2048().get();
  const KeySet set = test::keySet({test::publicJwk(rsa)});
  const nlohmann::json jwk = test::publicJwk(rsa);
  const std::string secret =
      GENERATE_REF(test::publicPem(rsa), decoded(jwk["n"].get<std::string>()), jwk.dump());
  const std::string input = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhZG1pbiJ9";
  CHECK_FALSE(verifySignature(Alg::kHS256, onlyKey(set), input, test::hmacSha256(secret, input)));
}

TEST_CASE("jws: an ES256 signature in DER instead of R || S is refused", "[jose][jws]") {
  const auto [alg, key] =
      GENERATE(table<Alg, test::Pkey>({{Alg::kES256, test::p256()}, {Alg::kES384, test::p384()}}));
  const KeySet set = test::keySet({test::publicJwk(key.get())});
  const std::string input = "eyJhbGciOiJFUzI1NiJ9.e30";
  const std::string der = test::signEcdsaDer(key.get(), alg, input);
  CHECK_FALSE(verifySignature(alg, onlyKey(set), input, der));
  CHECK(verifySignature(alg, onlyKey(set), input, test::sign(alg, key.get(), input)));
}

TEST_CASE("jws: PS256 needs PSS with a 32-byte salt, and RS256 is not PS256", "[jose][jws]") {
  EVP_PKEY* rsa = test::rsa2048().get();
  const KeySet set = test::keySet({test::publicJwk(rsa)});
  const std::string input = "eyJhbGciOiJQUzI1NiJ9.e30";
  CHECK(verifySignature(Alg::kPS256, onlyKey(set), input, test::signPss(rsa, input, 32)));
  CHECK_FALSE(verifySignature(Alg::kPS256, onlyKey(set), input, test::signPss(rsa, input, 20)));
  CHECK_FALSE(
      verifySignature(Alg::kPS256, onlyKey(set), input, test::sign(Alg::kRS256, rsa, input)));
  CHECK_FALSE(verifySignature(Alg::kRS256, onlyKey(set), input, test::signPss(rsa, input, 32)));
}

TEST_CASE("jws: a JWK that names its alg verifies that one only", "[jose][jws]") {
  EVP_PKEY* rsa = test::rsa2048().get();
  nlohmann::json jwk = test::publicJwk(rsa);
  jwk["alg"] = "RS256";
  const KeySet set = test::keySet({jwk});
  const std::string input = "eyJhbGciOiJSUzUxMiJ9.e30";
  CHECK(verifySignature(Alg::kRS256, onlyKey(set), input, test::sign(Alg::kRS256, rsa, input)));
  CHECK_FALSE(
      verifySignature(Alg::kRS512, onlyKey(set), input, test::sign(Alg::kRS512, rsa, input)));
  CHECK_FALSE(
      verifySignature(Alg::kPS256, onlyKey(set), input, test::sign(Alg::kPS256, rsa, input)));
}

TEST_CASE("jws: one key set verifies from many threads at once", "[jose][jws]") {
  const KeySet set =
      test::keySet({test::publicJwk(test::rsa2048().get()), test::publicJwk(test::p256().get()),
                    test::publicJwk(test::ed25519().get())});
  const std::string input = "eyJhbGciOiJYIn0.eyJzdWIiOiJib2IifQ";
  const std::vector<std::string> signatures{test::sign(Alg::kPS256, test::rsa2048().get(), input),
                                            test::sign(Alg::kES256, test::p256().get(), input),
                                            test::sign(Alg::kEdDSA, test::ed25519().get(), input)};
  const std::vector<Alg> algs{Alg::kPS256, Alg::kES256, Alg::kEdDSA};
  std::atomic<int> failures{0};
  constexpr int kThreads = 4;
  std::vector<std::thread> threads;
  threads.reserve(kThreads);
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int round = 0; round < 50; ++round) {
        for (std::size_t k = 0; k < algs.size(); ++k) {
          if (!verifySignature(algs[k], set.keys()[k], input, signatures[k]) ||
              verifySignature(algs[k], set.keys()[k], tampered(input), signatures[k])) {
            ++failures;
          }
        }
      }
    });
  }
  for (auto& thread : threads) {
    thread.join();
  }
  CHECK(failures == 0);
}
