#include <catch2/catch.hpp>
#include <string>

#include "core/config/checks.hpp"
#include "core/config/suggest.hpp"

using namespace gw::core;

TEST_CASE("edit distance counts inserts, deletes, substitutions and swaps", "[suggest]") {
  CHECK(editDistance("hosts", "hosts") == 0);
  CHECK(editDistance("hots", "hosts") == 1);
  CHECK(editDistance("hsots", "hosts") == 1);  // neighbours swapped
  CHECK(editDistance("healthcheck", "healthCheck") == 0);
  CHECK(editDistance("", "abc") == 3);
  CHECK(editDistance("kitten", "sitting") == 3);
}

TEST_CASE("a suggestion is made only for a plausible typo", "[suggest]") {
  const std::vector<std::string_view> keys{"name",    "gateway", "hosts",       "match",
                                           "methods", "headers", "loadBalancer"};
  CHECK(closest("hots", keys) == "hosts");
  CHECK(closest("gatway", keys) == "gateway");
  CHECK(closest("loadbalancer", keys) == "loadBalancer");
  CHECK(closest("method", keys) == "methods");
  CHECK_FALSE(closest("colour", keys));
  CHECK_FALSE(closest("x", keys));
}

TEST_CASE("route hosts are DNS names, *.suffix or *", "[checks]") {
  CHECK(isHostPattern("shop.test"));
  CHECK(isHostPattern("localhost"));
  CHECK(isHostPattern("*.shop.test"));
  CHECK(isHostPattern("*"));
  CHECK(isHostPattern("a-b.c0"));
  CHECK_FALSE(isHostPattern(""));
  CHECK_FALSE(isHostPattern("Shop.test"));
  CHECK_FALSE(isHostPattern("shop.test."));
  CHECK_FALSE(isHostPattern("a.*.test"));
  CHECK_FALSE(isHostPattern("*shop.test"));
  CHECK_FALSE(isHostPattern("-shop.test"));
  CHECK_FALSE(isHostPattern(std::string(64, 'a') + ".test"));
  CHECK_FALSE(isDomain("*"));
}

TEST_CASE("endpoints are HOST:PORT with an IPv4, [IPv6] or DNS host", "[checks]") {
  CHECK(isHostPort("127.0.0.1:9001"));
  CHECK(isHostPort("[::1]:80"));
  CHECK(isHostPort("Backend.Internal:65535"));
  CHECK_FALSE(isHostPort("127.0.0.1"));
  CHECK_FALSE(isHostPort("::1:80"));
  CHECK_FALSE(isHostPort("[::1]"));
  CHECK_FALSE(isHostPort(":80"));
  CHECK_FALSE(isHostPort("host:0"));
  CHECK_FALSE(isHostPort("host:65536"));
  CHECK_FALSE(isHostPort("host:8o"));
  CHECK_FALSE(isHostPort("ho st:80"));
}

TEST_CASE("object names are lower-case letters, digits, dots and dashes", "[checks]") {
  CHECK(isValidName("shop-ingress"));
  CHECK(isValidName("shop.test"));
  CHECK(isValidName("0day"));
  CHECK_FALSE(isValidName(""));
  CHECK_FALSE(isValidName("-shop"));
  CHECK_FALSE(isValidName("Shop"));
  CHECK_FALSE(isValidName("shop_ingress"));
}

TEST_CASE("methods and header names are RFC 9110 tokens", "[checks]") {
  CHECK(isToken("GET"));
  CHECK(isToken("x-canary"));
  CHECK(isToken("PROPFIND"));
  CHECK_FALSE(isToken(""));
  CHECK_FALSE(isToken("GE T"));
  CHECK_FALSE(isToken("x:y"));
}
