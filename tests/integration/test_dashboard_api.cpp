// gw dashboard's JSON API (docs/dashboard-api.md) against a real home: sessions, CSRF, the
// document's objects through the change pipeline, refusals with field paths, stale
// revisions. Live traffic and the actions are in test_dashboard_live.cpp.
#include <catch2/catch.hpp>

#include "tests/integration/dashboard_client.hpp"

using namespace gw::test;
using Json = nlohmann::json;

namespace {

Json configJson(const GwHome& gw) {
  const auto r = gw.gw({"config", "show", "-o", "json"});
  REQUIRE(r.exit_code == 0);
  return Json::parse(r.out);
}

Json route(const std::string& name, const Json& destinations) {
  return {{"name", name},
          {"gateway", "edge"},
          {"hosts", {"shop.test"}},
          {"destinations", destinations}};
}

// A home with a gateway and two services, not installed (no proxy runs).
void prepare(const GwHome& gw) {
  REQUIRE(gw.gw({"service", "add", "frontend", "--endpoint", "127.0.0.1:9"}).exit_code == 0);
  REQUIRE(gw.gw({"service", "add", "frontendv2", "--endpoint", "127.0.0.1:9"}).exit_code == 0);
  REQUIRE(gw.createEdge(freePort()).exit_code == 0);
}

}  // namespace

TEST_CASE("dashboard: the printed URL logs in once; without a session only the login page answers",
          "[dashboard]") {
  GwHome gw;
  DashboardClient dash(gw);
  CHECK(dash.url().find("/login?token=") != std::string::npos);

  const auto page = dash.anonymous("GET", "/");
  CHECK(page.status == 200);
  CHECK(page.body.find("name=\"token\"") != std::string::npos);  // the login form
  CHECK(page.header("content-security-policy").find("default-src 'self'") != std::string::npos);
  CHECK(dash.anonymous("GET", "/api/v1/routes").status == 401);
  CHECK(dash.anonymous("GET", "/api/v1/session").status == 401);
  CHECK(dash.anonymous("GET", "/index.html").status == 401);
  CHECK(dash.anonymous("PUT", "/api/v1/services/x").status == 401);

  const std::string path = dash.url().substr(dash.url().find('/', 7));
  const auto first = httpGet(dash.port(), "127.0.0.1", path);
  REQUIRE(first.status == 303);
  CHECK(first.header("location") == "/");
  const std::string cookie = first.header("set-cookie");
  CHECK(cookie.starts_with("gw_session="));
  CHECK(cookie.find("HttpOnly") != std::string::npos);
  CHECK(cookie.find("SameSite=Strict") != std::string::npos);
  // A login URL works once.
  CHECK(httpGet(dash.port(), "127.0.0.1", path).status == 401);

  // The home's admin token, typed into the login page, opens a session too; a wrong one not.
  const std::string token = readText(gw.file("admin.token"));
  const auto typed = httpGet(dash.port(), "127.0.0.1", "/login",
                             {"--data-urlencode", "token=" + token.substr(0, 64)});
  CHECK(typed.status == 303);
  CHECK(typed.header("set-cookie").starts_with("gw_session="));
  const auto wrong = httpGet(dash.port(), "127.0.0.1", "/login", {"--data", "token=nope"});
  CHECK(wrong.status == 401);
  CHECK(wrong.header("set-cookie").empty());
  CHECK(wrong.body.find("not valid") != std::string::npos);  // said on the login page

  const auto session = httpGet(dash.port(), "127.0.0.1", "/api/v1/session",
                               {"-b", cookie.substr(0, cookie.find(';'))});
  REQUIRE(session.status == 200);
  const Json info = Json::parse(session.body);
  CHECK(info["csrf"].get<std::string>().size() == 64);
  CHECK(info["proxy"]["running"] == false);
  CHECK(session.header("cache-control") == "no-store");
}

