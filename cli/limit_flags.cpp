#include "cli/limit_flags.hpp"

#include <algorithm>
#include <array>

#include "cli/flags.hpp"

namespace gw::cli {
namespace {

constexpr std::array<const char*, 7> kSettingFlags{
    "burst",      "limit-by",     "limit-cost", "limit-store", "limit-on-store-error",
    "limit-mode", "limit-headers"};

core::Status applySettings(core::RateLimit& limit, const LimitFlags& o,
                           const std::set<std::string>& given) {
  if (given.contains("burst")) {
    limit.burst = o.burst;
  }
  if (given.contains("limit-by")) {
    limit.by.clear();
    for (const std::string& key : o.by) {
      if (key.empty() || key == "all") {
        continue;
      }
      if (!core::isLimitKey(key)) {
        return usageError("--limit-by: must be consumer, ip, route, header:NAME or all (got \"" +
                          key + "\")");
      }
      limit.by.push_back(key);
    }
  }
  if (given.contains("limit-cost")) {
    limit.cost = o.cost;
  }
  if (given.contains("limit-store")) {
    limit.store = core::parseLimitStore(o.store).value_or(core::RateLimit::Store::kLocal);
  }
  if (given.contains("limit-on-store-error")) {
    limit.on_store_error =
        core::parseOnStoreError(o.on_store_error).value_or(core::RateLimit::OnStoreError::kLocal);
  }
  if (given.contains("limit-mode")) {
    limit.mode = core::parseLimitMode(o.mode).value_or(core::RateLimit::Mode::kEnforce);
  }
  if (given.contains("limit-headers")) {
    limit.headers = core::parseLimitHeaders(o.headers).value_or(core::RateLimit::Headers::kDraft);
  }
  return core::Ok{};
}

}  // namespace

void addLimitFlags(CLI::App* sub, LimitFlags& o) {
  sub->add_option("--rate-limit", o.rates,
                  "Rate limit, e.g. 100/1m or 5/1s (GCRA; 429 when over); repeat for several, "
                  "all must pass (\"\": none)")
      ->type_name("RATE");
  sub->add_option("--burst", o.burst,
                  "Requests a client may send at once (default: the rate's count)")
      ->type_name("N");
  sub->add_option("--limit-by", o.by,
                  "What the limit counts by: consumer (anonymous: by address), ip, route, "
                  "header:NAME; repeat to combine (default: one budget for all)")
      ->type_name("KEY");
  sub->add_option("--limit-cost", o.cost, "What one request takes from the budget (default 1)")
      ->type_name("N");
  sub->add_option("--limit-store", o.store,
                  "local (default: this gw) or redis (shared by every gw on the document's redis)")
      ->check(CLI::IsMember({"local", "redis"}));
  sub->add_option("--limit-on-store-error", o.on_store_error,
                  "When Redis does not answer: local (default: this gw's own count), allow or deny")
      ->check(CLI::IsMember({"local", "allow", "deny"}));
  sub->add_option("--limit-mode", o.mode,
                  "enforce (default), or shadow: count what would be refused, refuse nothing")
      ->check(CLI::IsMember({"enforce", "shadow"}));
  sub->add_option("--limit-headers", o.headers,
                  "draft (RateLimit-Policy and RateLimit, default), legacy (X-RateLimit-*) or none")
      ->check(CLI::IsMember({"draft", "legacy", "none"}));
}

core::Status applyLimitFlags(std::vector<core::RateLimit>& limits, const LimitFlags& o,
                             const std::set<std::string>& given) {
  if (given.contains("rate-limit")) {
    std::vector<core::RateLimit> next;
    for (const std::string& text : o.rates) {
      if (text.empty()) {
        continue;
      }
      const auto rate = core::parseRate(text);
      if (!rate) {
        return usageError("--rate-limit: expected a rate such as 100/1m or 5/1s (got \"" + text +
                          "\")");
      }
      core::RateLimit limit;
      limit.rate = *rate;
      next.push_back(std::move(limit));
    }
    limits = std::move(next);
  }
  const bool settings = std::any_of(kSettingFlags.begin(), kSettingFlags.end(),
                                    [&](const char* flag) { return given.contains(flag); });
  if (settings && limits.empty()) {
    return usageError("--burst, --limit-by and the other --limit-* flags need --rate-limit");
  }
  for (core::RateLimit& limit : limits) {
    if (auto s = applySettings(limit, o, given); !s) {
      return s;
    }
  }
  return core::Ok{};
}

}  // namespace gw::cli
