#include "proxy/filter/quota/quota_filter.hpp"

#include "core/usage/calendar.hpp"

namespace gw::proxy::filter {

Status QuotaFilter::onRequest(Exchange& exchange, FilterHost& /*host*/) const {
  const int index = exchange.facts.consumer_index;
  if (index < 0 || static_cast<std::size_t>(index) >= consumers_.size()) {
    return Status::kContinue;
  }
  const ConsumerQuota& consumer = consumers_[static_cast<std::size_t>(index)];
  if (!consumer.counter) {
    return Status::kContinue;
  }
  exchange.facts.access_checked = true;
  const std::int64_t now = meter_.now();
  const bool monthly = consumer.quota.period == core::Quota::Period::kMonth;
  const std::int64_t day = usage::dayNumber(now);
  const std::int64_t period = monthly ? usage::monthNumber(day) : day;
  if (consumer.counter->take(period, consumer.quota.requests)) {
    exchange.facts.quota = consumer.counter.get();
    exchange.facts.quota_period = period;
    return Status::kContinue;
  }
  refuse(exchange, Reason::kQuotaExceeded);
  const std::int64_t end = monthly ? usage::monthEnd(now) : usage::dayEnd(now);
  exchange.local.set(http::field::retry_after,
                     std::to_string(std::max<std::int64_t>(1, end - now)));
  return Status::kAnswer;
}

void QuotaFilter::onDone(const Exchange& exchange) const {
  if (exchange.facts.quota != nullptr && isAccessRefusal(exchange.reason)) {
    exchange.facts.quota->giveBack(exchange.facts.quota_period);
  }
}

std::unique_ptr<Filter> build(const core::Quotas& /*spec*/, const BuildContext& ctx) {
  if (ctx.usage == nullptr) {
    return nullptr;
  }
  std::vector<QuotaFilter::ConsumerQuota> consumers(ctx.config.consumers.size());
  for (std::size_t c = 0; c < ctx.config.consumers.size(); ++c) {
    const core::Consumer& consumer = ctx.config.consumers[c];
    const core::Plan* plan = ctx.config.findPlan(consumer.plan);
    if (plan != nullptr && plan->quota) {
      consumers[c].quota = *plan->quota;
      consumers[c].counter =
          ctx.usage->quotaCounter(ctx.config, consumer.name, plan->quota->period);
    }
  }
  return std::make_unique<QuotaFilter>(*ctx.usage, std::move(consumers));
}

}  // namespace gw::proxy::filter
