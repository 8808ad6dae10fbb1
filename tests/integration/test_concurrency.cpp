// Concurrent commands serialize and lose nothing; reloads lose no request.
#include <catch2/catch.hpp>
#include <future>
#include <nlohmann/json.hpp>

#include "tests/integration/gw_home.hpp"

using namespace gw::test;

TEST_CASE("20 route adds run in parallel leave 20 routes", "[concurrency]") {
  EchoBackend backend("app");
  GwHome gw;
  REQUIRE(gw.gw({"install"}).exit_code == 0);
  REQUIRE(gw.gw({"service", "add", "app", "--endpoint", backend.endpoint()}).exit_code == 0);
  const auto port = freePort();
  REQUIRE(gw.createEdge(port).exit_code == 0);

  std::vector<std::future<RunResult>> adds;
  adds.reserve(20);
  for (int i = 0; i < 20; ++i) {
    adds.push_back(std::async(std::launch::async, [&gw, i] {
      const auto name = "r" + std::to_string(i);
      return gw.gw(
          {"route", "add", name, "--gateway", "edge", "--host", name + ".test", "--to", "app"});
    }));
  }
  for (auto& f : adds) {
    const auto r = f.get();
    CHECK(r.exit_code == 0);
    // NOLINTNEXTLINE(readability-container-size-empty): Catch2 prints both sides of ==
    CHECK(r.err == "");
  }
  const auto list = gw.gw({"route", "list", "-o", "json"});
  REQUIRE(list.exit_code == 0);
  CHECK(nlohmann::json::parse(list.out).size() == 20);
  // The proxy serves the last revision: every one of the 20 hosts routes.
  for (int i = 0; i < 20; ++i) {
    CHECK(httpGet(port, "r" + std::to_string(i) + ".test", "/").status == 200);
  }
}

TEST_CASE("reloads during a stream of requests lose none", "[concurrency]") {
  EchoBackend a("a");
  EchoBackend b("b");
  GwHome gw;
  const auto port = freePort();
  REQUIRE(gw.gw({"install"}).exit_code == 0);
  REQUIRE(gw.gw({"service", "add", "a", "--endpoint", a.endpoint()}).exit_code == 0);
  REQUIRE(gw.gw({"service", "add", "b", "--endpoint", b.endpoint()}).exit_code == 0);
  REQUIRE(gw.createEdge(port).exit_code == 0);
  REQUIRE(gw.gw({"route", "add", "app", "--gateway", "edge", "--host", "app.test", "--to", "a"})
              .exit_code == 0);

  // Two clients, 300 keep-alive requests each, while the route flips between services.
  auto client = [port] { return fetchMany(port, "app.test", "/", 300); };
  auto c1 = std::async(std::launch::async, client);
  auto c2 = std::async(std::launch::async, client);
  int reloads = 0;
  for (int i = 0; i < 10; ++i) {
    const auto r = gw.gw({"route", "update", "app", "--to", i % 2 == 0 ? "b" : "a"});
    reloads += r.exit_code == 0 ? 1 : 0;
  }
  CHECK(reloads == 10);
  for (auto* f : {&c1, &c2}) {
    const auto answers = f->get();
    CHECK(answers.size() == 300);
    for (const auto& answer : answers) {
      const bool ok = answer == "a|200" || answer == "b|200";
      CHECK(ok);
      if (!ok) {
        break;
      }
    }
  }
}
