// gw dashboard beside a running proxy: a weight change made through the API takes effect at
// once and the live traffic follows real requests; certificates issued from the dashboard
// (internal issuer) show valid for their hosts, and a failed order keeps the old one;
// consumer keys, explain and usage run the CLI's own commands.
#include <array>
#include <catch2/catch.hpp>
#include <ctime>
#include <map>

#include "tests/integration/dashboard_client.hpp"
#include "tests/integration/metered_story.hpp"
#include "tests/support/eventually.hpp"
#include "tests/support/ports.hpp"

using namespace gw::test;
using Json = nlohmann::json;

namespace {

// "frontend|200" -> how many answers of each.
std::map<std::string, int> countAnswers(const std::vector<std::string>& answers) {
  std::map<std::string, int> counts;
  for (const std::string& answer : answers) {
    ++counts[answer];
  }
  return counts;
}

// Polls a job until it ends (bounded), and answers its last state.
Json finished(const DashboardClient& dash, const std::string& job) {
  return eventuallyValue(
             [&] { return DashboardClient::json(dash.call("GET", "/api/v1/jobs/" + job)); },
             [](const Json& state) { return state.value("state", "") != "running"; }, 60s, 200ms)
      .value;
}

Json hostState(const DashboardClient& dash, const std::string& host) {
  const Json tls = DashboardClient::json(dash.call("GET", "/api/v1/tls"));
  for (const Json& entry : tls["hosts"]) {
    if (entry["host"] == host) {
      return entry;
    }
  }
  return nullptr;
}

}  // namespace

TEST_CASE("dashboard: a weight change takes effect at once and the traffic view follows",
          "[dashboard][daemon]") {
  EchoBackend v1("frontend");
  EchoBackend v2("frontendv2");
  GwHome gw;
  REQUIRE(gw.gw({"install"}).exit_code == 0);
  REQUIRE(gw.gw({"service", "add", "frontend", "--endpoint", v1.endpoint()}).exit_code == 0);
  REQUIRE(gw.gw({"service", "add", "frontendv2", "--endpoint", v2.endpoint()}).exit_code == 0);
  const auto port = freePort();
  REQUIRE(gw.createEdge(port).exit_code == 0);
  REQUIRE(gw.gw({"route", "add", "shop", "--gateway", "edge", "--host", "shop.test", "--to",
                 "frontend"})
              .exit_code == 0);
  DashboardClient dash(gw);
  REQUIRE(dash.login());
  CHECK(DashboardClient::json(dash.call("GET", "/api/v1/session"))["proxy"]["running"] == true);
  const Json status = DashboardClient::json(dash.call("GET", "/api/v1/status"));
  CHECK(status["running"] == true);
  CHECK(status["status"]["services"].size() == 2);

  const Json read = DashboardClient::json(dash.call("GET", "/api/v1/routes/shop"));
  Json item = read["item"];
  item["destinations"] = Json::array(
      {{{"service", "frontend"}, {"weight", 50}}, {{"service", "frontendv2"}, {"weight", 50}}});
  const auto changed =
      dash.call("PUT", "/api/v1/routes/shop", {{"revision", read["revision"]}, {"item", item}});
  REQUIRE(changed.status == 200);
  const Json outcome = DashboardClient::json(changed);
  CHECK(outcome["reloaded"] == true);
  CHECK(outcome["proxyRunning"] == true);

  // The proxy serves the new revision when the change answers: the very next requests split.
  auto counts = countAnswers(fetchMany(port, "shop.test", "/", 200));
  CHECK(counts["frontend|200"] > 60);  // 100 expected; 6 sigma is about 42
  CHECK(counts["frontendv2|200"] > 60);

  // gw status and the dashboard read the proxy through the same client: they agree.
  const auto cli_status = Json::parse(gw.gw({"status", "-o", "json"}).out);
  const Json dashboard_status = DashboardClient::json(dash.call("GET", "/api/v1/status"));
  CHECK(cli_status["routes"][0]["requests"] == 200);
  CHECK(dashboard_status["status"]["routes"][0]["requests"] == cli_status["routes"][0]["requests"]);
  CHECK(dashboard_status["status"]["revision"] == cli_status["revision"]);

  // The dashboard's next reads show the split on the route's edges.
  const auto traffic =
      eventuallyValue([&] { return DashboardClient::json(dash.call("GET", "/api/v1/traffic")); },
                      [](const Json& t) {
                        std::uint64_t seen = 0;
                        for (const Json& edge : t["edges"]) {
                          seen += edge["requests"].get<std::uint64_t>();
                        }
                        return seen >= 200;
                      },
                      15s, 250ms);
  REQUIRE(traffic);
  for (const Json& edge : traffic.value["edges"]) {
    CHECK(edge["route"] == "shop");
    CHECK(edge["gateway"] == "edge");
    CHECK(edge["share"].get<double>() > 0.3);
    CHECK(edge["share"].get<double>() < 0.7);
  }
  const Json& shop = traffic.value["routes"]["shop"];
  double total = 0;
  for (const Json& count : shop["2xx"]) {
    total += count.get<double>();
  }
  CHECK(total >= 200);
  bool timed = false;
  for (const Json& p99 : shop["p99"]) {
    timed = timed || (p99.is_number() && p99.get<double>() > 0);
  }
  CHECK(timed);
}

