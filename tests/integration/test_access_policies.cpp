// Access rules beyond credentials, through the running proxy: IP lists and the client address
// behind trusted proxies, authorization in shadow mode, CORS, and documents refused before
// anything runs. Credentials and counters: test_access.cpp.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "tests/integration/access_story.hpp"

using namespace gw::test;

namespace {

const std::vector<std::string> kSpoofed = {"-H", "X-Forwarded-For: 203.0.113.5"};

std::vector<std::string> preflight(const std::string& origin) {
  return {"-X", "OPTIONS", "-H", "Origin: " + origin, "-H", "Access-Control-Request-Method: GET"};
}

}  // namespace

TEST_CASE("X-Forwarded-For names the client only when a trusted proxy sends it", "[access][ip]") {
  AccessStory story;
  story.must({"route", "update", "shop", "--ip-allow", "203.0.113.0/24"});

  // Straight from 127.0.0.1, the header is the client's own word: it does not help.
  const HttpResponse spoofed = story.get("shop.test", "/_echo", kSpoofed);
  CHECK(spoofed.status == 403);
  CHECK(spoofed.header("x-gw-error") == "ip_denied");
  CHECK(story.accessLogLine(spoofed)["client"] == "127.0.0.1");

  story.must({"gateway", "update", "edge", "--trusted-proxy", "127.0.0.1/32"});
  const HttpResponse forwarded = story.get("shop.test", "/_echo", kSpoofed);
  REQUIRE(forwarded.status == 200);
  const auto line = story.accessLogLine(forwarded);
  CHECK(line["client"] == "203.0.113.5");
  CHECK(line["status"] == 200);
  CHECK(AccessStory::upstreamHeaders(forwarded).value("x-forwarded-for", "") ==
        "203.0.113.5, 127.0.0.1");

  // Read right to left, the first address that is not a trusted proxy is the client: what a
  // client writes further left cannot push it aside.
  const HttpResponse prepended =
      story.get("shop.test", "/_echo", {"-H", "X-Forwarded-For: 203.0.113.5, 198.51.100.7"});
  CHECK(prepended.status == 403);
  CHECK(prepended.header("x-gw-error") == "ip_denied");
  CHECK(story.accessLogLine(prepended)["client"] == "198.51.100.7");

  // A trusted proxy's own requests, without the header, come from the proxy.
  const HttpResponse direct = story.get("shop.test");
  CHECK(direct.status == 403);
  CHECK(direct.header("x-gw-error") == "ip_denied");

  const auto stats = story.statsWhen([](const nlohmann::json& s) {
    return s["routes"]["shop"]["access"]["refused"].value("ip_denied", 0) == 3;
  });
  CHECK(stats["routes"]["shop"]["access"]["allowed"] == 1);
}

TEST_CASE("a gateway's --ip-deny refuses the client on every route", "[access][ip]") {
  AccessStory story;
  REQUIRE(story.get("open.test").status == 200);
  story.must({"gateway", "update", "edge", "--ip-deny", "127.0.0.1"});
  for (const char* host : {"shop.test", "open.test"}) {
    INFO(host);
    const HttpResponse refused = story.get(host);
    CHECK(refused.status == 403);
    CHECK(refused.header("x-gw-error") == "ip_denied");
  }
  story.must({"gateway", "update", "edge", "--ip-deny", ""});
  CHECK(story.get("open.test").status == 200);
}

// gw(1) on --ip-deny: "Clients in these ranges get 403 ip_denied". Gateway filters are run
// as the head of each route's chain, so a request no route takes is answered 404 no_route:
// a denied client still learns which hosts the gateway serves.
TEST_CASE("a gateway's --ip-deny refuses the client also on hosts no route serves",
          "[access][ip]") {
  AccessStory story;
  story.must({"gateway", "update", "edge", "--ip-deny", "127.0.0.1"});
  const HttpResponse refused = story.get("nowhere.test");
  CHECK(refused.status == 403);
  CHECK(refused.header("x-gw-error") == "ip_denied");
}

