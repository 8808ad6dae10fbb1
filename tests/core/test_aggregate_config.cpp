// A route's aggregate in the document: decoded, validated with the file, line and field named
// (duplicate groups, a missing service, keys that could collide, placeholders the route
// cannot fill) and encoded back to the same text; path templates split into their parts.

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "core/config/document.hpp"
#include "core/config/validate.hpp"
#include "tests/core/document_edits.hpp"

using namespace gw::core;

namespace {

using Lines = std::vector<std::string>;

const std::string kDocument = R"(apiVersion: gw/v1
gateways:
  - name: edge
    listeners:
      - protocol: http
        port: 8080
services:
  - name: users
    endpoints: ["127.0.0.1:9001"]
  - name: orders
    endpoints: ["127.0.0.1:9002"]
  - name: flags
    endpoints: ["127.0.0.1:9003"]
routes:
  - name: account
    gateway: edge
    hosts: [shop.test]
    match:
      path: ^/account/([0-9]+)$
      type: regex
    aggregate:
      timeout: 2s
      maxBodySize: 64KiB
      backends:
        - service: users
          path: /users/{1}
          group: user
          required: true
        - name: orders
          service: orders
          path: /orders?user={1}&limit={query.limit}
          group: orders
        - service: flags
          path: /flags
          fields: [beta, theme]
)";

std::string edited(const std::string& from, const std::string& to) {
  return gw::test::edited(kDocument, from, to);
}

using gw::test::problemsIn;

}  // namespace

TEST_CASE("path templates split into text and placeholders", "[aggregate]") {
  std::vector<TemplatePart> parts;
  std::string why;
  REQUIRE(parsePathTemplate("/orders/{1}?user={query.id}&{query}", parts, why));
  REQUIRE(parts.size() == 6);
  CHECK(parts[0] == TemplatePart{TemplatePart::Kind::kText, "/orders/", 0});
  CHECK(parts[1] == TemplatePart{TemplatePart::Kind::kCapture, "", 1});
  CHECK(parts[2] == TemplatePart{TemplatePart::Kind::kText, "?user=", 0});
  CHECK(parts[3] == TemplatePart{TemplatePart::Kind::kQueryParam, "id", 0});
  CHECK(parts[4] == TemplatePart{TemplatePart::Kind::kText, "&", 0});
  CHECK(parts[5].kind == TemplatePart::Kind::kQuery);
  CHECK_FALSE(parsePathTemplate("/x/{id}", parts, why));
  CHECK(why.find("unknown placeholder {id}") == 0);
  CHECK_FALSE(parsePathTemplate("/x/{1", parts, why));
  CHECK(why == "a '{' at 3 is never closed");
}

TEST_CASE("an aggregate decodes, validates and encodes back", "[aggregate]") {
  auto decoded = decode(kDocument, "config.yaml");
  REQUIRE(decoded.ok());
  const Config& c = decoded->config;
  CHECK(validate(c).empty());
  REQUIRE(c.routes[0].aggregate);
  const Aggregate& a = *c.routes[0].aggregate;
  CHECK(a.timeout == std::chrono::seconds(2));
  CHECK(a.max_body_size == 64 << 10);
  REQUIRE(a.backends.size() == 3);
  CHECK(a.backends[0].required);
  CHECK(Aggregate::nameOf(a.backends[0]) == "user");   // its group
  CHECK(Aggregate::nameOf(a.backends[2]) == "flags");  // its service
  CHECK(a.backends[2].fields == std::vector<std::string>{"beta", "theme"});
  const std::string yaml = encodeYaml(c);
  auto again = decode(yaml, "config.yaml");
  REQUIRE(again.ok());
  CHECK(again->config.routes[0].aggregate == c.routes[0].aggregate);
  CHECK(encodeYaml(again->config) == yaml);
}

TEST_CASE("bad aggregates are refused with the file, line and field", "[aggregate]") {
  // Two backends under one group.
  CHECK(problemsIn(edited("group: orders", "group: user")) ==
        Lines{"config.yaml:32:11: routes[0].aggregate.backends[1].group: duplicate key "
              "\"user\": backend \"user\" already fills it"});
  // A backend naming a service the document does not have.
  CHECK(problemsIn(edited("service: flags\n", "service: flagz\n")) ==
        Lines{"config.yaml:33:11: routes[0].aggregate.backends[2].service: no service named "
              "\"flagz\""});
  // Two backends merged whole at the top level could bring the same key.
  CHECK(problemsIn(edited("          fields: [beta, theme]\n",
                          "        - service: users\n          path: /profile\n")) ==
        Lines{"config.yaml:35:11: routes[0].aggregate.backends[3]: backends \"flags\" and "
              "\"users\" both merge every field at the top level, so their keys may collide: "
              "give one a group, or list its fields"});
  // A listed field that is also a group.
  CHECK(problemsIn(edited("fields: [beta, theme]", "fields: [beta, user]")) ==
        Lines{"config.yaml:35:26: routes[0].aggregate.backends[2].fields[1]: duplicate key "
              "\"user\": backend \"user\" already fills it"});
  // A capture the route's regex does not have, and one a prefix route never has.
  CHECK(problemsIn(edited("path: /users/{1}", "path: /users/{2}")) ==
        Lines{"config.yaml:26:11: routes[0].aggregate.backends[0].path: {2} needs a capture "
              "group 2 in the route's regex path (it has 1)"});
  CHECK(problemsIn(edited("path: /flags", "path: /flags/{who}")).size() == 1);
  CHECK(problemsIn(edited("path: /flags", "path: flags")) ==
        Lines{"config.yaml:34:11: routes[0].aggregate.backends[2].path: must start with '/' "
              "(got \"flags\")"});
  // A cache stores upstream answers; an aggregate's is made by the gateway.
  CHECK(problemsIn(edited("    aggregate:\n", "    cache: {}\n    aggregate:\n")) ==
        Lines{"config.yaml:21:5: routes[0].cache: the route aggregates: the cache stores "
              "upstream answers, not merged ones (cache each backend's own route instead)"});
  // Exactly one of destinations, redirect, directResponse and aggregate.
  CHECK(problemsIn(edited("    aggregate:\n",
                          "    destinations: [{service: users}]\n    "
                          "aggregate:\n")) ==
        Lines{"config.yaml:15:5: routes[0]: has both destinations and aggregate"});
  CHECK(problemsIn(edited("timeout: 2s", "timeout: 0s")) ==
        Lines{"config.yaml:22:7: routes[0].aggregate.timeout: must be positive (got 0s)"});
  CHECK(problemsIn(edited("      backends:\n", "      backend:\n")).size() >= 1);
}