TEST_CASE(
    "dashboard: a certificate issued from the dashboard serves its host and a failed one "
    "keeps it",
    "[dashboard]") {
  GwHome gw;
  REQUIRE(gw.gw({"service", "add", "frontend", "--endpoint", "127.0.0.1:9"}).exit_code == 0);
  REQUIRE(gw.gw({"gateway", "create", "edge", "--port", "http:" + std::to_string(freePort()),
                 "--port", "https:" + std::to_string(freePort()), "--address", "127.0.0.1"})
              .exit_code == 0);
  REQUIRE(gw.gw({"route", "add", "shop", "--gateway", "edge", "--host", "shop.test", "--to",
                 "frontend"})
              .exit_code == 0);
  DashboardClient dash(gw);
  REQUIRE(dash.login());

  const Json missing = hostState(dash, "shop.test");
  CHECK(missing["https"] == true);
  CHECK(missing["state"] == "missing");
  CHECK(missing["reason"].get<std::string>().find("gw cert issue") != std::string::npos);

  const auto started =
      dash.call("POST", "/api/v1/certificates/issue",
                {{"domains", {"shop.test"}}, {"issuer", "internal"}, {"gateway", "edge"}});
  REQUIRE(started.status == 202);
  const Json job = finished(dash, DashboardClient::json(started)["job"]);
  CHECK(job["state"] == "succeeded");
  CHECK(job["error"].is_null());
  const Json valid = hostState(dash, "shop.test");
  CHECK(valid["state"] == "valid");
  CHECK(valid["certificate"] == "shop.test");
  CHECK(valid["daysLeft"].get<int>() > 0);
  CHECK(gw.gw({"cert", "get", "shop.test"}).exit_code == 0);

  // An order the CA cannot take fails with gw's sentence; the certificate serves on.
  const DeadPort dead;
  const auto failing =
      dash.call("POST", "/api/v1/certificates/issue",
                {{"domains", {"shop.test"}},
                 {"issuer", "acme"},
                 {"gateway", "edge"},
                 {"acmeDirectory", "https://127.0.0.1:" + std::to_string(dead.port()) + "/dir"}});
  REQUIRE(failing.status == 202);
  const Json failed = finished(dash, DashboardClient::json(failing)["job"]);
  CHECK(failed["state"] == "failed");
  CHECK_FALSE(failed["error"].get<std::string>().empty());
  CHECK(hostState(dash, "shop.test")["state"] == "valid");

  CHECK(dash.call("POST", "/api/v1/certificates/issue", {{"issuer", "internal"}}).status == 400);
  CHECK(dash.call("GET", "/api/v1/jobs/999").status == 404);
}

TEST_CASE("dashboard: a new API key is shown once and explain and usage answer as the CLI does",
          "[dashboard]") {
  GwHome gw;
  REQUIRE(gw.gw({"service", "add", "frontend", "--endpoint", "127.0.0.1:9"}).exit_code == 0);
  REQUIRE(gw.createEdge(freePort()).exit_code == 0);
  REQUIRE(gw.gw({"route", "add", "shop", "--gateway", "edge", "--host", "shop.test", "--to",
                 "frontend"})
              .exit_code == 0);
  REQUIRE(gw.gw({"consumer", "add", "alice"}).exit_code == 0);
  DashboardClient dash(gw);
  REQUIRE(dash.login());

  const auto created = dash.call("POST", "/api/v1/consumers/alice/keys");
  REQUIRE(created.status == 201);
  const Json key = DashboardClient::json(created);
  const std::string secret = key["key"];
  CHECK(secret.size() > 20);
  CHECK(gw.config().find(secret) == std::string::npos);  // the document keeps its hash only
  const Json consumer = DashboardClient::json(dash.call("GET", "/api/v1/consumers/alice"));
  CHECK(consumer["item"]["apiKeys"][0]["id"] == key["id"]);
  CHECK(consumer.dump().find(secret) == std::string::npos);
  CHECK(dash.call("POST", "/api/v1/consumers/nobody/keys").status == 404);
  CHECK(
      dash.call("DELETE", "/api/v1/consumers/alice/keys/" + key["id"].get<std::string>()).status ==
      200);
  CHECK_FALSE(DashboardClient::json(dash.call("GET", "/api/v1/consumers/alice"))["item"].contains(
      "apiKeys"));

  const auto explained =
      dash.call("POST", "/api/v1/explain", {{"url", "http://shop.test/cart"}, {"method", "GET"}});
  REQUIRE(explained.status == 200);
  CHECK(explained.body.find("\"shop\"") != std::string::npos);
  CHECK(dash.call("POST", "/api/v1/explain", Json::object()).status == 400);
  CHECK(dash.call("GET", "/api/v1/usage").status == 200);
}

TEST_CASE("dashboard: usage shows today's metered requests of a consumer", "[dashboard][daemon]") {
  MeteredStory metered;
  metered.story.must({"plan", "add", "gold", "--quota", "1000/day"});
  metered.story.must({"consumer", "update", "acme", "--plan", "gold"});
  REQUIRE(metered.burst(7).size() == 7);
  DashboardClient dash(metered.story.home());
  REQUIRE(dash.login());
  const auto today = [] {
    const std::time_t now = std::time(nullptr);
    std::tm utc{};
    gmtime_r(&now, &utc);
    std::array<char, 16> day{};
    std::strftime(day.data(), day.size(), "%Y-%m-%d", &utc);
    return std::string(day.data());
  }();
  // Usage is flushed twice a second: poll until the burst is in.
  const auto usage = eventuallyValue(
      [&] { return DashboardClient::json(dash.call("GET", "/api/v1/usage")); },
      [&](const Json& rows) {
        std::int64_t billable = 0;
        for (const Json& row : rows) {
          billable += row.value("consumer", "") == "acme" && row.value("day", "") == today
                          ? row.value("billable", std::int64_t{0})
                          : 0;
        }
        return billable == 7;
      },
      10s, 200ms);
  CHECK(usage);
}
