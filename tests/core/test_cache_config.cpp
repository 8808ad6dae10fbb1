// The response cache in the document: a route's cache and the proxy's store bounds, decoded,
// validated with the file, line and field named, and encoded back to the same text; sizes
// as text.

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
proxy:
  cache:
    maxSize: 64MiB
    maxObject: 512KiB
gateways:
  - name: edge
    listeners:
      - protocol: http
        port: 8080
    compress: {}
services:
  - name: frontend
    endpoints: ["127.0.0.1:9001"]
routes:
  - name: shop
    gateway: edge
    hosts: [shop.test]
    destinations:
      - service: frontend
    cache:
      maxAge: 5m
      staleWhileRevalidate: 30s
      staleIfError: 1h
  - name: api
    gateway: edge
    hosts: [api.test]
    destinations:
      - service: frontend
    cache: {}
    compress:
      encodings: [br, gzip]
      minSize: 2KiB
      types: [application/json, "text/*"]
)";

std::string edited(const std::string& from, const std::string& to) {
  return gw::test::edited(kDocument, from, to);
}

using gw::test::problemsIn;

}  // namespace

TEST_CASE("sizes read back what they write", "[cache]") {
  CHECK(parseByteSize("256MiB") == 256LL << 20);
  CHECK(parseByteSize("1MiB") == 1LL << 20);
  CHECK(parseByteSize("512KiB") == 512LL << 10);
  CHECK(parseByteSize("2GiB") == 2LL << 30);
  CHECK(parseByteSize("10MB") == 10'000'000);
  CHECK(parseByteSize("1000") == 1000);
  CHECK_FALSE(parseByteSize("lots"));
  CHECK_FALSE(parseByteSize("-1MiB"));
  CHECK_FALSE(parseByteSize("1TiB"));
  CHECK_FALSE(parseByteSize("99999999999GiB"));
  CHECK(formatByteSize(256LL << 20) == "256MiB");
  CHECK(formatByteSize(1536) == "1536");
  CHECK(formatByteSize(3LL << 30) == "3GiB");
}

TEST_CASE("a route's cache and the store's bounds decode, validate and encode back", "[cache]") {
  auto decoded = decode(kDocument, "config.yaml");
  REQUIRE(decoded.ok());
  const Config& c = decoded->config;
  CHECK(validate(c).empty());
  CHECK(c.proxy.cache.max_size == 64LL << 20);
  CHECK(c.proxy.cache.max_object == 512LL << 10);
  REQUIRE(c.routes[0].cache);
  CHECK(c.routes[0].cache->max_age == std::chrono::minutes(5));
  CHECK(c.routes[0].cache->stale_while_revalidate == std::chrono::seconds(30));
  CHECK(c.routes[0].cache->stale_if_error == std::chrono::hours(1));
  CHECK(c.routes[1].cache == RouteCache{});
  const std::string yaml = encodeYaml(c);
  auto again = decode(yaml, "config.yaml");
  REQUIRE(again.ok());
  CHECK(again->config.routes[0].cache == c.routes[0].cache);
  CHECK(again->config.routes[1].cache == c.routes[1].cache);
  CHECK(again->config.proxy.cache == c.proxy.cache);
  CHECK(encodeYaml(again->config) == yaml);
  REQUIRE(c.gateways[0].compress);
  CHECK(*c.gateways[0].compress == Compress{});
  REQUIRE(c.routes[1].compress);
  CHECK(c.routes[1].compress->encodings ==
        std::vector<Compress::Encoding>{Compress::Encoding::kBrotli, Compress::Encoding::kGzip});
  CHECK(c.routes[1].compress->min_size == 2048);
  CHECK(c.routes[1].compress->types == std::vector<std::string>{"application/json", "text/*"});
  CHECK(again->config.routes[1].compress == c.routes[1].compress);
  CHECK(again->config.gateways[0].compress == c.gateways[0].compress);
  // "cache: true" is the short form of the defaults.
  auto short_form = decode(edited("cache: {}", "cache: true"), "config.yaml");
  REQUIRE(short_form.ok());
  CHECK(short_form->config.routes[1].cache == RouteCache{});
}

TEST_CASE("bad caches are refused with the file, line and field", "[cache]") {
  CHECK(problemsIn(edited("maxSize: 64MiB", "maxSize: lots")) ==
        Lines{"config.yaml:4:5: proxy.cache.maxSize: must be a size such as 256MiB, 512KiB or "
              "1000000 (bytes) (got \"lots\")"});
  CHECK(problemsIn(edited("maxObject: 512KiB", "maxObject: 128MiB")) ==
        Lines{"config.yaml:5:5: proxy.cache.maxObject: must not exceed maxSize (64MiB; got "
              "128MiB)"});
  CHECK(problemsIn(edited("maxSize: 64MiB", "maxSize: 0")) ==
        Lines{"config.yaml:4:5: proxy.cache.maxSize: must be positive (got 0)",
              "config.yaml:5:5: proxy.cache.maxObject: must not exceed maxSize (0; got "
              "512KiB)"});
  CHECK(problemsIn(edited("    cache: {}", "    methods: [POST]\n    cache: {}")) ==
        Lines{"config.yaml:31:5: routes[1].cache: the route takes only POST: a cache serves GET "
              "and HEAD, so it would never answer"});
  CHECK(problemsIn(edited("maxAge: 5m", "maxAge: soon")).size() == 1);
  CHECK(problemsIn(edited("encodings: [br, gzip]", "encodings: [br, deflate]")) ==
        Lines{"config.yaml:32:23: routes[1].compress.encodings[1]: must be one of zstd, br, "
              "gzip (got \"deflate\")"});
  CHECK(problemsIn(edited("encodings: [br, gzip]", "encodings: [br, br]")) ==
        Lines{"config.yaml:32:23: routes[1].compress.encodings[1]: duplicate encoding br"});
  CHECK(problemsIn(edited("types: [application/json, ", "types: [json, ")) ==
        Lines{"config.yaml:34:15: routes[1].compress.types[0]: must be a media type such as "
              "application/json, text/* or application/*+json (got \"json\")"});
  CHECK(problemsIn(edited("staleIfError: 1h", "staleIfErr: 1h")).size() == 1);
}
