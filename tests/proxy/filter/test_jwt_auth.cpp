// JWT authentication through the auth filter: hostile tokens refused for the right reason,
// claims copied and judged, and keys from a JWKS URL served by a real HTTP server on
// 127.0.0.1 that the test rotates and stops.

#include <ctime>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "core/config/model.hpp"
#include "core/jose/base64url.hpp"
#include "proxy/filter/auth/jwt_provider.hpp"
#include "proxy/filter/build.hpp"
#include "tests/core/jose/signer.hpp"
#include "tests/proxy/exchange/exchange_fixture.hpp"
#include "tests/support/ports.hpp"
#include "tests/support/process.hpp"

namespace gw::test {
namespace {

using jose::Alg;
using nlohmann::json;
using proxy::Exchange;
using proxy::Reason;
using proxy::filter::JwtProviderState;
using proxy::filter::Status;
namespace sign = jose::test;
namespace http = boost::beast::http;

constexpr const char* kIssuer = "https://id.shop.test/";

json claimsFor(const std::string& sub, std::int64_t exp_in = 600) {
  const auto now = static_cast<std::int64_t>(std::time(nullptr));
  return json{{"iss", kIssuer}, {"aud", "shop"},       {"sub", sub},
              {"iat", now},     {"exp", now + exp_in}, {"scope", "orders:read cart:write"}};
}

std::string jwks(const std::vector<json>& keys) { return json{{"keys", keys}}.dump(); }

core::JwtProvider provider(std::string keys) {
  core::JwtProvider p;
  p.name = "corp";
  p.issuer = kIssuer;
  p.audiences = {"shop"};
  p.algorithms = {"ES256", "RS256"};
  p.keys = std::move(keys);
  p.claims_to_headers = {{"sub", "x-user"}};
  return p;
}

core::Config shop(core::JwtProvider p) {
  core::Config config;
  core::Consumer acme;
  acme.name = "acme";
  acme.groups = {"paid"};
  acme.jwt = {{"corp", "sub", "user-1"}};
  config.consumers = {acme};
  config.jwt_providers = {std::move(p)};
  core::Gateway edge;
  edge.name = "edge";
  config.gateways = {edge};
  core::Route route;
  route.name = "shop";
  route.gateway = "edge";
  route.destinations = {{"frontend", 100}};
  route.auth = core::AuthPolicy{{"jwt:corp"}};
  config.routes = {route};
  return config;
}

struct Chain {
  core::Config config;
  proxy::filter::StateRegistry states;
  std::vector<std::string> problems;
  proxy::filter::FilterChain chain;

  explicit Chain(core::Config c) : config(std::move(c)) {
    chain =
        proxy::filter::buildChain(config, &config.gateways[0], config.routes[0], states, problems);
    REQUIRE(problems.empty());
  }

