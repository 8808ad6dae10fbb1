// The flags for weights, health, retries, redirects, rewrites, header changes, direct
// responses, mirrors and gateway limits: the document they write and how they fail.

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "tests/cli/cli_home.hpp"

using gw::test::CliHome;
using nlohmann::json;

namespace {

json getJson(const CliHome& home, const std::string& kind, const std::string& name) {
  auto r = home.gw({kind, "get", name, "-o", "json"});
  REQUIRE(r.exit_code == 0);
  return json::parse(r.out);
}

}  // namespace

TEST_CASE("service flags write weights, hashing, health checks and ejection", "[cli][flags]") {
  CliHome home;
  auto r = home.gw({"service",
                    "add",
                    "api",
                    "--endpoint",
                    "127.0.0.1:9001",
                    "--endpoint",
                    "127.0.0.1:9002=3",
                    "--lb",
                    "hash",
                    "--hash-on",
                    "header:x-user",
                    "--health-path",
                    "/healthz",
                    "--health-interval",
                    "2s",
                    "--health-timeout",
                    "300ms",
                    "--healthy-threshold",
                    "1",
                    "--unhealthy-threshold",
                    "4",
                    "--eject-5xx",
                    "7",
                    "--eject-connect-failures",
                    "0",
                    "--ejection-time",
                    "1m",
                    "--max-ejected-percent",
                    "30",
                    "--connect-timeout",
                    "500ms"});
  REQUIRE(r.exit_code == 0);
  CHECK(home.config().find(R"(services:
  - name: api
    endpoints:
      - 127.0.0.1:9001
      - address: 127.0.0.1:9002
        weight: 3
    loadBalancer: hash
    hashOn: header:x-user
    healthCheck:
      path: /healthz
      interval: 2s
      timeout: 300ms
      healthyThreshold: 1
      unhealthyThreshold: 4
    outlierDetection:
      consecutive5xx: 7
      consecutiveConnectFailures: 0
      ejectionTime: 1m
      maxEjectedPercent: 30
    connectTimeout: 500ms
)") != std::string::npos);

  SECTION("update changes only the given flags") {
    REQUIRE(
        home.gw({"service", "update", "api", "--eject-5xx", "2", "--health-path", ""}).exit_code ==
        0);
    const json service = getJson(home, "service", "api");
    CHECK(service["outlierDetection"]["consecutive5xx"] == 2);
    CHECK(service["outlierDetection"]["maxEjectedPercent"] == 30);
    CHECK_FALSE(service.contains("healthCheck"));
    CHECK(service["hashOn"] == "header:x-user");
  }
  SECTION("leaving hash drops hashOn") {
    REQUIRE(home.gw({"service", "update", "api", "--lb", "least-request"}).exit_code == 0);
    CHECK_FALSE(getJson(home, "service", "api").contains("hashOn"));
  }
}

TEST_CASE("service flags that do not fit exit 2 and change nothing", "[cli][flags]") {
  CliHome home;
  home.seed();
  auto [args, expected] = GENERATE(table<std::vector<std::string>, std::string>({
      {{"service", "update", "frontend", "--endpoint", "127.0.0.1:9001=heavy"},
       "error: invalid --endpoint \"127.0.0.1:9001=heavy\""},
      {{"service", "update", "frontend", "--endpoint", "127.0.0.1:9001=0"},
       "  service \"frontend\": endpoints[0].weight: must be 1..100 (got 0)\n"},
      {{"service", "update", "frontend", "--hash-on", "ip"}, "error: invalid --hash-on \"ip\""},
      {{"service", "update", "frontend", "--hash-on", "client-ip"},
       "  service \"frontend\": hashOn: only applies to loadBalancer: hash (got round-robin)\n"},
      {{"service", "update", "frontend", "--lb", "hash"},
       "  service \"frontend\": hashOn: required with loadBalancer: hash"},
      {{"service", "update", "frontend", "--healthy-threshold", "0"},
       "  service \"frontend\": healthCheck.healthyThreshold: must be at least 1 (got 0)\n"},
      {{"service", "update", "frontend", "--max-ejected-percent", "150"},
       "  service \"frontend\": outlierDetection.maxEjectedPercent: must be 0..100 (got 150)\n"},
      {{"service", "update", "frontend", "--ejection-time", "soon"},
       "error: invalid --ejection-time \"soon\""},
  }));
  const std::string before = home.config();
  auto r = home.gw(args);
  CHECK(r.exit_code == 2);
  CHECK(r.err.find(expected) != std::string::npos);
  CHECK(home.config() == before);
}

TEST_CASE("route flags write retries, rewrites, header changes and mirrors", "[cli][flags]") {
  CliHome home;
  home.seed();
  auto r = home.gw({"route",
                    "update",
                    "shop",
                    "--retries",
                    "2",
                    "--retry-on",
                    "5xx,reset",
                    "--per-try-timeout",
                    "1s",
                    "--retry-non-idempotent",
                    "--retry-budget",
                    "30",
                    "--rewrite-regex",
                    "^/v1/(.*)$",
                    "--rewrite-substitution",
                    "/v2/$1",
                    "--request-header-add",
                    "x-env=prod",
                    "--request-header-set",
                    "x-a=1",
                    "--request-header-remove",
                    "cookie",
                    "--response-header-add",
                    "x-by=gw",
                    "--response-header-set",
                    "cache-control=no-store",
                    "--response-header-remove",
                    "server",
                    "--mirror",
                    "frontendv2=10"});
  REQUIRE(r.exit_code == 0);
  CHECK(home.config().find(R"(    retries:
      attempts: 2
      "on": [5xx, reset]
      perTryTimeout: 1s
      nonIdempotent: true
      budgetPercent: 30
    rewrite:
      regex: "^/v1/(.*)$"
      substitution: "/v2/$1"
    requestHeaders:
      add:
        x-env: prod
      set:
        x-a: "1"
      remove: [cookie]
    responseHeaders:
      add:
        x-by: gw
      set:
        cache-control: no-store
      remove: [server]
    mirror:
      service: frontendv2
      percent: 10
)") != std::string::npos);

  SECTION("each flag replaces its own list or setting") {
    REQUIRE(home.gw({"route", "update", "shop", "--request-header-set", "x-b=2",
                     "--retry-non-idempotent=false", "--mirror", "", "--rewrite", "/v3"})
                .exit_code == 0);
    const json route = getJson(home, "route", "shop");
    CHECK(route["requestHeaders"]["set"] == json{{"x-b", "2"}});
    CHECK(route["requestHeaders"]["add"] == json{{"x-env", "prod"}});
    CHECK_FALSE(route["retries"].contains("nonIdempotent"));
    CHECK_FALSE(route.contains("mirror"));
    CHECK(route["rewrite"] == "/v3");
  }
}

TEST_CASE("a route answers itself with --direct-response and forwards again with --to",
          "[cli][flags]") {
  CliHome home;
  home.seed();
  auto r = home.gw({"route", "add", "ping", "--gateway", "shop-ingress", "--host", "shop.test",
                    "--path", "/ping", "--match", "exact", "--direct-response", "200", "--body",
                    "pong", "--content-type", "application/json"});
  REQUIRE(r.exit_code == 0);
  json route = getJson(home, "route", "ping");
  CHECK(route["directResponse"] ==
        json{{"status", 200}, {"body", "pong"}, {"contentType", "application/json"}});
  CHECK_FALSE(route.contains("destinations"));
  CHECK(home.gw({"route", "list"}).out.find("exact   answer 200\n") != std::string::npos);

  REQUIRE(home.gw({"route", "update", "ping", "--to", "frontend"}).exit_code == 0);
  route = getJson(home, "route", "ping");
  CHECK_FALSE(route.contains("directResponse"));
  CHECK(route["destinations"][0]["service"] == "frontend");
}

TEST_CASE("the redirect flags write a URL, then the parts with the code", "[cli][flags]") {
  CliHome home;
  home.seed();
  REQUIRE(home.gw({"route", "add", "moved", "--gateway", "shop-ingress", "--host", "old.test",
                   "--redirect", "https://new.test/"})
              .exit_code == 0);
  CHECK(home.config().find("    redirect: https://new.test/\n") != std::string::npos);
  REQUIRE(home.gw({"route", "update", "moved", "--redirect-code", "308"}).exit_code == 0);
  CHECK(getJson(home, "route", "moved")["redirect"] ==
        json{{"scheme", "https"}, {"host", "new.test"}, {"path", "/"}, {"code", 308}});
  CHECK(home.gw({"route", "list"}).out.find("redirect 308 https://new.test/\n") !=
        std::string::npos);
}

TEST_CASE("route flags that do not fit exit 2 and change nothing", "[cli][flags]") {
  CliHome home;
  home.seed();
  auto [args, expected] = GENERATE(table<std::vector<std::string>, std::string>({
      {{"route", "update", "shop", "--redirect", "new.test"},
       "error: invalid --redirect \"new.test\": expected an http:// or https:// URL, or a path "
       "starting with /\n"},
      {{"route", "update", "shop", "--redirect-code", "301"},
       "error: --redirect-code needs --redirect (or a route that redirects)\n"},
      {{"route", "update", "shop", "--redirect", "https://a.test/", "--redirect-code", "200"},
       "  route \"shop\": redirect.code: must be 301, 302, 303, 307 or 308 (got 200)\n"},
      {{"route", "update", "shop", "--body", "hi"},
       "error: --body needs --direct-response (or a route that answers directly)\n"},
      {{"route", "update", "shop", "--direct-response", "99"},
       "  route \"shop\": directResponse.status: must be 200..599 (got 99)\n"},
      {{"route", "update", "shop", "--rewrite-regex", "^/(.*)$"},
       "error: --rewrite-regex needs --rewrite-substitution\n"},
      {{"route", "update", "shop", "--rewrite-regex", "^/(a", "--rewrite-substitution", "/b"},
       "  route \"shop\": rewrite.regex: invalid regex: "},
      {{"route", "update", "shop", "--request-header-add", "x-a"},
       "error: invalid --request-header-add \"x-a\": expected NAME=VALUE\n"},
      {{"route", "update", "shop", "--response-header-remove", "bad name"},
       "  route \"shop\": responseHeaders.remove[0]: must be an HTTP header name (got \"bad "
       "name\")\n"},
      {{"route", "update", "shop", "--mirror", "nowhere"},
       "  route \"shop\": mirror.service: no service named \"nowhere\"\n"},
      {{"route", "update", "shop", "--mirror", "frontend=all"}, "error: invalid --mirror"},
      {{"route", "update", "shop", "--retry-on", "5xx,often"},
       "  route \"shop\": retries.on[1]: must be connect-failure, reset, timeout, 5xx or a status "
       "code 400..599 (got \"often\")\n"},
      {{"route", "update", "shop", "--retry-budget", "101"},
       "  route \"shop\": retries.budgetPercent: must be 0..100 (got 101)\n"},
      {{"route", "update", "shop", "--per-try-timeout", "1w"},
       "error: invalid --per-try-timeout \"1w\""},
  }));
  const std::string before = home.config();
  auto r = home.gw(args);
  CHECK(r.exit_code == 2);
  CHECK(r.err.find(expected) != std::string::npos);
  CHECK(home.config() == before);
}

TEST_CASE("gateway create writes the write timeout, and a bad one is a usage error",
          "[cli][flags]") {
  CliHome home;
  REQUIRE(home.gw({"gateway", "create", "edge", "--port", "http:8080", "--write-timeout", "20s"})
              .exit_code == 0);
  CHECK(home.config().find("    timeouts:\n      write: 20s\n") != std::string::npos);
  const std::string before = home.config();
  auto r =
      home.gw({"gateway", "create", "other", "--port", "http:8081", "--write-timeout", "soon"});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("--write-timeout") != std::string::npos);
  CHECK(home.config() == before);
}

TEST_CASE("gateway create writes limits and client timeouts", "[cli][flags]") {
  CliHome home;
  auto r =
      home.gw({"gateway", "create", "edge", "--port", "http:8080", "--max-body-size", "64KiB",
               "--max-header-size", "8192", "--header-read-timeout", "5s", "--idle-timeout", "2m"});
  REQUIRE(r.exit_code == 0);
  CHECK(home.config().find(R"(    limits:
      maxHeaderBytes: 8192
      maxBodyBytes: 65536
    timeouts:
      headerRead: 5s
      idle: 2m
)") != std::string::npos);
  REQUIRE(home.gw({"gateway", "create", "big", "--port", "http:8081", "--max-body-size", "1GiB"})
              .exit_code == 0);
  CHECK(getJson(home, "gateway", "big")["limits"]["maxBodyBytes"] == 1073741824);
  REQUIRE(home.gw({"gateway", "create", "std", "--port", "http:8082", "--max-body-size", "8MiB"})
              .exit_code == 0);
  CHECK_FALSE(getJson(home, "gateway", "std").contains("limits"));  // the default

  auto [flag, value, expected] = GENERATE(table<std::string, std::string, std::string>({
      {"--max-body-size", "8 MiB", "error: invalid --max-body-size \"8 MiB\""},
      {"--max-body-size", "0",
       "  gateway \"bad\": limits.maxBodyBytes: must be positive (got 0)\n"},
      {"--max-header-size", "lots", "error: invalid --max-header-size \"lots\""},
      {"--idle-timeout", "0s", "  gateway \"bad\": timeouts.idle: must be positive (got 0s)\n"},
  }));
  const std::string before = home.config();
  r = home.gw({"gateway", "create", "bad", "--port", "http:8090", flag, value});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find(expected) != std::string::npos);
  CHECK(home.config() == before);
}

TEST_CASE("service get shows each endpoint's health as unknown while stopped", "[cli][flags]") {
  CliHome home;
  REQUIRE(home.gw({"service", "add", "api", "--endpoint", "127.0.0.1:9001", "--endpoint",
                   "127.0.0.1:9002=5"})
              .exit_code == 0);
  auto r = home.gw({"service", "get", "api"});
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("ENDPOINT        WEIGHT  HEALTH   IN-FLIGHT\n"
                   "127.0.0.1:9001  1       unknown  -\n"
                   "127.0.0.1:9002  5       unknown  -\n") != std::string::npos);
  const json service = getJson(home, "service", "api");
  CHECK(service["status"]["proxy"] == "stopped");
  CHECK(service["status"]["endpoints"][1] == json{{"address", "127.0.0.1:9002"},
                                                  {"weight", 5},
                                                  {"health", "unknown"},
                                                  {"inFlight", nullptr}});
  r = home.gw({"service", "get", "api", "-o", "yaml"});
  CHECK(r.out.find("status:\n  proxy: stopped\n") != std::string::npos);
  CHECK(home.gw({"service", "list"}).out.find("127.0.0.1:9001,127.0.0.1:9002=5") !=
        std::string::npos);
}
