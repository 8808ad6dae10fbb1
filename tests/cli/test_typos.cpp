// What a user who mistypes gets: the misspelt word named, a did-you-mean, exit 2 and nothing
// changed; and flags that contradict each other refused rather than one silently dropped.

#include <catch2/catch.hpp>

#include "tests/cli/cli_home.hpp"

using gw::test::CliHome;

namespace {

bool startsWith(const std::string& text, const std::string& prefix) {
  return text.rfind(prefix, 0) == 0;
}

}  // namespace

TEST_CASE("a misspelt flag is named with a did-you-mean, whatever else is missing",
          "[cli][typos]") {
  CliHome home;
  home.seed();
  const std::string before = home.config();
  // Without the check, add said "--gateway is required" and list blamed a stray "g".
  auto add = home.gw({"route", "add", "r", "--gatway", "shop-ingress", "--to", "frontend"});
  CHECK(add.exit_code == 2);
  CHECK(startsWith(add.err, "error: unknown flag --gatway (did you mean --gateway?)\n"));
  CHECK(add.err.find("see 'gw route add --help'") != std::string::npos);
  auto list = home.gw({"route", "list", "--gatway", "shop-ingress"});
  CHECK(list.exit_code == 2);
  CHECK(startsWith(list.err, "error: unknown flag --gatway (did you mean --gateway?)\n"));
  auto value = home.gw({"gateway", "create", "g2", "--prot=http:9090"});
  CHECK(value.exit_code == 2);
  CHECK(startsWith(value.err, "error: unknown flag --prot (did you mean --port?)\n"));
  auto far = home.gw({"service", "list", "--frobnicate"});
  CHECK(far.exit_code == 2);
  CHECK(startsWith(far.err, "error: unknown flag --frobnicate\n"));
  CHECK(home.config() == before);
}

TEST_CASE("global flags and values that look like flags are not typos", "[cli][typos]") {
  CliHome home;
  home.seed();
  CHECK(home.gw({"route", "list", "-o", "json"}).exit_code == 0);
  CHECK(home.gw({"route", "list", "-ojson"}).exit_code == 0);
  CHECK(home.gw({"route", "list", "--output=yaml", "-q"}).exit_code == 0);
  // A value after "--" is never a flag.
  auto body = home.gw({"route", "add", "teapot", "--gateway", "shop-ingress", "--host", "tea.test",
                       "--direct-response", "418", "--body", "--", "--not-a-flag"});
  CHECK(body.err.find("unknown flag") == std::string::npos);
}

TEST_CASE("a misspelt command gets a did-you-mean and the list of commands", "[cli][typos]") {
  CliHome home;
  auto r = home.gw({"route", "lst"});
  CHECK(r.exit_code == 2);
  CHECK(startsWith(r.err, "error: unknown command \"lst\" (did you mean list?) (one of: add, "));
  auto top = home.gw({"gatway", "list"});
  CHECK(top.exit_code == 2);
  CHECK(startsWith(top.err, "error: unknown command \"gatway\" (did you mean gateway?)"));
}

TEST_CASE("a route forwards, redirects or answers: two at once is refused", "[cli][typos]") {
  CliHome home;
  home.seed();
  const std::string before = home.config();
  auto both =
      home.gw({"route", "update", "shop", "--to", "frontendv2", "--direct-response", "503"});
  CHECK(both.exit_code == 2);
  CHECK(startsWith(both.err, "error: --to and --direct-response cannot go together"));
  auto three = home.gw({"route", "add", "x", "--gateway", "shop-ingress", "--host", "x.test",
                        "--redirect", "/v2", "--to", "frontend"});
  CHECK(three.exit_code == 2);
  CHECK(startsWith(three.err, "error: --to and --redirect cannot go together"));
  CHECK(home.config() == before);
  // Removing a redirect while setting destinations is one change, not two answers.
  CHECK(home.gw({"route", "update", "shop", "--redirect", "", "--to", "frontendv2"}).exit_code ==
        0);
}

TEST_CASE("a path alone is a redirect, and the flag keeps the query as the document does",
          "[cli][typos]") {
  CliHome home;
  home.seed();
  REQUIRE(home.gw({"route", "add", "old-api", "--gateway", "shop-ingress", "--host", "shop.test",
                   "--path", "/v1", "--redirect", "/v2"})
              .exit_code == 0);
  CHECK(home.config().find("    redirect: /v2\n") != std::string::npos);
  auto explained = home.gw({"route", "explain", "http://shop.test:8080/v1?page=2"});
  CHECK(explained.exit_code == 0);
  CHECK(explained.out.find("http://shop.test:8080/v2?page=2") != std::string::npos);
  REQUIRE(home.gw({"route", "update", "old-api", "--redirect-keep-query=false"}).exit_code == 0);
  CHECK(home.config().find("      keepQuery: false\n") != std::string::npos);
  auto bad = home.gw({"route", "update", "old-api", "--redirect", "v2"});
  CHECK(bad.exit_code == 2);
  CHECK(bad.err.find("or a path starting with /") != std::string::npos);
}
