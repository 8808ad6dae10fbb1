// The answer of an aggregate route, from its backends' outcomes: groups, top-level merges and
// their fields, and every failure visible (x-gw-completed: false and _errors, or a 502 when a
// required backend, or every one, failed). And each backend's target filled from the request.

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <regex>

#include "proxy/aggregate/merge.hpp"
#include "proxy/aggregate/target.hpp"

using namespace gw::proxy::aggregate;
using gw::core::Aggregate;
using gw::core::AggregateBackend;
using Json = nlohmann::json;

namespace {

Aggregate threeBackends() {
  Aggregate a;
  a.backends = {
      {"", "users", "/users/{1}", "user", {}, true},
      {"orders", "orders", "/orders", "orders", {}, false},
      {"", "flags", "/flags", "", {"beta", "theme"}, false},
  };
  return a;
}

Outcome ok(std::string body) { return Outcome{true, std::move(body), ""}; }
Outcome failed(std::string why) { return Outcome{false, "", std::move(why)}; }

}  // namespace

TEST_CASE("every backend answering gives one object, complete", "[aggregate]") {
  const Merged m = merge(threeBackends(), {ok(R"({"id":7,"name":"Ada"})"), ok(R"([1,2])"),
                                           ok(R"({"beta":true,"theme":"dark","secret":1})")});
  CHECK(m.status == 200);
  CHECK(m.completed);
  const Json body = Json::parse(m.body);
  CHECK(body["user"] == Json{{"id", 7}, {"name", "Ada"}});
  CHECK(body["orders"] == Json::array({1, 2}));
  CHECK(body["beta"] == true);
  CHECK(body["theme"] == "dark");
  CHECK_FALSE(body.contains("secret"));  // not among the backend's fields
  CHECK_FALSE(body.contains("_errors"));
}

TEST_CASE("an optional backend failing leaves the answer incomplete, and says why", "[aggregate]") {
  const Merged m = merge(threeBackends(), {ok(R"({"id":7})"), failed("timed out after 2s"),
                                           ok("<html>not json</html>")});
  CHECK(m.status == 200);
  CHECK_FALSE(m.completed);
  const Json body = Json::parse(m.body);
  CHECK(body["user"]["id"] == 7);
  CHECK_FALSE(body.contains("orders"));
  CHECK(body["_errors"]["orders"] == "timed out after 2s");
  CHECK(body["_errors"]["flags"] == "answered with something that is not JSON");
}

TEST_CASE("a required backend failing, or all of them, is a 502", "[aggregate]") {
  const Merged required = merge(threeBackends(), {failed("answered 503"), ok("[]"), ok("{}")});
  CHECK(required.status == 502);
  CHECK_FALSE(required.completed);
  const Json body = Json::parse(required.body);
  CHECK(body["error"] == "aggregate_failed");
  CHECK(body["_errors"]["user"] == "answered 503");
  CHECK_FALSE(body.contains("orders"));  // no partial data in a failure

  Aggregate optional = threeBackends();
  optional.backends[0].required = false;
  const Merged all = merge(optional, {failed("connection refused"), failed("answered 500"),
                                      failed("timed out after 2s")});
  CHECK(all.status == 502);
  CHECK(Json::parse(all.body)["_errors"].size() == 3);
}

TEST_CASE("an ungrouped backend must answer an object; a grouped one any JSON", "[aggregate]") {
  Aggregate a;
  a.backends = {{"", "a", "/a", "", {}, false}, {"", "b", "/b", "count", {}, false}};
  const Merged m = merge(a, {ok("[1]"), ok("42")});
  CHECK_FALSE(m.completed);
  const Json body = Json::parse(m.body);
  CHECK(body["count"] == 42);
  CHECK(body["_errors"]["a"].get<std::string>().find("not an object") != std::string::npos);
  // A group wins over a key an open merge brings; null is a value like any other.
  const Merged both = merge(a, {ok(R"({"count":1,"x":2})"), ok("null")});
  CHECK(both.completed);
  CHECK(Json::parse(both.body) == Json{{"count", nullptr}, {"x", 2}});
}

TEST_CASE("a backend's target is filled from the request as sent", "[aggregate]") {
  std::vector<gw::core::TemplatePart> parts;
  std::string why;
  REQUIRE(gw::core::parsePathTemplate("/orders/{1}?user={query.user}&all={query}&p={path}", parts,
                                      why));
  const std::regex route(R"(^/account/([0-9]+)$)");
  const std::string_view target = "/account/42?user=a%20b&x=1";
  const std::string_view path = target.substr(0, target.find('?'));
  Captures captures;
  REQUIRE(std::regex_match(path.begin(), path.end(), captures, route));
  CHECK(expandTarget(parts, target, captures) ==
        "/orders/42?user=a%20b&all=user=a%20b&x=1&p=/account/42");
  // What the request does not have is left empty.
  CHECK(expandTarget(parts, "/account/42", Captures{}) == "/orders/?user=&all=&p=/account/42");
  CHECK(queryParam("a=1&b=&c", "b") == std::string_view{});
  CHECK(queryParam("a=1&b=&c", "c") == std::string_view{});
  CHECK_FALSE(queryParam("a=1", "z"));
}
