#include <catch2/catch.hpp>

#include "tests/proxy/support/counting_backend.hpp"
#include "tests/proxy/support/harness.hpp"
#include "tests/support/process.hpp"

namespace gw::test {
namespace {

struct ActionSetup {
  EchoBackend echo{"echo"};
  CountingBackend recorder{200};
  std::uint16_t port = freePort();
  core::Config config;

  ActionSetup() {
    config.gateways.push_back(makeGateway("edge", {{core::Protocol::kHttp, port}}));
    config.services.push_back(makeService("echo", {echo.endpoint()}));
    config.services.push_back(makeService("recorder", {recorder.endpoint()}));
  }
  core::Route& add(const std::string& host, const std::string& service,
                   const std::string& path = "/", core::MatchType type = core::MatchType::kPrefix) {
    core::Route route = makeRoute(host, "edge", {host}, {{service, 100}});
    route.match.path = path;
    route.match.type = type;
    config.routes.push_back(std::move(route));
    return config.routes.back();
  }
};

}  // namespace

TEST_CASE("a prefix rewrite replaces the matched prefix, segment-aware, keeping the query",
          "[actions]") {
  ActionSetup setup;
  setup.add("prefix.test", "recorder", "/api").rewrite = core::Rewrite{"/v2", "", ""};
  setup.add("slash.test", "recorder", "/api/").rewrite = core::Rewrite{"/", "", ""};
  setup.add("exact.test", "recorder", "/old", core::MatchType::kExact).rewrite =
      core::Rewrite{"/new", "", ""};
  ProxyUnderTest proxy(setup.config);
  HttpClient client(setup.port);

  CHECK(client.get("prefix.test", "/api/users/7?full=1").status == 200);
  CHECK(setup.recorder.lastTarget() == "/v2/users/7?full=1");
  CHECK(client.get("prefix.test", "/api").status == 200);
  CHECK(setup.recorder.lastTarget() == "/v2");
  CHECK(client.get("slash.test", "/api/x").status == 200);
  CHECK(setup.recorder.lastTarget() == "/x");
  CHECK(client.get("exact.test", "/old?q").status == 200);
  CHECK(setup.recorder.lastTarget() == "/new?q");
}

TEST_CASE("a regex rewrite substitutes the groups into the path the backend sees", "[actions]") {
  ActionSetup setup;
  setup.add("recorded.test", "recorder").rewrite =
      core::Rewrite{"", R"(^/users/(\w+)/orders/(\d+)$)", "/orders/$2?user=$1"};
  ProxyUnderTest proxy(setup.config);
  HttpClient client(setup.port);

  CHECK(client.get("recorded.test", "/users/ann/orders/42").status == 200);
  CHECK(setup.recorder.lastTarget() == "/orders/42?user=ann");
  CHECK(client.get("recorded.test", "/users/bob/orders/7?x=1").status == 200);
  CHECK(setup.recorder.lastTarget() == "/orders/7?user=bob&x=1");
  // A path the pattern does not match goes on unchanged.
  CHECK(client.get("recorded.test", "/other").status == 200);
  CHECK(setup.recorder.lastTarget() == "/other");
}

TEST_CASE("request header edits are what the backend receives", "[actions]") {
  ActionSetup setup;
  core::Route& route = setup.add("headers.test", "echo");
  route.request_headers.add = {{"X-Added", "one"}, {"x-multi", "second"}};
  route.request_headers.set = {{"X-Set", "replaced"}, {"user-agent", "gw-test"}};
  route.request_headers.remove = {"X-Secret"};
  ProxyUnderTest proxy(setup.config);
  HttpClient client(setup.port);

  const Reply reply = client.request("GET", "headers.test", "/_echo",
                                     {{"x-set", "a"},
                                      {"X-SET", "b"},
                                      {"x-secret", "s"},
                                      {"X-Multi", "first"},
                                      {"User-Agent", "c"}});
  REQUIRE(reply.status == 200);
  CHECK(reply.body.find(R"("x-added":"one")") != std::string::npos);
  CHECK(reply.body.find(R"("x-multi":"first, second")") != std::string::npos);
  CHECK(reply.body.find(R"("x-set":"replaced")") != std::string::npos);
  CHECK(reply.body.find(R"("user-agent":"gw-test")") != std::string::npos);
  CHECK(reply.body.find("x-secret") == std::string::npos);
}

TEST_CASE("response header edits are what the client receives", "[actions]") {
  ActionSetup setup;
  core::Route& route = setup.add("headers.test", "echo");
  route.response_headers.add = {{"X-Frame-Options", "DENY"}};
  route.response_headers.set = {{"Content-Type", "text/x-edited"}};
  route.response_headers.remove = {"X-BACKEND"};
  ProxyUnderTest proxy(setup.config);
  HttpClient client(setup.port);

  const Reply reply = client.get("headers.test", "/");
  CHECK(reply.status == 200);
  CHECK(reply.body == "echo\n");
  CHECK(reply.header("x-frame-options") == "DENY");
  CHECK(reply.header("content-type") == "text/x-edited");
  CHECK(reply.header("x-backend").empty());
}

TEST_CASE("a direct response is answered by the gateway without an upstream", "[actions]") {
  ActionSetup setup;
  core::Route route = makeRoute("maintenance", "edge", {"down.test"}, {});
  route.direct_response = core::DirectResponse{503, "back soon\n", "text/plain"};
  route.response_headers.add = {{"Retry-After", "120"}};
  setup.config.routes.push_back(route);
  ProxyUnderTest proxy(setup.config);
  HttpClient client(setup.port);

  const Reply reply = client.get("down.test", "/anything");
  CHECK(reply.status == 503);
  CHECK(reply.body == "back soon\n");
  CHECK(reply.header("content-type") == "text/plain");
  CHECK(reply.header("content-length") == "10");
  CHECK(reply.header("retry-after") == "120");
  CHECK(reply.header("x-gw-error").empty());
  CHECK(reply.keep_alive);
  CHECK(client.get("down.test", "/again").body == "back soon\n");  // same connection
  CHECK(setup.recorder.requests() == 0);
}

}  // namespace gw::test
