#include <catch2/catch.hpp>

#include "tests/proxy/support/harness.hpp"
#include "tests/support/process.hpp"

namespace gw::test {
namespace {

core::Route redirectRoute(const std::string& host, core::Redirect redirect,
                          const std::string& prefix = "/") {
  core::Route route = makeRoute(host, "edge", {host}, {});
  route.match.path = prefix;
  route.match.type = core::MatchType::kPrefix;
  route.redirect = std::move(redirect);
  return route;
}

struct RedirectSetup {
  std::uint16_t port = freePort();
  core::Config config;

  RedirectSetup() {
    config.gateways.push_back(makeGateway("edge", {{core::Protocol::kHttp, port}}));
    core::Redirect to_host;
    to_host.host = "new.test";
    to_host.code = 301;
    config.routes.push_back(redirectRoute("host.test", to_host));
    core::Redirect to_https;
    to_https.scheme = "https";
    config.routes.push_back(redirectRoute("scheme.test", to_https));
    core::Redirect to_port;
    to_port.scheme = "https";
    to_port.port = 8443;
    config.routes.push_back(redirectRoute("port.test", to_port));
    core::Redirect to_path;
    to_path.path = "/moved";
    config.routes.push_back(redirectRoute("path.test", to_path));
    core::Redirect no_query = to_path;
    no_query.keep_query = false;
    config.routes.push_back(redirectRoute("noquery.test", no_query));
    core::Redirect to_prefix;
    to_prefix.prefix = "/new";
    to_prefix.code = 308;
    config.routes.push_back(redirectRoute("prefix.test", to_prefix, "/old"));
    for (const int code : {302, 303, 307}) {
      core::Redirect with_code;
      with_code.path = "/c";
      with_code.code = code;
      config.routes.push_back(redirectRoute("code" + std::to_string(code) + ".test", with_code));
    }
  }
};

}  // namespace

TEST_CASE("a redirect route answers with its code and a Location built from the request",
          "[actions]") {
  RedirectSetup setup;
  ProxyUnderTest proxy(setup.config);
  HttpClient client(setup.port);

  SECTION("another host keeps the path and query, drops the request's port") {
    const Reply reply = client.get("host.test:8080", "/a/b?x=1");
    CHECK(reply.status == 301);
    CHECK(reply.header("location") == "http://new.test/a/b?x=1");
    CHECK(reply.body.size() < 200);
  }
  SECTION("a scheme change to https") {
    const Reply reply = client.get("scheme.test:8080", "/a?x=1");
    CHECK(reply.status == 302);
    CHECK(reply.header("location") == "https://scheme.test/a?x=1");
  }
  SECTION("an explicit port") {
    CHECK(client.get("port.test", "/p").header("location") == "https://port.test:8443/p");
  }
  SECTION("a full path replaces the request's, the query kept") {
    CHECK(client.get("path.test", "/a/b?x=1").header("location") == "http://path.test/moved?x=1");
  }
  SECTION("a full path with the query dropped") {
    CHECK(client.get("noquery.test", "/a/b?x=1").header("location") == "http://noquery.test/moved");
  }
  SECTION("a prefix replaces only the matched prefix") {
    const Reply reply = client.get("prefix.test", "/old/x/y?z=2");
    CHECK(reply.status == 308);
    CHECK(reply.header("location") == "http://prefix.test/new/x/y?z=2");
    CHECK(client.get("prefix.test", "/old").header("location") == "http://prefix.test/new");
  }
  SECTION("each redirect code is answered as configured") {
    const int code = GENERATE(302, 303, 307);
    const Reply reply = client.get("code" + std::to_string(code) + ".test", "/x");
    CHECK(reply.status == static_cast<unsigned>(code));
    CHECK(reply.header("location") == "http://code" + std::to_string(code) + ".test/c");
  }
  // The connection stays usable after a redirect.
  CHECK(client.get("path.test", "/").status == 302);
}

}  // namespace gw::test
