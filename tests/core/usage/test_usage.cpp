// The usage stores (a real SQLite file in a temporary folder, a real redis-server on a free
// loopback port), the UTC calendar and invoices.

#include <sys/stat.h>

#include <catch2/catch.hpp>

#include "core/usage/calendar.hpp"
#include "core/usage/invoice.hpp"
#include "core/usage/redis_store.hpp"
#include "core/usage/sqlite_store.hpp"
#include "tests/support/process.hpp"
#include "tests/support/redis_server.hpp"

namespace gw::usage {
namespace {

Delta delta(const std::string& day, const std::string& consumer, const std::string& route,
            int status_class, std::int64_t requests, std::int64_t refused = 0) {
  Delta d{day, consumer, route, status_class, {}};
  d.counts.requests = requests;
  d.counts.refused = refused;
  d.counts.bytes_out = requests * 100;
  d.counts.latency_us = requests * 2000;
  d.counts.latency_max_us = 5000;
  return d;
}

// Two batches of usage over two days, two consumers and three status classes.
void addSample(Store& store) {
  REQUIRE(store.add(Batch{
      "b-1",
      {delta("2026-11-29", "acme", "shop", 2, 10), delta("2026-11-30", "acme", "shop", 2, 5),
       delta("2026-11-30", "acme", "shop", 4, 3, 3), delta("2026-11-30", "bob", "open", 5, 1)}}));
  REQUIRE(store.add(Batch{"b-2", {delta("2026-11-30", "acme", "shop", 2, 2)}}));  // adds
}

// What addSample() stored, read back grouped by day and by month.
void checkSample(Store& reader) {
  auto days = reader.summarize(Query{"acme", "", "", "", false});
  REQUIRE(days);
  REQUIRE(days->size() == 2);
  CHECK((*days)[0].period == "2026-11-29");
  CHECK((*days)[0].counts.requests == 10);
  CHECK((*days)[1].period == "2026-11-30");
  CHECK((*days)[1].counts.requests == 10);
  CHECK((*days)[1].counts.refused == 3);
  CHECK((*days)[1].by_class[2] == 7);
  CHECK((*days)[1].by_class[4] == 3);
  CHECK((*days)[1].counts.latency_max_us == 5000);
  CHECK((*days)[1].counts.latency_us == 10 * 2000);

  auto months = reader.summarize(Query{"", "", "2026-11-30", "2026-11-30", true});
  REQUIRE(months);
  REQUIRE(months->size() == 2);
  CHECK((*months)[0].period == "2026-11");
  CHECK((*months)[0].consumer == "acme");
  CHECK((*months)[0].counts.requests == 10);
  CHECK((*months)[1].consumer == "bob");

  CHECK(reader.admitted("acme", "2026-11-01", "2026-11-30").value() == 20 - 3);
  CHECK(reader.admitted("acme", "2026-11-30", "2026-11-30").value() == 7);
  CHECK(reader.admitted("nobody", "2026-11-01", "2026-11-30").value() == 0);
}

}  // namespace

TEST_CASE("the usage calendar is UTC days and months", "[usage]") {
  CHECK(dayText(dayNumber(0)) == "1970-01-01");
  CHECK(dayText(dayNumber(1'796'083'199)) == "2026-11-30");  // 23:59:59 UTC
  CHECK(dayText(dayNumber(1'796'083'200)) == "2026-12-01");
  CHECK(parseDay("2026-11-30") == dayNumber(1'796'083'199));
  CHECK_FALSE(parseDay("2026-02-30"));
  CHECK_FALSE(parseDay("2026-1-30"));
  CHECK(monthText(*parseDay("2026-11-30")) == "2026-11");
  CHECK(parseMonth("2026-11") == parseDay("2026-11-01"));
  CHECK_FALSE(parseMonth("2026-13"));
  CHECK(nextMonthStart(*parseDay("2026-12-31")) == parseDay("2027-01-01"));
  CHECK(monthNumber(*parseDay("2026-12-31")) + 1 == monthNumber(*parseDay("2027-01-01")));
  CHECK(dayEnd(1'796'083'190) == 1'796'083'200);
  CHECK(monthEnd(1'796'083'190) == 1'796'083'200);  // November's last second: December next
  CHECK(monthEnd(1'796'083'200) == *parseDay("2027-01-01") * 86400);
}

TEST_CASE("usage adds up in the store, one transaction per flush, and reads back grouped",
          "[usage]") {
  test::TempDir dir;
  const std::string path = (dir.path() / "usage.db").string();
  {
    auto store = SqliteStore::open(path, SqliteStore::Mode::kWrite);
    REQUIRE(store);
    addSample(**store);
  }
  struct stat info {};
  REQUIRE(::stat(path.c_str(), &info) == 0);
  CHECK((info.st_mode & 0777) == 0600);

  auto reader = SqliteStore::open(path, SqliteStore::Mode::kRead);
  REQUIRE(reader);
  checkSample(**reader);

  // A store that was never written reads as empty.
  auto missing = SqliteStore::open((dir.path() / "none.db").string(), SqliteStore::Mode::kRead);
  REQUIRE(missing);
  CHECK((*missing)->summarize(Query{}).value().empty());
  // So does one the proxy has just made, before its table is there (an empty file).
  test::writeText(dir.path() / "new.db", "");
  auto fresh = SqliteStore::open((dir.path() / "new.db").string(), SqliteStore::Mode::kRead);
  REQUIRE(fresh);
  CHECK((*fresh)->summarize(Query{}).value().empty());
  CHECK((*fresh)->admitted("acme", "2026-11-01", "2026-11-30").value() == 0);
}

TEST_CASE("a flush that fails part way adds nothing at all", "[usage]") {
  test::TempDir dir;
  const std::string path = (dir.path() / "usage.db").string();
  auto store = SqliteStore::open(path, SqliteStore::Mode::kWrite);
  REQUIRE(store);
  REQUIRE((*store)->add(Batch{"b-1", {delta("2026-11-30", "acme", "shop", 2, 1)}}));
  // The second row breaks the table's rule (no negative count): the first is not kept.
  const auto failed = (*store)->add(Batch{
      "b-2",
      {delta("2026-11-30", "acme", "shop", 2, 4), delta("2026-11-30", "acme", "open", 2, -1)}});
  REQUIRE_FALSE(failed);
  CHECK(failed.error().message.find(path) != std::string::npos);
  CHECK((*store)->admitted("acme", "2026-11-30", "2026-11-30").value() == 1);
  // And the store goes on working.
  REQUIRE((*store)->add(Batch{"b-2", {delta("2026-11-30", "acme", "shop", 2, 4)}}));
  CHECK((*store)->admitted("acme", "2026-11-30", "2026-11-30").value() == 5);
}

TEST_CASE("usage in Redis adds up as in SQLite, and a batch applied again counts once",
          "[usage][redis]") {
  test::RedisServer server;
  core::RedisStore settings;
  settings.address = server.address();
  RedisStore store(settings);
  addSample(store);
  checkSample(store);
  // A retried batch (its first answer lost to a timeout) adds nothing the second time.
  REQUIRE(store.add(Batch{"b-2", {delta("2026-11-30", "acme", "shop", 2, 2)}}));
  CHECK(store.admitted("acme", "2026-11-30", "2026-11-30").value() == 7);

  // A batch of several script parts: each lands once, however often it is sent.
  Batch big{"b-3", {}};
  for (int i = 0; i < 600; ++i) {
    big.deltas.push_back(delta("2026-12-01", "c" + std::to_string(i), "shop", 2, 1));
  }
  REQUIRE(store.add(big));
  REQUIRE(store.add(big));
  auto day = store.summarize(Query{"", "", "2026-12-01", "2026-12-01", false});
  REQUIRE(day);
  REQUIRE(day->size() == 600);
  std::int64_t requests = 0;
  for (const Summary& row : *day) {
    requests += row.counts.requests;
  }
  CHECK(requests == 600);

  // Another gateway (or gw usage) sharing the server reads the same.
  RedisStore other(settings);
  checkSample(other);
  CHECK(
      other.admittedMany({{"acme", "2026-11-01", "2026-11-30"}, {"c7", "2026-12-01", "2026-12-31"}})
          .value() == std::vector<std::int64_t>{17, 1});
  auto open = other.summarize(Query{"", "open", "", "", true});
  REQUIRE(open);
  REQUIRE(open->size() == 1);
  CHECK((*open)[0].consumer == "bob");
  CHECK((*open)[0].by_class[5] == 1);
}

TEST_CASE("a Redis store that is down or refuses the password says so, at once", "[usage][redis]") {
  test::RedisServer server;
  core::RedisStore settings;
  settings.address = server.address();
  settings.password = "not-the-password";
  RedisStore refused(settings);
  const auto auth = refused.admitted("acme", "2026-11-01", "2026-11-30");
  REQUIRE_FALSE(auth);
  CHECK(auth.error().message.find("redis " + server.address() + ": AUTH") != std::string::npos);

  server.stop();
  settings.password.clear();
  RedisStore down(settings);
  const auto started = std::chrono::steady_clock::now();
  const auto read = down.summarize(Query{});
  REQUIRE_FALSE(read);
  CHECK(read.error().message.find("connect") != std::string::npos);
  CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(1));
  CHECK_FALSE(down.add(Batch{"b-1", {delta("2026-11-30", "acme", "shop", 2, 1)}}));
}

TEST_CASE("an invoice bills each consumer's plan fee and overage", "[usage]") {
  core::Config config;
  core::Plan pro;
  pro.name = "pro";
  pro.price = core::Price{"EUR", 49'000'000, 1000, 1'000};  // 49, 1000 included, 0.001 each
  config.plans.push_back(pro);
  core::Plan free;
  free.name = "free";
  config.plans.push_back(free);
  for (const auto& [name, plan] : std::vector<std::pair<std::string, std::string>>{
           {"acme", "pro"}, {"bob", "free"}, {"carol", "pro"}}) {
    core::Consumer c;
    c.name = name;
    c.plan = plan;
    config.consumers.push_back(c);
  }
  std::vector<Summary> month;
  Summary acme{"2026-11", "acme", "shop", {}, {}};
  acme.counts.requests = 1600;
  acme.counts.refused = 100;
  month.push_back(acme);
  Summary bob{"2026-11", "bob", "shop", {}, {}};
  bob.counts.requests = 7;
  month.push_back(bob);

  const auto lines = invoice(config, month);
  REQUIRE(lines.size() == 3);
  CHECK(lines[0].consumer == "acme");
  CHECK(lines[0].plan == "pro");
  CHECK(lines[0].billable == 1500);
  CHECK(lines[0].overage == 500);
  CHECK(lines[0].amount == 49'500'000);  // 49 + 500 x 0.001
  CHECK(lines[0].currency == "EUR");
  CHECK(lines[1].consumer == "bob");  // no price: its usage, no amount
  CHECK(lines[1].amount == 0);
  CHECK(lines[1].currency.empty());
  CHECK(lines[2].consumer == "carol");  // no usage: the fee alone
  CHECK(lines[2].requests == 0);
  CHECK(lines[2].amount == 49'000'000);
}

}  // namespace gw::usage
