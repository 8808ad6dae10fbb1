// The access-control parts of the document: decoded, validated with the field named, and
// encoded back to the same text.

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "core/config/document.hpp"
#include "core/config/validate.hpp"
#include "tests/core/document_edits.hpp"

using namespace gw::core;

namespace {

using Lines = std::vector<std::string>;

constexpr const char* kBcrypt = "$2y$10$abcdefghijklmnopqrstuuFf0xmFnGxVwH2f3tEhwz6yS3rL5QxEa";
constexpr const char* kSha = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

const std::string kDocument = std::string(R"(apiVersion: gw/v1
gateways:
  - name: edge
    listeners:
      - protocol: http
        port: 8080
    clientIp:
      trustedProxies: [10.0.0.0/8]
    ipDeny: [192.0.2.0/24]
    auth:
      methods: [api-key]
services:
  - name: frontend
    endpoints: ["127.0.0.1:9001"]
routes:
  - name: shop
    gateway: edge
    hosts: [shop.test]
    destinations:
      - service: frontend
    auth:
      methods: [api-key, basic, "jwt:corp"]
      optional: true
      keepCredentials: true
      apiKeyHeader: x-key
    authorization:
      allow:
        consumers: [acme]
        groups: [paid]
        claims:
          scope: ["orders:read"]
      deny:
        groups: [banned]
      mode: shadow
    ipAllow: ["2001:db8::/32", 127.0.0.1]
    cors:
      origins: ["https://shop.test", "https://*.shop.test"]
      methods: [GET, POST]
      headers: [x-key]
      exposeHeaders: [x-request-id]
      credentials: true
      maxAge: 1h
consumers:
  - name: acme
    groups: [paid]
    apiKeys:
      - id: 0a1b2c3d
        sha256: )") + kSha + R"(
        created: "2026-11-30T12:00:00Z"
    basicAuth:
      - user: alice
        hash: ")" + kBcrypt + R"("
    jwt:
      - provider: corp
        value: user-1
    certificates: [CN=acme-client]
jwtProviders:
  - name: corp
    issuer: "https://id.corp.test/"
    audiences: [shop]
    algorithms: [ES256, RS256]
    jwksUrl: "https://id.corp.test/jwks.json"
    clockSkew: 30s
    claimsToHeaders:
      - claim: sub
        header: x-user
)";

std::string edited(const std::string& from, const std::string& to) {
  return gw::test::edited(kDocument, from, to);
}

using gw::test::problemsIn;

}  // namespace

TEST_CASE("access control decodes, validates and encodes back to the same text", "[access]") {
  auto decoded = decode(kDocument, "config.yaml");
  REQUIRE(decoded.ok());
  const Config& c = decoded->config;
  CHECK(validate(c).empty());
  REQUIRE(c.consumers.size() == 1);
  CHECK(c.consumers[0].api_keys[0].sha256 == kSha);
  CHECK(c.consumers[0].basic_auth[0].hash == kBcrypt);
  CHECK(c.consumers[0].jwt[0].claim == "sub");
  CHECK(c.jwt_providers[0].clock_skew == std::chrono::seconds(30));
  const Route& shop = c.routes[0];
  REQUIRE(shop.auth);
  CHECK(shop.auth->methods == std::vector<std::string>{"api-key", "basic", "jwt:corp"});
  CHECK(shop.auth->api_key_header == "x-key");
  REQUIRE(shop.authorization);
  CHECK(shop.authorization->mode == Authorization::Mode::kShadow);
  CHECK(shop.authorization->allow->claims[0].values == std::vector<std::string>{"orders:read"});
  CHECK(shop.cors->max_age == std::chrono::hours(1));
  CHECK(c.gateways[0].client_ip.trusted_proxies == std::vector<std::string>{"10.0.0.0/8"});
  const std::string yaml = encodeYaml(c);
  auto again = decode(yaml, "config.yaml");
  REQUIRE(again.ok());
  CHECK(again->config.consumers == c.consumers);
  CHECK(again->config.jwt_providers == c.jwt_providers);
  CHECK(again->config.routes[0].authorization == shop.authorization);
  CHECK(again->config.routes[0].cors == shop.cors);
  CHECK(again->config.gateways[0].auth == c.gateways[0].auth);
  CHECK(encodeYaml(again->config) == yaml);
}