  std::unique_ptr<Exchange> run(const std::string& token, const std::string& extra = "") {
    auto exchange = std::make_unique<Exchange>();
    parseInto(*exchange, "GET /orders HTTP/1.1\r\nHost: shop.test\r\nAuthorization: Bearer " +
                             token + "\r\nx-user: spoofed\r\n" + extra + "\r\n");
    TestHost host;
    status = chain.runRequest(*exchange, host);
    return exchange;
  }
  Status status = Status::kContinue;
};

}  // namespace

TEST_CASE("jwt auth: a good ES256 token names its consumer and its claims go upstream",
          "[filter][jwt]") {
  Chain c(shop(provider(jwks({sign::publicJwk(sign::p256().get(), "k1")}))));
  const std::string token = sign::token(Alg::kES256, sign::p256().get(), claimsFor("user-1"), "k1");
  auto good = c.run(token);
  REQUIRE(c.status == Status::kContinue);
  CHECK(good->facts.consumer == "acme");
  CHECK(good->facts.auth_method == "jwt");
  CHECK(good->request()["x-gw-consumer"] == "acme");
  CHECK(good->request()["x-user"] == "user-1");  // the claim, not the client's header
  CHECK(good->request().find(http::field::authorization) == good->request().end());

  // The same token again comes from the cache, with the same verdict.
  auto again = c.run(token);
  CHECK(c.status == Status::kContinue);
  CHECK(again->facts.consumer == "acme");

  // A valid token of a subject that is no consumer: authenticated, anonymous.
  auto stranger = c.run(sign::token(Alg::kES256, sign::p256().get(), claimsFor("user-9"), "k1"));
  CHECK(c.status == Status::kContinue);
  CHECK(stranger->facts.consumer.empty());
  CHECK(stranger->request()["x-user"] == "user-9");
}

TEST_CASE("jwt auth: hostile and broken tokens are refused with the reason", "[filter][jwt]") {
  const json rsa = sign::publicJwk(sign::rsa2048().get(), "r1");
  Chain c(shop(provider(jwks({sign::publicJwk(sign::p256().get(), "k1"), rsa}))));
  const auto refused = [&](const std::string& token, Reason reason) {
    auto exchange = c.run(token);
    INFO(token.substr(0, 80));
    CHECK(c.status == Status::kAnswer);
    CHECK(exchange->reason == reason);
    CHECK(exchange->local.result_int() == 401);
    CHECK(std::string(exchange->local[http::field::www_authenticate]).rfind("Bearer ", 0) == 0);
  };
  const json claims = claimsFor("user-1");

  // alg none, with and without a signature.
  const std::string none_input = sign::signingInput(json{{"alg", "none"}}, claims);
  refused(none_input + ".", Reason::kAuthInvalid);
  refused(sign::compact(none_input, "x"), Reason::kAuthInvalid);
  // An RS256 key's public PEM used as an HS256 secret: the RSA key never verifies HMAC.
  json hs_header = {{"alg", "HS256"}, {"kid", "r1"}};
  const std::string hs_input = sign::signingInput(hs_header, claims);
  refused(
      sign::compact(hs_input, sign::hmacSha256(sign::publicPem(sign::rsa2048().get()), hs_input)),
      Reason::kAuthInvalid);
  // Expired, and not yet valid.
  refused(sign::token(Alg::kES256, sign::p256().get(), claimsFor("user-1", -3600), "k1"),
          Reason::kAuthExpired);
  json future = claims;
  future["nbf"] = static_cast<std::int64_t>(std::time(nullptr)) + 3600;
  refused(sign::token(Alg::kES256, sign::p256().get(), future, "k1"), Reason::kAuthExpired);
  // Wrong issuer, wrong audience.
  json issuer = claims;
  issuer["iss"] = "https://evil.test/";
  refused(sign::token(Alg::kES256, sign::p256().get(), issuer, "k1"), Reason::kAuthInvalid);
  json audience = claims;
  audience["aud"] = json::array({"billing"});
  refused(sign::token(Alg::kES256, sign::p256().get(), audience, "k1"), Reason::kAuthInvalid);
  // A kid that is not in the key set.
  refused(sign::token(Alg::kES256, sign::p256().get(), claims, "k404"), Reason::kAuthInvalid);
  // A tampered payload: the signature of other claims.
  const std::string good = sign::token(Alg::kES256, sign::p256().get(), claims, "k1");
  json tampered = claims;
  tampered["sub"] = "admin";
  const std::string forged = good.substr(0, good.find('.') + 1) + jose::base64url(tampered.dump()) +
                             good.substr(good.rfind('.'));
  refused(forged, Reason::kAuthInvalid);
  // An algorithm the provider does not allow (PS256), and a huge header.
  refused(sign::token(Alg::kPS256, sign::rsa2048().get(), claims, "r1"), Reason::kAuthInvalid);
  // A token longer than any provider takes is refused before it is decoded.
  json huge = {{"alg", "ES256"}, {"kid", "k1"}, {"x", std::string(6000, 'a')}};
  const std::string huge_input = sign::signingInput(huge, claims);
  JwtProviderState direct(c.config.jwt_providers[0]);
  CHECK(direct
            .verify(
                sign::compact(huge_input, sign::sign(Alg::kES256, sign::p256().get(), huge_input)))
            .reason == Reason::kAuthInvalid);
  refused("not.a.token", Reason::kAuthInvalid);
}

TEST_CASE("jwt auth: claim rules judge scopes, and groups come from the mapped consumer",
          "[filter][jwt][authz]") {
  core::Config config = shop(provider(jwks({sign::publicJwk(sign::p256().get(), "k1")})));
  core::Authorization authz;
  authz.allow = core::AccessRule{{}, {}, {{"scope", {"orders:read"}}}};
  authz.deny = core::AccessRule{{}, {"banned"}, {}};
  config.routes[0].authorization = authz;
  Chain c(config);
  json reader = claimsFor("user-9");
  c.run(sign::token(Alg::kES256, sign::p256().get(), reader, "k1"));
  CHECK(c.status == Status::kContinue);
  json writer = claimsFor("user-9");
  writer["scope"] = "cart:write";
  auto refused = c.run(sign::token(Alg::kES256, sign::p256().get(), writer, "k1"));
  CHECK(c.status == Status::kAnswer);
  CHECK(refused->reason == Reason::kForbidden);
  json listed = claimsFor("user-9");
  listed["scope"] = json::array({"cart:write", "orders:read"});
  c.run(sign::token(Alg::kES256, sign::p256().get(), listed, "k1"));
  CHECK(c.status == Status::kContinue);
}

TEST_CASE(
    "jwt auth: JWKS keys are fetched, refetched on a new kid, and kept when the server "
    "goes down",
    "[filter][jwt][jwks]") {
  TempDir dir;
  writeText(dir.path() / "jwks.json", jwks({sign::publicJwk(sign::p256().get(), "k1")}));
  const auto port = freePort();
  auto server = Process::spawn({"python3", "-m", "http.server", std::to_string(port), "--bind",
                                "127.0.0.1", "--directory", dir.path().string()});
  REQUIRE(waitForPort(port));
  core::JwtProvider spec = provider("");
  spec.jwks_url = "http://127.0.0.1:" + std::to_string(port) + "/jwks.json";
  JwtProviderState state(spec, std::chrono::milliseconds(200));
  REQUIRE(state.keyCount() == 1);  // fetched before the first request
  const json claims = claimsFor("user-1");
  CHECK(state.verify(sign::token(Alg::kES256, sign::p256().get(), claims, "k1")).reason ==
        Reason::kNone);

  // Rotation: the provider now signs with k2 (another key) and publishes both.
  writeText(dir.path() / "jwks.json", jwks({sign::publicJwk(sign::p256().get(), "k1"),
                                            sign::publicJwk(sign::p384().get(), "k2")}));
  spec.algorithms.emplace_back("ES384");
  JwtProviderState rotated(spec, std::chrono::milliseconds(200));
  writeText(dir.path() / "jwks.json", jwks({sign::publicJwk(sign::p256().get(), "k1")}));
  JwtProviderState later(spec, std::chrono::milliseconds(200));
  REQUIRE(later.keyCount() == 1);
  const std::string k2 = sign::token(Alg::kES384, sign::p384().get(), claims, "k2");
  writeText(dir.path() / "jwks.json", jwks({sign::publicJwk(sign::p256().get(), "k1"),
                                            sign::publicJwk(sign::p384().get(), "k2")}));
  std::this_thread::sleep_for(std::chrono::milliseconds(250));
  CHECK(later.verify(k2).reason == Reason::kAuthInvalid);  // unknown kid: asks for a refetch
  bool known = false;
  for (int i = 0; i < 100 && !known; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    known = later.keyCount() == 2;
  }
  REQUIRE(known);
  CHECK(later.verify(k2).reason == Reason::kNone);
  CHECK(rotated.verify(k2).reason == Reason::kNone);

  // The server goes away: the keys held keep working, unknown kids stay refused.
  server.stop();
  std::this_thread::sleep_for(std::chrono::milliseconds(250));
  const std::string k3 = sign::token(Alg::kES256, sign::p256().get(), claims, "k3");
  CHECK(later.verify(k3).reason == Reason::kAuthInvalid);
  std::this_thread::sleep_for(std::chrono::milliseconds(500));  // the failed refetch
  CHECK(later.keyCount() == 2);
  CHECK(later.verify(sign::token(Alg::kES256, sign::p256().get(), claimsFor("user-2"), "k1"))
            .reason == Reason::kNone);
}

}  // namespace gw::test
