// gw plan add|list|get|update|delete: what a consumer's plan allows (a request quota per UTC
// day or month, a rate limit) and what it costs (a monthly fee covering some requests, a price
// for each one beyond). Consumers are put on a plan with `gw consumer update NAME --plan P`.

#include <algorithm>
#include <iostream>

#include "cli/command.hpp"
#include "cli/flags.hpp"
#include "cli/mutate.hpp"
#include "cli/output.hpp"

namespace gw::cli {
namespace {

struct PlanOptions {
  std::string name;
  std::string quota;
  std::string rate_limit;
  std::int64_t burst = 0;
  std::string currency;
  std::string monthly;
  std::int64_t included = 0;
  std::string per_request;
  std::set<std::string> given;
};

core::Plan* findPlan(core::Config& c, const std::string& name) {
  const auto it = std::find_if(c.plans.begin(), c.plans.end(),
                               [&](const core::Plan& p) { return p.name == name; });
  return it == c.plans.end() ? nullptr : &*it;
}

core::Status applyMoney(const char* flag, const std::string& text, core::Micros& out) {
  const auto amount = core::parseMoney(text);
  if (!amount) {
    return usageError(std::string(flag) + ": expected an amount such as 49, 9.99 or 0.001 (got \"" +
                      text + "\")");
  }
  out = *amount;
  return core::Ok{};
}

core::Status applyPrice(core::Plan& plan, const PlanOptions& o) {
  const auto& given = o.given;
  const bool any = given.contains("price-currency") || given.contains("price-monthly") ||
                   given.contains("price-included") || given.contains("price-per-request");
  if (!any) {
    return core::Ok{};
  }
  core::Price& price = plan.price ? *plan.price : plan.price.emplace();
  if (given.contains("price-currency")) {
    price.currency = o.currency;
  }
  if (given.contains("price-monthly")) {
    if (auto s = applyMoney("--price-monthly", o.monthly, price.monthly); !s) {
      return s;
    }
  }
  if (given.contains("price-included")) {
    price.included = o.included;
  }
  if (given.contains("price-per-request")) {
    if (auto s = applyMoney("--price-per-request", o.per_request, price.per_request); !s) {
      return s;
    }
  }
  return core::Ok{};
}

core::Status applyPlanFlags(core::Plan& plan, const PlanOptions& o) {
  const auto& given = o.given;
  if (given.contains("quota")) {
    plan.quota.reset();
    if (!o.quota.empty()) {
      const auto quota = core::parseQuota(o.quota);
      if (!quota) {
        return usageError("--quota: expected N/day or N/month such as 1000/day (got \"" + o.quota +
                          "\")");
      }
      plan.quota = *quota;
    }
  }
  if (given.contains("rate-limit")) {
    plan.rate_limit.reset();
    if (!o.rate_limit.empty()) {
      const auto rate = core::parseRate(o.rate_limit);
      if (!rate) {
        return usageError("--rate-limit: expected a rate such as 100/1m or 5/1s (got \"" +
                          o.rate_limit + "\")");
      }
      core::RateLimit limit;
      limit.rate = *rate;
      limit.by = {"consumer"};
      plan.rate_limit = limit;
    }
  }
  if (given.contains("burst")) {
    if (!plan.rate_limit) {
      return usageError("--burst needs a rate limit (--rate-limit)");
    }
    plan.rate_limit->burst = o.burst;
  }
  return applyPrice(plan, o);
}

core::Status addPlan(const PlanOptions& o, Context& ctx) {
  return asStatus(applyChange(ctx, {"plan", o.name}, "added", [&](core::Config& c) {
    if (findPlan(c, o.name) != nullptr) {
      return core::Status(core::makeError(core::ErrorKind::kValidation,
                                          quoted("plan", o.name) + " already exists"));
    }
    core::Plan plan;
    plan.name = o.name;
    if (auto applied = applyPlanFlags(plan, o); !applied) {
      return applied;
    }
    c.plans.push_back(std::move(plan));
    return core::Status(core::Ok{});
  }));
}

core::Status updatePlan(const PlanOptions& o, Context& ctx) {
  return asStatus(applyChange(ctx, {"plan", o.name}, "updated", [&](core::Config& c) {
    core::Plan* plan = findPlan(c, o.name);
    if (plan == nullptr) {
      return core::Status(notFound("plan", o.name));
    }
    return applyPlanFlags(*plan, o);
  }));
}

core::Status deletePlan(const PlanOptions& o, Context& ctx) {
  return asStatus(applyChange(ctx, {"plan", o.name}, "deleted", [&](core::Config& c) {
    if (findPlan(c, o.name) == nullptr) {
      return core::Status(notFound("plan", o.name));
    }
    std::vector<std::string> users;
    for (const core::Consumer& consumer : c.consumers) {
      if (consumer.plan == o.name) {
        users.push_back(consumer.name);
      }
    }
    if (!users.empty()) {
      return core::Status(core::makeError(core::ErrorKind::kValidation,
                                          quoted("plan", o.name) + " is the plan of consumers " +
                                              join(users, ", ") + "; move them first"));
    }
    std::erase_if(c.plans, [&](const core::Plan& p) { return p.name == o.name; });
    return core::Status(core::Ok{});
  }));
}

std::string priceText(const core::Plan& plan) {
  if (!plan.price) {
    return "-";
  }
  const core::Price& p = *plan.price;
  std::string text = core::formatMoney(p.monthly) + " " + p.currency + "/month";
  if (p.included > 0) {
    text += ", " + std::to_string(p.included) + " included";
  }
  if (p.per_request > 0) {
    text += ", then " + core::formatMoney(p.per_request) + " each";
  }
  return text;
}

core::Status listPlans(const PlanOptions& /*options*/, Context& ctx) {
  auto config = readConfig(ctx);
  if (!config) {
    return std::move(config).error();
  }
  if (ctx.format() != Format::kTable) {
    printStructured(ctx, documentJson(*config).value("plans", Json::array()));
    return core::Ok{};
  }
  Table table{{"NAME", "QUOTA", "RATE LIMIT", "PRICE", "CONSUMERS"}, {}};
  for (const core::Plan& p : config->plans) {
    const auto consumers = std::count_if(config->consumers.begin(), config->consumers.end(),
                                         [&](const core::Consumer& c) { return c.plan == p.name; });
    table.rows.push_back({p.name, p.quota ? core::formatQuota(*p.quota) : "-",
                          p.rate_limit ? core::formatRate(p.rate_limit->rate) : "-", priceText(p),
                          std::to_string(consumers)});
  }
  printTable(std::cout, table, ctx.colorStdout());
  return core::Ok{};
}

core::Status showPlan(const PlanOptions& o, Context& ctx) {
  auto config = readConfig(ctx);
  if (!config) {
    return std::move(config).error();
  }
  if (config->findPlan(o.name) == nullptr) {
    return notFound("plan", o.name);
  }
  const Json object = objectJson(*config, "plans", o.name);
  if (ctx.format() != Format::kTable) {
    printStructured(ctx, object);
  } else {
    std::cout << toYaml(object);
  }
  return core::Ok{};
}

void addPlanFlags(CLI::App* sub, PlanOptions& o) {
  sub->add_option("--quota", o.quota,
                  "Requests per UTC day or month, e.g. 1000/day or 50000/month; then 429 "
                  "quota_exceeded (\"\": none)")
      ->type_name("N/PERIOD");
  sub->add_option("--rate-limit", o.rate_limit,
                  "Each consumer on the plan, on every route: e.g. 5/1s (\"\": none)")
      ->type_name("RATE");
  sub->add_option("--burst", o.burst, "Requests at once (default: the rate's count)")
      ->type_name("N");
  sub->add_option("--price-currency", o.currency, "ISO 4217 currency (default USD)")
      ->type_name("CODE");
  sub->add_option("--price-monthly", o.monthly, "The monthly fee, e.g. 49 or 9.99")
      ->type_name("AMOUNT");
  sub->add_option("--price-included", o.included, "Requests a month the fee covers")
      ->type_name("N");
  sub->add_option("--price-per-request", o.per_request,
                  "The price of each request beyond those, e.g. 0.001")
      ->type_name("AMOUNT");
}

}  // namespace

void setupPlan(CLI::App& app, Context& ctx) {
  CLI::App* group =
      addGroup(app, "plan", "Manage plans: quotas, rate limits and prices of consumers",
               "  gw plan add free --quota 1000/day --rate-limit 5/1s\n"
               "  gw consumer update acme --plan free");
  auto add = std::make_shared<PlanOptions>();
  CLI::App* a = addCommand(*group, "add", "Add a plan",
                           "  gw plan add pro --quota 50000/month --price-monthly 49 "
                           "--price-included 40000 --price-per-request 0.001");
  a->add_option("name", add->name, "Plan name")->required()->type_name("NAME");
  addPlanFlags(a, *add);
  onRun(a, ctx, add, addPlan);

  auto list = std::make_shared<PlanOptions>();
  CLI::App* l =
      addCommand(*group, "list", "List plans and how many consumers are on each", "  gw plan list");
  onRun(l, ctx, list, listPlans);

  auto get = std::make_shared<PlanOptions>();
  CLI::App* g = addCommand(*group, "get", "Show one plan", "  gw plan get pro -o json");
  g->add_option("name", get->name, "Plan name")->required()->type_name("PLAN");
  onRun(g, ctx, get, showPlan);

  auto update = std::make_shared<PlanOptions>();
  CLI::App* u = addCommand(*group, "update", "Change a plan; only the given flags change",
                           "  gw plan update free --quota 2000/day");
  u->add_option("name", update->name, "Plan name")->required()->type_name("PLAN");
  addPlanFlags(u, *update);
  onRun(u, ctx, update, updatePlan);

  auto del = std::make_shared<PlanOptions>();
  CLI::App* d =
      addCommand(*group, "delete", "Delete a plan no consumer is on", "  gw plan delete free");
  d->add_option("name", del->name, "Plan name")->required()->type_name("PLAN");
  onRun(d, ctx, del, deletePlan);
}

}  // namespace gw::cli