TEST_CASE("shadow authorization refuses nothing and counts and logs what it would refuse",
          "[access][shadow]") {
  AccessStory story;
  story.must({"consumer", "add", "acme", "--group", "paid"});
  story.must({"consumer", "add", "bob"});
  const std::string key = story.createKey("acme");
  const std::string bob_key = story.createKey("bob");
  story.must({"route", "update", "shop", "--auth", "api-key", "--allow-group", "paid",
              "--authz-mode", "shadow"});

  const HttpResponse outsider = story.get("shop.test", "/_echo", {"-H", "x-api-key: " + bob_key});
  REQUIRE(outsider.status == 200);
  CHECK(AccessStory::upstreamHeaders(outsider).value("x-gw-consumer", "") == "bob");
  const auto line = story.accessLogLine(outsider);
  CHECK(line["consumer"] == "bob");
  CHECK(line["shadowDenied"] == true);

  const HttpResponse member = story.get("shop.test", "/_echo", {"-H", "x-api-key: " + key});
  REQUIRE(member.status == 200);
  const auto member_line = story.accessLogLine(member);
  CHECK(member_line["consumer"] == "acme");
  CHECK_FALSE(member_line.contains("shadowDenied"));

  const auto stats = story.statsWhen([](const nlohmann::json& s) {
    return s["routes"]["shop"]["access"].value("shadowDenied", 0) == 1;
  });
  CHECK(stats["routes"]["shop"]["access"]["allowed"] == 2);
  CHECK(stats["routes"]["shop"]["access"]["refused"]["forbidden"] == 0);
  CHECK(story.admin("/metrics")
            .body.find(
                "\ngw_access_decisions_total{route=\"shop\",decision=\"shadow_denied\"} 1\n") !=
        std::string::npos);

  story.must({"route", "update", "shop", "--authz-mode", "enforce"});
  const HttpResponse enforced = story.get("shop.test", "/_echo", {"-H", "x-api-key: " + bob_key});
  CHECK(enforced.status == 403);
  CHECK(enforced.header("x-gw-error") == "forbidden");
}

TEST_CASE("CORS answers preflights of allowed origins and marks refusals for them",
          "[access][cors]") {
  AccessStory story;
  story.must({"consumer", "add", "acme"});
  story.must(
      {"route", "update", "shop", "--auth", "api-key", "--cors-origin", "https://shop.test"});

  // Browsers send preflights without credentials: the gateway answers them before auth.
  const HttpResponse allowed = story.get("shop.test", "/_echo", preflight("https://shop.test"));
  CHECK(allowed.status == 204);
  CHECK(allowed.header("access-control-allow-origin") == "https://shop.test");
  CHECK(allowed.header("access-control-allow-methods").find("GET") != std::string::npos);

  const HttpResponse other = story.get("shop.test", "/_echo", preflight("https://evil.test"));
  CHECK(other.status == 403);
  CHECK(other.header("x-gw-error") == "cors_refused");
  CHECK(other.header("access-control-allow-origin").empty());

  // A page of the allowed origin can read why it was refused; another origin's cannot.
  const HttpResponse unauthenticated =
      story.get("shop.test", "/_echo", {"-H", "Origin: https://shop.test"});
  CHECK(unauthenticated.status == 401);
  CHECK(unauthenticated.header("x-gw-error") == "auth_missing");
  CHECK(unauthenticated.header("access-control-allow-origin") == "https://shop.test");
  const HttpResponse foreign =
      story.get("shop.test", "/_echo", {"-H", "Origin: https://evil.test"});
  CHECK(foreign.status == 401);
  CHECK(foreign.header("access-control-allow-origin").empty());
}

