// Usage metering, quotas and invoices through a running gw: consumers identified by API key,
// usage read back with `gw usage` (table, JSON, CSV), a plan's quota refusing until the UTC
// day ends (the proxy's calendar moved next to midnight), and a kill -9 under load that
// loses at most the last second and never counts a request twice.

#include <atomic>
#include <chrono>
#include <ctime>
#include <string>
#include <thread>
#include <vector>

#include "tests/integration/metered_story.hpp"

namespace gw::test {
namespace {

std::string thisMonth() {
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char text[16];
  std::strftime(text, sizeof text, "%Y-%m", &utc);
  return text;
}

}  // namespace

TEST_CASE("requests of identified consumers are metered, reported and invoiced", "[metering]") {
  MeteredStory m;
  m.story.must({"plan", "add", "pro", "--price-monthly", "10", "--price-included", "5",
                "--price-per-request", "0.5", "--price-currency", "EUR"});
  m.story.must({"consumer", "update", "acme", "--plan", "pro"});
  m.story.must({"consumer", "add", "bob"});
  const std::string bob = m.story.createKey("bob");

  CHECK(countOf(m.burst(8), 200) == 8);
  CHECK(countOf(burstOf(m.story.port(), 3, {"-H", "x-api-key: " + bob}), 200) == 3);
  CHECK(countOf(burstOf(m.story.port(), 2), 401) == 2);  // nobody: not metered
  // A request the backend fails is billable (it passed the gateway), with its status class.
  CHECK(m.story.get("shop.test", "/fail?status=503", {"-H", "x-api-key: " + m.key}).status == 503);

  const auto acme = m.usageWhen({"--consumer", "acme"}, [](const nlohmann::json& rows) {
    return sumOf(rows, "requests") >= 9;
  });
  REQUIRE(acme.size() == 1);
  CHECK(acme[0]["consumer"] == "acme");
  CHECK(acme[0]["route"] == "shop");
  CHECK(acme[0]["requests"] == 9);
  CHECK(acme[0]["billable"] == 9);
  CHECK(acme[0]["2xx"] == 8);
  CHECK(acme[0]["5xx"] == 1);
  CHECK(acme[0]["bytesOut"].get<std::int64_t>() > 0);
  const auto all = m.usageWhen(
      {"--by", "month"}, [](const nlohmann::json& rows) { return sumOf(rows, "requests") >= 12; });
  CHECK(sumOf(all, "requests") == 12);  // acme's 9 and bob's 3; the anonymous 2 are not usage
  CHECK(all[0]["month"] == thisMonth());

  const std::string table = m.story.must({"usage", "--consumer", "acme"});
  CHECK(table.find("CONSUMER") != std::string::npos);
  CHECK(table.find("acme") != std::string::npos);

  // acme: 10 EUR for 5 requests, 4 more at 0.5. bob has no plan: usage, no amount.
  const std::string csv = m.story.must({"usage", "invoice", "--period", thisMonth(), "-o", "csv"});
  INFO(csv);
  CHECK(csv.find("period,consumer,plan,requests,billable,included,overage,amount,currency\r\n") ==
        0);
  CHECK(csv.find(thisMonth() + ",acme,pro,9,9,5,4,12.00,EUR\r\n") != std::string::npos);
  CHECK(csv.find(thisMonth() + ",bob,,3,3,0,0,0.00,\r\n") != std::string::npos);

  const RunResult bad = m.story.home().gw({"usage", "invoice", "--period", "2026-13"});
  CHECK(bad.exit_code == 2);
  CHECK(bad.err.find("--period: expected a month such as 2026-11") != std::string::npos);
}

TEST_CASE("a plan's quota refuses with 429 until the UTC day ends, then admits again",
          "[metering][quota]") {
  // The proxy's calendar is moved so that its day ends 12 s from now.
  const std::int64_t now = std::time(nullptr);
  const std::int64_t midnight = (now / 86400 + 1) * 86400;
  const std::int64_t ends_at = now + 12;  // on this machine's clock
  const std::int64_t offset = midnight - ends_at;
  MeteredStory m({"GW_CLOCK_OFFSET=" + std::to_string(offset)});
  m.story.must({"plan", "add", "free", "--quota", "3/day"});
  m.story.must({"consumer", "update", "acme", "--plan", "free"});

  const auto codes = m.burst(5);
  CHECK(countOf(codes, 200) == 3);
  CHECK(countOf(codes, 429) == 2);
  const HttpResponse refused = m.story.get("shop.test", "/_echo", {"-H", "x-api-key: " + m.key});
  REQUIRE(refused.status == 429);
  CHECK(refused.header("x-gw-error") == "quota_exceeded");
  const std::int64_t until_midnight = ends_at - static_cast<std::int64_t>(std::time(nullptr));
  const int retry_after = std::stoi(refused.header("retry-after"));
  CHECK(retry_after >= 1);
  CHECK(retry_after <= until_midnight + 1);
  CHECK(retry_after >= until_midnight - 2);

  // The refusals are not usage that counts: 3 billable of 6 requests.
  const auto rows = m.usageWhen({"--consumer", "acme"},
                                [](const nlohmann::json& r) { return sumOf(r, "requests") >= 6; });
  CHECK(sumOf(rows, "billable") == 3);

  // After the day's end (in the proxy's calendar), the quota is whole again.
  std::this_thread::sleep_for(std::chrono::seconds(retry_after) + 500ms);
  CHECK(countOf(m.burst(4), 200) == 3);
  const auto days = m.usageWhen({"--consumer", "acme"}, [](const nlohmann::json& r) {
    return r.size() >= 2 && sumOf(r, "requests") >= 10;
  });
  REQUIRE(days.size() == 2);  // one row per UTC day
  CHECK(days[0]["billable"] == 3);
  CHECK(days[1]["billable"] == 3);
}

TEST_CASE("kill -9 under load loses at most the last second of usage and counts none twice",
          "[metering]") {
  MeteredStory m;
  std::atomic<bool> stop{false};
  std::vector<std::thread> clients;
  clients.reserve(4);
  for (int c = 0; c < 4; ++c) {
    clients.emplace_back([&] {
      for (int round = 0; round < 200 && !stop; ++round) {
        m.burst(20);
      }
    });
  }
  std::this_thread::sleep_for(2500ms);
  const pid_t pid = m.story.home().proxyPid();
  REQUIRE(pid > 0);
  ::kill(pid, SIGKILL);
  const auto killed_at = std::chrono::steady_clock::now();
  stop = true;
  for (auto& client : clients) {
    client.join();
  }
  // What the backend answered through gw (its own count), against what gw had stored.
  const HttpResponse counted = httpGet(m.story.backend().port(), "app", "/_count");
  REQUIRE(counted.status == 200);
  const std::int64_t served = std::stoll(counted.body);
  const auto rows = nlohmann::json::parse(m.story.must({"usage", "-o", "json"}));
  const std::int64_t metered = sumOf(rows, "requests");
  INFO("served " << served << ", metered " << metered);
  REQUIRE(served > 0);
  CHECK(metered <= served);
  // The load ran 2.5 s: what was lost is at most what one second (the last flush's half
  // second, and its write) of it carried.
  const double per_second = static_cast<double>(served) / 2.5;
  CHECK(static_cast<double>(served - metered) <= per_second);
  CHECK(std::chrono::steady_clock::now() - killed_at < 60s);

  // The proxy comes back (gw install) and adds to what was stored, never again the same.
  m.story.must({"install"});
  REQUIRE(waitForPort(m.story.port()));
  CHECK(countOf(m.burst(10), 200) == 10);
  const auto after = m.usageWhen(
      {}, [&](const nlohmann::json& r) { return sumOf(r, "requests") >= metered + 10; });
  CHECK(sumOf(after, "requests") == metered + 10);
}

}  // namespace gw::test