TEST_CASE("dashboard: an address beyond loopback needs --allow-remote", "[dashboard]") {
  GwHome gw;
  const auto refused = gw.gw({"dashboard", "--address", "0.0.0.0", "--port", "0"});
  CHECK(refused.exit_code == 2);
  CHECK(refused.err.find("--allow-remote") != std::string::npos);
  CHECK(refused.out.empty());  // no URL: nothing listens
  CHECK(gw.gw({"dashboard", "--port", "70000"}).exit_code == 2);
}

TEST_CASE("dashboard: changes need the CSRF header and go through the change pipeline",
          "[dashboard]") {
  GwHome gw;
  prepare(gw);
  DashboardClient dash(gw);
  REQUIRE(dash.login());
  const Json body = {{"item", route("shop", Json::array({{{"service", "frontend"}}}))}};

  const auto refused = dash.call("PUT", "/api/v1/routes/shop", body, /*csrf=*/false);
  CHECK(refused.status == 403);
  CHECK(DashboardClient::json(refused)["error"] == "missing or wrong X-GW-CSRF header");
  CHECK_FALSE(configJson(gw).contains("routes"));

  // A dry run answers the diff and saves nothing.
  const auto before = configJson(gw)["revision"].get<int>();
  Json dry = body;
  dry["dryRun"] = true;
  const auto preview = dash.call("PUT", "/api/v1/routes/shop", dry);
  REQUIRE(preview.status == 200);
  const Json previewed = DashboardClient::json(preview);
  CHECK(previewed["dryRun"] == true);
  CHECK(previewed["diff"].get<std::string>().find("+  - name: shop") != std::string::npos);
  CHECK(configJson(gw)["revision"] == before);

  const auto created = dash.call("PUT", "/api/v1/routes/shop", body);
  REQUIRE(created.status == 200);
  const Json outcome = DashboardClient::json(created);
  CHECK(outcome["revision"] == before + 1);
  CHECK(outcome["changed"] == true);
  CHECK(outcome["reloaded"] == false);
  CHECK(outcome["proxyRunning"] == false);
  CHECK(outcome["item"]["destinations"][0]["service"] == "frontend");
  // The CLI sees it at once.
  const auto shown = gw.gw({"route", "get", "shop", "-o", "json"});
  REQUIRE(shown.exit_code == 0);
  CHECK(Json::parse(shown.out)["hosts"][0] == "shop.test");

  // A 50/50 split, then reads of every kind.
  Json split = {
      {"revision", outcome["revision"]},
      {"item", route("shop", Json::array({{{"service", "frontend"}, {"weight", 50}},
                                          {{"service", "frontendv2"}, {"weight", 50}}}))}};
  REQUIRE(dash.call("PUT", "/api/v1/routes/shop", split).status == 200);
  CHECK(configJson(gw)["routes"][0]["destinations"][1]["weight"] == 50);
  const Json routes = DashboardClient::json(dash.call("GET", "/api/v1/routes"));
  CHECK(routes["items"].size() == 1);
  CHECK(routes["revision"] == configJson(gw)["revision"]);
  CHECK(DashboardClient::json(dash.call("GET", "/api/v1/services"))["items"].size() == 2);
  CHECK(DashboardClient::json(dash.call("GET", "/api/v1/gateways"))["items"][0]["name"] == "edge");
  CHECK(dash.call("GET", "/api/v1/routes/nope").status == 404);
  CHECK(dash.call("GET", "/api/v1/config").status == 200);

  // A plan and a consumer on it, as objects of the document.
  REQUIRE(dash.call("PUT", "/api/v1/plans/gold", {{"item", {{"quota", "1000/month"}}}}).status ==
          200);
  REQUIRE(dash.call("PUT", "/api/v1/consumers/alice", {{"item", {{"plan", "gold"}}}}).status ==
          200);
  CHECK(configJson(gw)["consumers"][0]["plan"] == "gold");

  // Deleting a service a route uses is refused by validation, with the route's path named.
  const auto in_use = dash.call("DELETE", "/api/v1/services/frontendv2");
  CHECK(in_use.status == 422);
  CHECK(DashboardClient::json(in_use)["details"][0]["path"].get<std::string>().starts_with(
      "routes[0]"));
  REQUIRE(dash.call("DELETE", "/api/v1/routes/shop").status == 200);
  CHECK_FALSE(configJson(gw).contains("routes"));
  CHECK(dash.call("DELETE", "/api/v1/routes/shop").status == 404);
  // Every change is a revision of its own, as the CLI's are.
  const auto history = gw.gw({"config", "history", "-o", "json"});
  CHECK(Json::parse(history.out).size() >= 5);
}