TEST_CASE("bad access settings are refused with the file, line and field", "[access]") {
  CHECK(problemsIn(edited("\"jwt:corp\"", "\"jwt:nobody\"")) ==
        Lines{"config.yaml:22:33: routes[0].auth.methods[2]: unknown JWT provider \"nobody\" "
              "(jwtProviders lists them)"});
  CHECK(problemsIn(edited("[ES256, RS256]", "[ES256, none]")) ==
        Lines{"config.yaml:61:25: jwtProviders[0].algorithms[1]: \"none\" is never accepted: an "
              "unsigned token proves nothing"});
  CHECK(problemsIn(edited("[10.0.0.0/8]", "[10.0.0.0/33]")) ==
        Lines{"config.yaml:8:24: gateways[0].clientIp.trustedProxies[0]: the prefix length must "
              "be 0..32 (got \"10.0.0.0/33\")"});
  CHECK(problemsIn(edited(std::string("hash: \"") + kBcrypt + "\"", "hash: hunter2")) ==
        Lines{"config.yaml:52:9: consumers[0].basicAuth[0].hash: must be a crypt(3) hash ($2y$ or "
              "$2b$ bcrypt as htpasswd -B writes it, $y$ yescrypt or $6$ sha512crypt), never the "
              "password itself"});
  CHECK(problemsIn(edited(std::string("sha256: ") + kSha, "sha256: gw_0a1b2c3d_secret")) ==
        Lines{"config.yaml:48:9: consumers[0].apiKeys[0].sha256: must be the key's SHA-256 as 64 "
              "lower-case hex digits (gw consumer key create makes keys; the document never holds "
              "a key itself)"});
  CHECK(problemsIn(edited("\"https://*.shop.test\"]", "\"*\"]")) ==
        Lines{"config.yaml:37:38: routes[0].cors.origins[1]: \"*\" cannot go with credentials: "
              "true (browsers refuse it); list the origins"});
}

TEST_CASE("an authorization rule needs authentication to judge and consumers that exist",
          "[access]") {
  // Neither the route nor its gateway authenticates: there is no consumer to judge.
  std::string text = edited("    auth:\n      methods: [api-key]\n", "");
  text.replace(text.find("    auth:\n      methods: [api-key, basic"), 0, "    x: 1\n");
  const auto without =
      text.substr(0, text.find("    x: 1\n")) + text.substr(text.find("    authorization:"));
  const Lines problems = problemsIn(without);
  REQUIRE_FALSE(problems.empty());
  CHECK(problems[0].find("routes[0].authorization.deny: needs authentication") !=
        std::string::npos);
  CHECK(problemsIn(edited("consumers: [acme]", "consumers: [acme, zed]")) ==
        Lines{"config.yaml:28:27: routes[0].authorization.allow.consumers[1]: unknown consumer "
              "\"zed\""});
  CHECK(problemsIn(edited("\"jwt:corp\"", "mtls")) ==
        Lines{"config.yaml:22:33: routes[0].auth.methods[2]: mtls needs clientCertificates on "
              "gateway \"edge\"",
              "config.yaml:30:9: routes[0].authorization.allow.claims: claims come from a JWT: the "
              "route's auth needs a jwt:PROVIDER method"});
}

TEST_CASE("an external authorizer decodes, encodes back and needs an http URL with a port",
          "[access]") {
  const std::string text = R"(apiVersion: gw/v1
gateways:
  - name: edge
    listeners: [{protocol: http, port: 8080}]
services:
  - name: frontend
    endpoints: ["127.0.0.1:9001"]
routes:
  - name: shop
    gateway: edge
    destinations: [{service: frontend}]
    authorization:
      external: {url: "http://127.0.0.1:9100/check", timeout: 250ms, onError: allow}
)";
  auto decoded = decode(text, "config.yaml");
  REQUIRE(decoded.ok());
  CHECK(validate(decoded->config).empty());
  const auto& external = decoded->config.routes[0].authorization->external;
  REQUIRE(external);
  CHECK(external->timeout == std::chrono::milliseconds(250));
  CHECK(external->allow_on_error);
  auto again = decode(encodeYaml(decoded->config), "config.yaml");
  REQUIRE(again.ok());
  CHECK(again->config.routes[0].authorization == decoded->config.routes[0].authorization);

  std::string bad = text;
  bad.replace(bad.find("http://127.0.0.1:9100/check"), 27, "https://authz.test/check");
  CHECK(problemsIn(bad) == Lines{"config.yaml:13:18: routes[0].authorization.external.url: must be "
                                 "http://HOST:PORT/PATH (got \"https://authz.test/check\")"});
}
