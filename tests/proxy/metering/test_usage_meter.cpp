// The usage meter on a real SQLite file: counts from several worker threads land once each,
// survive a restart (the quota counters start from them), and each request can leave one
// CloudEvents line with a unique id.

#include <catch2/catch.hpp>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <thread>
#include <vector>

#include "core/usage/calendar.hpp"
#include "core/usage/sqlite_store.hpp"
#include "proxy/metering/usage_meter.hpp"
#include "tests/support/process.hpp"

namespace gw::proxy::metering {
namespace {

std::int64_t today(const UsageMeter& meter) { return usage::dayNumber(meter.now()); }

std::int64_t admitted(const std::string& path, const std::string& consumer) {
  auto store = usage::SqliteStore::open(path, usage::Store::Mode::kRead);
  REQUIRE(store);
  return (*store)->admitted(consumer, "1970-01-01", "2999-12-31").value();
}

}  // namespace

TEST_CASE("a quota counter admits exactly its limit from 8 threads, then a new period",
          "[metering]") {
  QuotaCounter counter(100, 0);
  std::atomic<int> admitted{0};
  std::vector<std::thread> threads;
  threads.reserve(8);
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 500; ++i) {
        admitted += counter.take(100, 1000) ? 1 : 0;
      }
    });
  }
  for (auto& thread : threads) {
    thread.join();
  }
  CHECK(admitted == 1000);
  CHECK(counter.used(100) == 1000);
  counter.giveBack(100);
  CHECK(counter.take(100, 1000));
  CHECK_FALSE(counter.take(100, 1000));
  CHECK(counter.take(101, 1000));  // the next day starts from zero
  CHECK(counter.used(101) == 1);
  CHECK(counter.used(100) == 0);
  counter.giveBack(100);  // a unit of a period gone by is not given to the new one
  CHECK(counter.used(101) == 1);
}

TEST_CASE("usage from every worker is stored once, and a restart's quota starts from it",
          "[metering]") {
  test::TempDir dir;
  const std::string db = (dir.path() / "usage.db").string();
  const std::string events = (dir.path() / "events.jsonl").string();
  {
    UsageMeter meter({db, 4, std::chrono::milliseconds(50), 0});
    core::Config config;
    config.metering.events = events;
    meter.configure(config);
    const std::uint32_t acme = meter.idFor("acme");
    const std::uint32_t shop = meter.idFor("shop");
    std::vector<std::thread> workers;
    workers.reserve(4);
    for (int w = 0; w < 4; ++w) {
      workers.emplace_back([&, w] {
        for (int i = 0; i < 2500; ++i) {
          UsageRecord r;
          r.consumer = acme;
          r.route = shop;
          r.status = i % 10 == 0 ? 429 : 200;
          r.refused = i % 10 == 0;
          r.bytes_out = 10;
          r.micros = 100;
          r.consumer_name = "acme";
          r.route_name = "shop";
          r.request_id = "id\"with-quote";
          meter.record(w, r);
        }
      });
    }
    for (auto& worker : workers) {
      worker.join();
    }
    REQUIRE(meter.flush());
    REQUIRE(meter.flush());  // nothing new: nothing added twice
    CHECK(admitted(db, "acme") == 9000);
    auto counter = meter.quotaCounter(core::Config{}, "acme", core::Quota::Period::kDay);
    CHECK(counter->used(today(meter)) == 9000);
  }
  auto store = usage::SqliteStore::open(db, usage::Store::Mode::kRead);
  auto rows = (*store)->summarize(usage::Query{});
  REQUIRE(rows);
  REQUIRE(rows->size() == 1);
  CHECK((*rows)[0].counts.requests == 10000);
  CHECK((*rows)[0].by_class[4] == 1000);
  CHECK((*rows)[0].counts.bytes_out == 100000);

  // A new process (a restart) counts the quota on from the stored usage.
  UsageMeter again({db, 2, std::chrono::milliseconds(50), 0});
  auto counter = again.quotaCounter(core::Config{}, "acme", core::Quota::Period::kMonth);
  const std::int64_t month = usage::monthNumber(today(again));
  CHECK(counter->used(month) == 9000);
  CHECK(counter->take(month, 9001));
  CHECK_FALSE(counter->take(month, 9001));

  // One event line per request, each a CloudEvent with its own id.
  std::istringstream lines(test::readText(events));
  std::set<std::string> ids;
  int count = 0;
  for (std::string line; std::getline(lines, line); ++count) {
    const auto event = nlohmann::json::parse(line);
    CHECK(event["specversion"] == "1.0");
    CHECK(event["type"] == "gw.usage.request");
    CHECK(event["subject"] == "acme");
    CHECK(event["data"]["requestId"] == "id\"with-quote");
    ids.insert(event["id"].get<std::string>());
  }
  CHECK(count == 10000);
  CHECK(ids.size() == 10000);
}

TEST_CASE("a meter that counts nothing makes no usage file", "[metering]") {
  test::TempDir dir;
  const auto db = dir.path() / "usage.db";
  {
    UsageMeter meter({db.string(), 2, std::chrono::milliseconds(20), 0});
    std::this_thread::sleep_for(std::chrono::milliseconds(100));  // a few flushes
    REQUIRE(meter.flush());
  }
  CHECK_FALSE(std::filesystem::exists(db));
}

TEST_CASE("the metering calendar can be moved for tests of a period's end", "[metering]") {
  UsageMeter meter({"", 1, std::chrono::milliseconds(50), 86400});
  CHECK(meter.now() - std::time(nullptr) >= 86399);
  CHECK(meter.now() - std::time(nullptr) <= 86401);
}

}  // namespace gw::proxy::metering
