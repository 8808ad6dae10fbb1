// gw usage [--consumer C] [--route R] [--from D --to D] [--by day|month]: what identified
// consumers used, from the proxy's metering (<home>/usage.db, read while it writes).
// gw usage invoice --period YYYY-MM: per consumer, its plan's fee and overage for a month.

#include <iostream>

#include "cli/command.hpp"
#include "cli/flags.hpp"
#include "cli/mutate.hpp"
#include "cli/output.hpp"
#include "core/usage/calendar.hpp"
#include "core/usage/invoice.hpp"
#include "core/usage/store.hpp"

namespace gw::cli {
namespace {

struct UsageOptions {
  std::string consumer;
  std::string route;
  std::string from;
  std::string to;
  std::string by = "day";
};

struct InvoiceOptions {
  std::string period;
};

// The store the document's metering section names: <home>/usage.db or its Redis.
core::Result<std::unique_ptr<usage::Store>> openUsage(const core::Config& config,
                                                      const Context& ctx) {
  return usage::openStore(usage::targetOf(config, ctx.home().file("usage.db").string()),
                          usage::Store::Mode::kRead);
}

core::Status checkDay(const char* flag, const std::string& text) {
  if (!text.empty() && !usage::parseDay(text)) {
    return usageError(std::string(flag) + ": expected a date such as 2026-11-30 (got \"" + text +
                      "\")");
  }
  return core::Ok{};
}

std::string millis(std::int64_t sum_us, std::int64_t requests) {
  if (requests == 0) {
    return "-";
  }
  char text[32];
  std::snprintf(text, sizeof text, "%.1f",
                static_cast<double>(sum_us) / static_cast<double>(requests) / 1000.0);
  return text;
}

Json summaryJson(const usage::Summary& s, bool by_month) {
  Json row;
  row[by_month ? "month" : "day"] = s.period;
  row["consumer"] = s.consumer;
  row["route"] = s.route;
  row["requests"] = s.counts.requests;
  row["billable"] = s.counts.admitted();
  row["refused"] = s.counts.refused;
  row["2xx"] = s.by_class[2];
  row["3xx"] = s.by_class[3];
  row["4xx"] = s.by_class[4];
  row["5xx"] = s.by_class[5];
  row["bytesIn"] = s.counts.bytes_in;
  row["bytesOut"] = s.counts.bytes_out;
  // Whole microseconds: no float noise in JSON and CSV.
  const std::int64_t mean_us = s.counts.requests == 0 ? 0 : s.counts.latency_us / s.counts.requests;
  row["meanLatencyMs"] = static_cast<double>(mean_us) / 1000.0;
  row["maxLatencyMs"] = static_cast<double>(s.counts.latency_max_us) / 1000.0;
  return row;
}

core::Status showUsage(const UsageOptions& o, Context& ctx) {
  if (o.by != "day" && o.by != "month") {
    return usageError("--by: expected day or month (got \"" + o.by + "\")");
  }
  if (auto s = checkDay("--from", o.from); !s) {
    return s;
  }
  if (auto s = checkDay("--to", o.to); !s) {
    return s;
  }
  auto config = readConfig(ctx);
  if (!config) {
    return std::move(config).error();
  }
  auto store = openUsage(*config, ctx);
  if (!store) {
    return std::move(store).error();
  }
  const bool by_month = o.by == "month";
  auto rows = (*store)->summarize(usage::Query{o.consumer, o.route, o.from, o.to, by_month});
  if (!rows) {
    return std::move(rows).error();
  }
  if (ctx.format() != Format::kTable) {
    Json out = Json::array();
    for (const usage::Summary& s : *rows) {
      out.push_back(summaryJson(s, by_month));
    }
    printStructured(ctx, out);
    return core::Ok{};
  }
  if (rows->empty()) {
    std::cout << "no metered usage" << (o.consumer.empty() ? "" : " of consumer " + o.consumer)
              << " (requests of identified consumers are counted)\n";
    return core::Ok{};
  }
  Table table{{by_month ? "MONTH" : "DAY", "CONSUMER", "ROUTE", "REQUESTS", "BILLABLE", "2XX",
               "3XX", "4XX", "5XX", "BYTES IN", "BYTES OUT", "MEAN MS"},
              {}};
  for (const usage::Summary& s : *rows) {
    table.rows.push_back({s.period, s.consumer, s.route, std::to_string(s.counts.requests),
                          std::to_string(s.counts.admitted()), std::to_string(s.by_class[2]),
                          std::to_string(s.by_class[3]), std::to_string(s.by_class[4]),
                          std::to_string(s.by_class[5]), std::to_string(s.counts.bytes_in),
                          std::to_string(s.counts.bytes_out),
                          millis(s.counts.latency_us, s.counts.requests)});
  }
  printTable(std::cout, table, ctx.colorStdout());
  return core::Ok{};
}

core::Status showInvoice(const InvoiceOptions& o, Context& ctx) {
  const auto first = usage::parseMonth(o.period);
  if (!first) {
    return usageError("--period: expected a month such as 2026-11 (got \"" + o.period + "\")");
  }
  auto config = readConfig(ctx);
  if (!config) {
    return std::move(config).error();
  }
  auto store = openUsage(*config, ctx);
  if (!store) {
    return std::move(store).error();
  }
  const std::string last = usage::dayText(usage::nextMonthStart(*first) - 1);
  auto month = (*store)->summarize(usage::Query{"", "", usage::dayText(*first), last, true});
  if (!month) {
    return std::move(month).error();
  }
  const std::vector<usage::InvoiceLine> lines = usage::invoice(*config, *month);
  if (ctx.format() != Format::kTable) {
    Json out = Json::array();
    for (const usage::InvoiceLine& line : lines) {
      Json row;
      row["period"] = o.period;
      row["consumer"] = line.consumer;
      row["plan"] = line.plan;
      row["requests"] = line.requests;
      row["billable"] = line.billable;
      row["included"] = line.included;
      row["overage"] = line.overage;
      row["amount"] = core::formatMoney(line.amount);
      row["currency"] = line.currency;
      out.push_back(row);
    }
    printStructured(ctx, out);
    return core::Ok{};
  }
  Table table{{"CONSUMER", "PLAN", "REQUESTS", "BILLABLE", "INCLUDED", "OVERAGE", "AMOUNT"}, {}};
  for (const usage::InvoiceLine& line : lines) {
    table.rows.push_back(
        {line.consumer, line.plan.empty() ? "-" : line.plan, std::to_string(line.requests),
         std::to_string(line.billable), std::to_string(line.included), std::to_string(line.overage),
         line.currency.empty() ? "-" : core::formatMoney(line.amount) + " " + line.currency});
  }
  std::cout << "invoice " << o.period << " (UTC)\n";
  printTable(std::cout, table, ctx.colorStdout());
  return core::Ok{};
}

}  // namespace

void setupUsage(CLI::App& app, Context& ctx) {
  auto o = std::make_shared<UsageOptions>();
  CLI::App* u = addCommand(
      app, "usage",
      "Show metered usage of consumers: requests, status classes, bytes and latency, by day or "
      "month (UTC)",
      "  gw usage --consumer acme --by month\n  gw usage invoice --period 2026-11 -o csv");
  u->require_subcommand(0, 1);
  u->add_option("--consumer", o->consumer, "Only this consumer")->type_name("CONSUMER");
  u->add_option("--route", o->route, "Only this route")->type_name("ROUTE");
  u->add_option("--from", o->from, "First day, e.g. 2026-11-01")->type_name("DATE");
  u->add_option("--to", o->to, "Last day, included")->type_name("DATE");
  u->add_option("--by", o->by, "Group by day or month (default day)")->type_name("PERIOD");
  u->callback([u, &ctx, o] {
    if (u->get_subcommands().empty()) {
      ctx.setAction([&ctx, o] { return showUsage(*o, ctx); });
    }
  });

  auto inv = std::make_shared<InvoiceOptions>();
  CLI::App* i =
      addCommand(*u, "invoice", "Per consumer, a month's plan fee, billable requests and overage",
                 "  gw usage invoice --period 2026-11 -o csv");
  i->add_option("--period", inv->period, "The month, e.g. 2026-11")
      ->required()
      ->type_name("YYYY-MM");
  onRun(i, ctx, inv, showInvoice);
}

}  // namespace gw::cli
