// The claims verify checks after the signature (RFC 7519 section 4.1): exp, nbf and iat with
// and without clock skew, the issuer, and the audience as a string or an array. Every token
// here is properly signed, so each verdict is about the claim alone.

#include <catch2/catch.hpp>
#include <limits>
#include <nlohmann/json.hpp>
#include <string>

#include "core/jose/base64url.hpp"
#include "core/jose/jwt.hpp"
#include "tests/core/jose/signer.hpp"

using gw::jose::Alg;
using gw::jose::KeySet;
using gw::jose::Policy;
using gw::jose::Verdict;
using nlohmann::json;
namespace test = gw::jose::test;

namespace {

constexpr std::int64_t kNow = 1'700'000'000;

const KeySet& keys() {
  static const KeySet kSet = test::keySet({test::publicJwk(test::p256().get())});
  return kSet;
}

Policy policy(std::int64_t skew = 0) { return Policy{"", {}, {Alg::kES256}, skew}; }

Verdict check(const json& claims, const Policy& p = policy()) {
  auto token = gw::jose::decode(test::token(Alg::kES256, test::p256().get(), claims), 8192);
  REQUIRE(token);
  return gw::jose::verify(*token, keys(), p, kNow);
}

// A token whose claims are this exact text (for numbers json::dump cannot write).
Verdict checkRaw(std::string_view claims) {
  const std::string input =
      gw::jose::base64url(R"({"alg":"ES256"})") + "." + gw::jose::base64url(claims);
  auto token = gw::jose::decode(
      test::compact(input, test::sign(Alg::kES256, test::p256().get(), input)), 8192);
  REQUIRE(token);
  return gw::jose::verify(*token, keys(), policy(), kNow);
}

}  // namespace

TEST_CASE("jwt claims: a token without time claims is good at any time", "[jose][jwt][claims]") {
  CHECK(check({{"sub", "alice"}}) == Verdict::kOk);
}

TEST_CASE("jwt claims: exp is good until that second, and skew extends it", "[jose][jwt][claims]") {
  CHECK(check({{"exp", kNow + 1}}) == Verdict::kOk);
  CHECK(check({{"exp", kNow}}) == Verdict::kExpired);
  CHECK(check({{"exp", kNow - 30}}) == Verdict::kExpired);
  CHECK(check({{"exp", kNow - 30}}, policy(60)) == Verdict::kOk);
  CHECK(check({{"exp", kNow - 60}}, policy(60)) == Verdict::kExpired);
  CHECK(check({{"exp", kNow - 90}}, policy(60)) == Verdict::kExpired);
}

TEST_CASE("jwt claims: nbf is good from that second on, and skew brings it forward",
          "[jose][jwt][claims]") {
  CHECK(check({{"nbf", kNow}}) == Verdict::kOk);
  CHECK(check({{"nbf", kNow - 1}}) == Verdict::kOk);
  CHECK(check({{"nbf", kNow + 1}}) == Verdict::kNotYetValid);
  CHECK(check({{"nbf", kNow + 30}}, policy(60)) == Verdict::kOk);
  CHECK(check({{"nbf", kNow + 60}}, policy(60)) == Verdict::kOk);
  CHECK(check({{"nbf", kNow + 61}}, policy(60)) == Verdict::kNotYetValid);
}

TEST_CASE("jwt claims: iat in the future is not yet valid, within the skew it is fine",
          "[jose][jwt][claims]") {
  CHECK(check({{"iat", kNow}}) == Verdict::kOk);
  CHECK(check({{"iat", kNow + 5}}) == Verdict::kNotYetValid);
  CHECK(check({{"iat", kNow + 5}}, policy(60)) == Verdict::kOk);
  CHECK(check({{"iat", kNow + 120}}, policy(60)) == Verdict::kNotYetValid);
}

TEST_CASE("jwt claims: fractional times count to the fraction", "[jose][jwt][claims]") {
  CHECK(check({{"exp", kNow + 0.5}}) == Verdict::kOk);
  CHECK(check({{"exp", kNow - 0.5}}) == Verdict::kExpired);
  CHECK(check({{"nbf", kNow + 0.5}}) == Verdict::kNotYetValid);
}

TEST_CASE("jwt claims: a negative skew counts as none", "[jose][jwt][claims]") {
  CHECK(check({{"exp", kNow + 10}}, policy(-60)) == Verdict::kOk);
  CHECK(check({{"nbf", kNow - 10}}, policy(-60)) == Verdict::kOk);
}

