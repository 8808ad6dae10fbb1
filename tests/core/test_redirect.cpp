#include <catch2/catch.hpp>
#include <string>

#include "core/config/redirect.hpp"

using namespace gw::core;

namespace {

Route prefixRoute(const std::string& path) {
  Route r;
  r.match = {path, MatchType::kPrefix};
  return r;
}

std::string location(const Redirect& r, const Route& route, const std::string& scheme,
                     const std::string& host, const std::string& path,
                     const std::string& query = "") {
  return redirectLocation(r, route, RequestUrl{scheme, host, path, query});
}

}  // namespace

TEST_CASE("a redirect URL gives the Location, and the request's query follows", "[redirect]") {
  const auto r = parseRedirectUrl("https://example.com:8443/new?from=old");
  REQUIRE(r);
  CHECK(*r == Redirect{"https", "example.com", 8443, "/new?from=old", "", 302, true});
  CHECK(location(*r, prefixRoute("/"), "http", "shop.test", "/a", "x=1") ==
        "https://example.com:8443/new?from=old&x=1");
  CHECK(location(*r, prefixRoute("/"), "http", "shop.test", "/a") ==
        "https://example.com:8443/new?from=old");
  // A path alone keeps the request's scheme, host and port.
  const auto path = parseRedirectUrl("/v2");
  REQUIRE(path);
  CHECK(*path == Redirect{"", "", {}, "/v2", "", 302, true});
  CHECK(location(*path, prefixRoute("/v1"), "https", "shop.test:8443", "/v1", "page=2") ==
        "https://shop.test:8443/v2?page=2");
  CHECK(parseRedirectUrl("http://example.com")->path == "/");
  CHECK(parseRedirectUrl("http://[::1]:8080/x")->host == "[::1]");
  CHECK_FALSE(parseRedirectUrl("example.com/new"));
  CHECK_FALSE(parseRedirectUrl("https://"));
  CHECK_FALSE(parseRedirectUrl("https://example.com:0/"));
  CHECK_FALSE(parseRedirectUrl("https://example.com:http/"));
  CHECK_FALSE(parseRedirectUrl("http://::1/"));
  CHECK_FALSE(parseRedirectUrl("http://[::1/"));
  CHECK(parseRedirectUrl("http://example.com:/a")->port == std::nullopt);
}

TEST_CASE("a redirect written as a URL is encoded back as that URL", "[redirect]") {
  for (const char* url :
       {"https://example.com/", "http://a.test:8080/x?y=z", "https://[::1]/", "/v2?a=b"}) {
    const auto r = parseRedirectUrl(url);
    REQUIRE(r);
    CHECK(redirectUrl(*r) == std::string(url));
  }
  CHECK_FALSE(redirectUrl(Redirect{"https", "", {}, "", "", 301, true}));
  CHECK_FALSE(redirectUrl(Redirect{"https", "a.test", {}, "/", "", 301, false}));
  CHECK_FALSE(redirectUrl(Redirect{"https", "a.test", {}, "/", "", 302, false}));
  CHECK_FALSE(redirectUrl(Redirect{"https", "", {}, "/x", "", 302, true}));
}

TEST_CASE("empty redirect parts keep the request's", "[redirect]") {
  const Route any = prefixRoute("/");
  SECTION("http to https drops the request's port and keeps path and query") {
    const Redirect r{"https", "", {}, "", "", 301, true};
    CHECK(location(r, any, "http", "shop.test:8080", "/cart", "id=7") ==
          "https://shop.test/cart?id=7");
  }
  SECTION("a new host and port") {
    const Redirect r{"", "new.test", 8443, "", "", 302, true};
    CHECK(location(r, any, "https", "old.test", "/a") == "https://new.test:8443/a");
  }
  SECTION("only the path changes: the authority is the request's") {
    const Redirect r{"", "", {}, "/maintenance", "", 307, false};
    CHECK(location(r, any, "http", "shop.test:8080", "/a", "q=1") ==
          "http://shop.test:8080/maintenance");
  }
  SECTION("an IPv6 Host header keeps its brackets and its port") {
    const Redirect r{"", "", {}, "/moved", "", 302, false};
    CHECK(location(r, any, "http", "[::1]:8080", "/a") == "http://[::1]:8080/moved");
    CHECK(location(r, any, "http", "[::1]", "/a") == "http://[::1]/moved");
  }
  SECTION("a default port is left out") {
    const Redirect r{"https", "", 443, "", "", 301, true};
    CHECK(location(r, any, "http", "shop.test", "/") == "https://shop.test/");
  }
  SECTION("the query joins a path that has one") {
    const Redirect r{"", "", {}, "/new?from=old", "", 302, true};
    CHECK(location(r, any, "http", "a.test", "/x", "y=1") == "http://a.test/new?from=old&y=1");
  }
}

TEST_CASE("a redirect prefix replaces the matched prefix", "[redirect]") {
  const Redirect r{"", "", {}, "", "/guide", 308, true};
  CHECK(location(r, prefixRoute("/docs"), "http", "a.test", "/docs/intro", "v=2") ==
        "http://a.test/guide/intro?v=2");
  CHECK(location(r, prefixRoute("/docs/"), "http", "a.test", "/docs/intro") ==
        "http://a.test/guide/intro");
  CHECK(location(r, prefixRoute("/docs"), "http", "a.test", "/docs") == "http://a.test/guide");
  CHECK(replacePrefix("/api/v1/users", "/api", "/") == "/v1/users");
}
