// gw plan and gw consumer --plan without a running proxy: what is saved and printed, and the
// refusals with the field named and nothing changed.

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "tests/cli/cli_home.hpp"

using gw::test::CliHome;

TEST_CASE("plan add, list, get, update and delete edit the document", "[cli][plan]") {
  CliHome home;
  auto added = home.gw({"plan", "add", "free", "--quota", "1000/day", "--rate-limit", "5/1s"});
  CHECK(added.exit_code == 0);
  CHECK(added.out == "plan \"free\" added (revision 1)\n");
  REQUIRE(home.gw({"plan", "add", "pro", "--quota", "50000/month", "--price-currency", "EUR",
                   "--price-monthly", "49", "--price-included", "40000", "--price-per-request",
                   "0.0015"})
              .exit_code == 0);
  REQUIRE(home.gw({"consumer", "add", "acme", "--plan", "free"}).exit_code == 0);

  const auto listed = home.gw({"plan", "list"});
  CHECK(listed.out.find("NAME  QUOTA        RATE LIMIT  PRICE") == 0);
  CHECK(listed.out.find("\nfree  1000/day     5/1s        -  ") != std::string::npos);
  CHECK(listed.out.find("49.00 EUR/month, 40000 included, then 0.0015 each") != std::string::npos);

  auto pro = nlohmann::json::parse(home.gw({"plan", "get", "pro", "-o", "json"}).out);
  CHECK(pro["quota"] == "50000/month");
  CHECK(pro["price"]["perRequest"] == "0.0015");
  CHECK(pro["price"]["monthly"] == "49.00");
  CHECK(home.config().find("  - name: acme\n    plan: free\n") != std::string::npos);

  REQUIRE(home.gw({"plan", "update", "free", "--quota", "2000/day", "--burst", "10"}).exit_code ==
          0);
  auto free = nlohmann::json::parse(home.gw({"plan", "get", "free", "-o", "json"}).out);
  CHECK(free["quota"] == "2000/day");
  CHECK(free["rateLimit"] == nlohmann::json{{"rate", "5/1s"}, {"burst", 10}});

  // A plan in use stays; a consumer moved off it lets it go.
  auto refused = home.gw({"plan", "delete", "free"});
  CHECK(refused.exit_code == 2);
  CHECK(refused.err.find("plan \"free\" is the plan of consumers acme; move them first") !=
        std::string::npos);
  REQUIRE(home.gw({"consumer", "update", "acme", "--plan", "pro"}).exit_code == 0);
  CHECK(home.gw({"plan", "delete", "free"}).exit_code == 0);
  CHECK(home.gw({"plan", "get", "free"}).exit_code == 3);
}

TEST_CASE("bad plans and plan names are refused with the field named and nothing saved",
          "[cli][plan]") {
  CliHome home;
  REQUIRE(home.gw({"plan", "add", "pro", "--quota", "100/day"}).exit_code == 0);
  REQUIRE(home.gw({"consumer", "add", "acme"}).exit_code == 0);
  const std::string before = home.config();

  auto r = home.gw({"plan", "add", "bad", "--quota", "100/week"});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("--quota: expected N/day or N/month such as 1000/day (got \"100/week\")") !=
        std::string::npos);
  r = home.gw({"plan", "add", "bad", "--rate-limit", "0/1s"});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("plans[1].rateLimit.rate: must admit at least 1 request (got 0/1s)") !=
        std::string::npos);
  r = home.gw({"plan", "update", "pro", "--price-per-request", "-0.5"});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("plans[0].price.perRequest: must not be negative (got -0.50)") !=
        std::string::npos);
  r = home.gw({"consumer", "update", "acme", "--plan", "gold"});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("consumers[0].plan: unknown plan \"gold\" (gw plan list shows them)") !=
        std::string::npos);
  CHECK(home.config() == before);
}
