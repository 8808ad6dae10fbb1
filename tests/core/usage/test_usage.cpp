// The usage store (a real SQLite file in a temporary folder), its UTC calendar and invoices.

#include <sys/stat.h>

#include <catch2/catch.hpp>

#include "core/usage/calendar.hpp"
#include "core/usage/invoice.hpp"
#include "core/usage/store.hpp"
#include "tests/support/process.hpp"

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
    auto store = Store::open(path, Store::Mode::kWrite);
    REQUIRE(store);
    REQUIRE((*store)->add(
        {delta("2026-11-29", "acme", "shop", 2, 10), delta("2026-11-30", "acme", "shop", 2, 5),
         delta("2026-11-30", "acme", "shop", 4, 3, 3), delta("2026-11-30", "bob", "open", 5, 1)}));
    REQUIRE((*store)->add({delta("2026-11-30", "acme", "shop", 2, 2)}));  // adds, not replaces
  }
  struct stat info {};
  REQUIRE(::stat(path.c_str(), &info) == 0);
  CHECK((info.st_mode & 0777) == 0600);

  auto reader = Store::open(path, Store::Mode::kRead);
  REQUIRE(reader);
  auto days = (*reader)->summarize(Query{"acme", "", "", "", false});
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

  auto months = (*reader)->summarize(Query{"", "", "2026-11-30", "2026-11-30", true});
  REQUIRE(months);
  REQUIRE(months->size() == 2);
  CHECK((*months)[0].period == "2026-11");
  CHECK((*months)[0].consumer == "acme");
  CHECK((*months)[0].counts.requests == 10);
  CHECK((*months)[1].consumer == "bob");

  CHECK((*reader)->admitted("acme", "2026-11-01", "2026-11-30").value() == 20 - 3);
  CHECK((*reader)->admitted("acme", "2026-11-30", "2026-11-30").value() == 7);
  CHECK((*reader)->admitted("nobody", "2026-11-01", "2026-11-30").value() == 0);

  // A store that was never written reads as empty.
  auto missing = Store::open((dir.path() / "none.db").string(), Store::Mode::kRead);
  REQUIRE(missing);
  CHECK((*missing)->summarize(Query{}).value().empty());
  // So does one the proxy has just made, before its table is there (an empty file).
  test::writeText(dir.path() / "new.db", "");
  auto fresh = Store::open((dir.path() / "new.db").string(), Store::Mode::kRead);
  REQUIRE(fresh);
  CHECK((*fresh)->summarize(Query{}).value().empty());
  CHECK((*fresh)->admitted("acme", "2026-11-01", "2026-11-30").value() == 0);
}

TEST_CASE("a flush that fails part way adds nothing at all", "[usage]") {
  test::TempDir dir;
  const std::string path = (dir.path() / "usage.db").string();
  auto store = Store::open(path, Store::Mode::kWrite);
  REQUIRE(store);
  REQUIRE((*store)->add({delta("2026-11-30", "acme", "shop", 2, 1)}));
  // The second row breaks the table's rule (no negative count): the first is not kept.
  const auto failed = (*store)->add(
      {delta("2026-11-30", "acme", "shop", 2, 4), delta("2026-11-30", "acme", "open", 2, -1)});
  REQUIRE_FALSE(failed);
  CHECK(failed.error().message.find(path) != std::string::npos);
  CHECK((*store)->admitted("acme", "2026-11-30", "2026-11-30").value() == 1);
  // And the store goes on working.
  REQUIRE((*store)->add({delta("2026-11-30", "acme", "shop", 2, 4)}));
  CHECK((*store)->admitted("acme", "2026-11-30", "2026-11-30").value() == 5);
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