// /v1/stats and /metrics list cors_refused among the refusals, but the CORS filter does not
// mark the exchange as access-checked (auth, authz and the IP lists do), so its refusals are
// never counted.
TEST_CASE("a refused CORS preflight counts as cors_refused", "[access][cors][stats]") {
  AccessStory story;
  story.must({"route", "update", "shop", "--cors-origin", "https://shop.test"});
  REQUIRE(story.get("shop.test", "/_echo", preflight("https://evil.test")).status == 403);
  REQUIRE(story.get("shop.test", "/_echo", {"-H", "Origin: https://shop.test"}).status == 200);

  const auto stats = story.statsWhen([](const nlohmann::json& s) {
    return s["routes"]["shop"]["access"]["refused"].value("cors_refused", 0) == 1;
  });
  CHECK(stats["routes"]["shop"]["access"]["refused"]["cors_refused"] == 1);
  CHECK(
      story.admin("/metrics")
          .body.find("\ngw_access_decisions_total{route=\"shop\",decision=\"cors_refused\"} 1\n") !=
      std::string::npos);
}

// RFC 9110 section 8.6: "A server MUST NOT send a Content-Length header field in any
// response with a status code of 1xx (Informational) or 204 (No Content)."
TEST_CASE("a CORS preflight's 204 carries no Content-Length", "[access][cors]") {
  AccessStory story;
  story.must({"route", "update", "shop", "--cors-origin", "https://shop.test"});
  const HttpResponse answer = story.get("shop.test", "/_echo", preflight("https://shop.test"));
  REQUIRE(answer.status == 204);
  CHECK(answer.headers.find("\ncontent-length:") == std::string::npos);
}

TEST_CASE("a document with a bad access field is refused by name and nothing is saved",
          "[access][config]") {
  AccessStory story;
  const std::string base =
      "apiVersion: gw/v1\n"
      "gateways:\n"
      "  - name: edge\n"
      "    listeners:\n"
      "      - protocol: http\n"
      "        port: " +
      std::to_string(story.port()) +
      "\n"
      "services:\n"
      "  - name: app\n"
      "    endpoints: [127.0.0.1:9]\n"
      "routes:\n"
      "  - name: shop\n"
      "    gateway: edge\n"
      "    hosts: [shop.test]\n"
      "    destinations:\n"
      "      - service: app\n";
  const auto [addition, problem] = GENERATE(table<std::string, std::string>({
      {"    auth:\n      methods: [\"jwt:nobody\"]\n",
       ":17:17: routes[0].auth.methods[0]: unknown JWT provider \"nobody\" (jwtProviders lists "
       "them)"},
      {"    ipAllow: [203.0.113.0/33]\n",
       ":16:15: routes[0].ipAllow[0]: the prefix length must be 0..32 (got \"203.0.113.0/33\")"},
      {"    authorization:\n      allow:\n        groups: [paid]\n",
       ":17:7: routes[0].authorization.allow: needs authentication: give the route (or gateway "
       "\"edge\") auth methods, so there is a consumer to judge"},
      {"consumers:\n  - name: acme\n    basicAuth:\n      - user: alice\n        hash: hunter2\n",
       ":20:9: consumers[0].basicAuth[0].hash: must be a crypt(3) hash ($2y$ or $2b$ bcrypt as "
       "htpasswd -B writes it, $y$ yescrypt or $6$ sha512crypt), never the password itself"},
  }));
  const auto file = story.home().file("bad.yaml").string();
  writeText(file, base);
  REQUIRE(story.home().gw({"config", "validate", "-f", file}).exit_code == 0);

  writeText(file, base + addition);
  const std::string before = story.home().config();
  const RunResult r = story.home().gw({"config", "apply", "-f", file});
  CHECK(r.exit_code == 2);
  CHECK(r.err == "error: " + file + ": invalid document (1 error)\n  " + file + problem + "\n");
  CHECK(story.home().config() == before);
  CHECK(story.get("open.test").status == 200);
}