TEST_CASE("dashboard: an invalid change answers 422 with field paths and saves nothing",
          "[dashboard]") {
  GwHome gw;
  prepare(gw);
  DashboardClient dash(gw);
  REQUIRE(dash.login());
  const std::string before = gw.config();

  const auto weights = dash.call(
      "PUT", "/api/v1/routes/shop",
      {{"item", route("shop", Json::array({{{"service", "frontend"}, {"weight", 60}},
                                           {{"service", "frontendv2"}, {"weight", -2}}}))}});
  REQUIRE(weights.status == 422);
  const Json refusal = DashboardClient::json(weights);
  CHECK(refusal["error"].get<std::string>().find("nothing was saved") != std::string::npos);
  bool named = false;
  for (const Json& detail : refusal["details"]) {
    if (detail["field"] == "destinations[1].weight") {
      named = true;
      CHECK(detail["path"] == "routes[0].destinations[1].weight");
      CHECK(detail["message"].get<std::string>().find("-2") != std::string::npos);
    }
  }
  CHECK(named);

  // An unknown key, as config.yaml would be told, and an unknown service.
  const auto typo = dash.call("PUT", "/api/v1/services/frontend",
                              {{"item", {{"endpoints", {"127.0.0.1:9"}}, {"loadBalancr", "x"}}}});
  CHECK(typo.status == 422);
  CHECK(DashboardClient::json(typo)["details"][0]["field"] == "loadBalancr");
  const auto unknown = dash.call("PUT", "/api/v1/routes/r",
                                 {{"item", route("r", Json::array({{{"service", "nope"}}}))}});
  CHECK(unknown.status == 422);
  CHECK(DashboardClient::json(unknown)["details"][0]["field"] == "destinations[0].service");

  // Bodies that are not what the API takes.
  CHECK(dash.call("PUT", "/api/v1/routes/r", Json::array()).status == 400);
  CHECK(dash.call("PUT", "/api/v1/routes/r", {{"item", route("other", Json::array())}}).status ==
        400);
  CHECK(dash.call("PUT", "/api/v1/nothing/r", {{"item", Json::object()}}).status == 404);
  CHECK(gw.config() == before);
}

TEST_CASE("dashboard: a change made against an older revision is refused", "[dashboard]") {
  GwHome gw;
  prepare(gw);
  DashboardClient dash(gw);
  REQUIRE(dash.login());
  const Json read = DashboardClient::json(dash.call("GET", "/api/v1/services/frontend"));
  const auto revision = read["revision"].get<int>();

  // Someone else changes the document meanwhile.
  REQUIRE(gw.gw({"service", "add", "api", "--endpoint", "127.0.0.1:9"}).exit_code == 0);
  const std::string before = gw.config();

  Json item = read["item"];
  item["loadBalancer"] = "least-request";
  const auto stale =
      dash.call("PUT", "/api/v1/services/frontend", {{"revision", revision}, {"item", item}});
  REQUIRE(stale.status == 409);
  const Json refusal = DashboardClient::json(stale);
  CHECK(refusal["revision"] == revision + 1);
  CHECK(refusal["error"].get<std::string>().find("changed meanwhile") != std::string::npos);
  CHECK(gw.config() == before);
  CHECK(dash.call("DELETE", "/api/v1/services/api?revision=" + std::to_string(revision)).status ==
        409);

  // Made again against the revision read now, it goes through.
  const auto retried =
      dash.call("PUT", "/api/v1/services/frontend", {{"revision", revision + 1}, {"item", item}});
  CHECK(retried.status == 200);
  CHECK(configJson(gw)["services"][0]["loadBalancer"] == "least-request");
}