TEST_CASE("jwt claims: exp, nbf and iat that are not numbers are malformed",
          "[jose][jwt][claims]") {
  const auto name = GENERATE(as<std::string>{}, "exp", "nbf", "iat");
  const json value = GENERATE(json(std::to_string(kNow + 600)), json(true), json(nullptr),
                              json::array({kNow + 600}), json::object());
  CAPTURE(name, value.dump());
  CHECK(check({{name, value}}) == Verdict::kMalformed);
}

TEST_CASE("jwt claims: an exp beyond what a double holds is refused or malformed",
          "[jose][jwt][claims]") {
  // The JSON parser refuses the number itself...
  const std::string input =
      gw::jose::base64url(R"({"alg":"ES256"})") + "." + gw::jose::base64url(R"({"exp":1e999})");
  auto refused = gw::jose::decode(test::compact(input, "sig"), 8192);
  REQUIRE_FALSE(refused);
  CHECK(refused.error().message == "token: the claims set is not JSON");
  // ...and verify does not take an infinite one from a token built some other way.
  auto token = gw::jose::decode(test::token(Alg::kES256, test::p256().get(), {{"sub", "a"}}), 8192);
  REQUIRE(token);
  token->claims["exp"] = std::numeric_limits<double>::infinity();
  CHECK(gw::jose::verify(*token, keys(), policy(), kNow) == Verdict::kMalformed);
  CHECK(checkRaw(R"({"exp":1e300})") == Verdict::kOk);
}

TEST_CASE("jwt claims: the issuer must be the policy's when it names one", "[jose][jwt][claims]") {
  Policy p = policy();
  CHECK(check({{"iss", "https://anyone.example"}}, p) == Verdict::kOk);
  p.issuer = "https://idp.example";
  CHECK(check({{"iss", "https://idp.example"}}, p) == Verdict::kOk);
  CHECK(check({{"iss", "https://idp.example/"}}, p) == Verdict::kIssuer);
  CHECK(check({{"iss", "https://evil.example"}}, p) == Verdict::kIssuer);
  CHECK(check({{"sub", "no issuer"}}, p) == Verdict::kIssuer);
  CHECK(check({{"iss", 7}}, p) == Verdict::kMalformed);
}

TEST_CASE("jwt claims: the audience may be a string or an array, one must be ours",
          "[jose][jwt][claims]") {
  Policy p = policy();
  p.audiences = {"api", "admin"};
  CHECK(check({{"aud", "api"}}, p) == Verdict::kOk);
  CHECK(check({{"aud", "admin"}}, p) == Verdict::kOk);
  CHECK(check({{"aud", "web"}}, p) == Verdict::kAudience);
  CHECK(check({{"aud", json::array({"web", "api"})}}, p) == Verdict::kOk);
  CHECK(check({{"aud", json::array({"web", "mobile"})}}, p) == Verdict::kAudience);
  CHECK(check({{"aud", json::array()}}, p) == Verdict::kAudience);
  CHECK(check({{"sub", "no audience"}}, p) == Verdict::kAudience);
  CHECK(check({{"aud", 7}}, p) == Verdict::kMalformed);
  CHECK(check({{"aud", json::array({"api", 7})}}, p) == Verdict::kMalformed);
}

TEST_CASE("jwt claims: without audiences in the policy aud is not looked at",
          "[jose][jwt][claims]") {
  CHECK(check({{"aud", "anything"}}) == Verdict::kOk);
  CHECK(check({{"aud", json::array({"a", "b"})}}) == Verdict::kOk);
}

TEST_CASE("jwt claims: times are checked before issuer and audience", "[jose][jwt][claims]") {
  Policy p = policy();
  p.issuer = "https://idp.example";
  p.audiences = {"api"};
  CHECK(check({{"exp", kNow - 1}, {"iss", "other"}, {"aud", "other"}}, p) == Verdict::kExpired);
  CHECK(check({{"exp", kNow + 60}, {"iss", "other"}, {"aud", "other"}}, p) == Verdict::kIssuer);
  CHECK(check({{"exp", kNow + 60}, {"iss", "https://idp.example"}, {"aud", "other"}}, p) ==
        Verdict::kAudience);
}
