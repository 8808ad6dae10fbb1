#pragma once
// The request quotas of the consumers' plans (core::Quotas): a consumer whose plan allows N
// requests per UTC day or month gets 429 quota_exceeded once N of them passed, with
// Retry-After (whole seconds, at least 1) to the period's end, in the metering calendar.
// The counters are the usage meter's, one per consumer across routes, seeded from the
// metered usage, so a restart or reload keeps the count. A request that a later check (a
// rate limit) refuses gives its unit back when it is done.

#include <memory>
#include <vector>

#include "core/config/model.hpp"
#include "core/filter/spec.hpp"
#include "proxy/filter/build_context.hpp"
#include "proxy/filter/filter.hpp"
#include "proxy/metering/usage_meter.hpp"

namespace gw::proxy::filter {

class QuotaFilter final : public Filter {
 public:
  struct ConsumerQuota {
    core::Quota quota;
    std::shared_ptr<metering::QuotaCounter> counter;  // null: the consumer has no quota
  };
  // `consumers`: per consumer of the document (its index there).
  QuotaFilter(metering::UsageMeter& meter, std::vector<ConsumerQuota> consumers)
      : meter_(meter), consumers_(std::move(consumers)) {}
  unsigned hooks() const override { return kOnRequest | kOnDone; }
  Status onRequest(Exchange& exchange, FilterHost& host) const override;
  void onDone(const Exchange& exchange) const override;

 private:
  metering::UsageMeter& meter_;
  std::vector<ConsumerQuota> consumers_;
};

// Null without a usage meter in `ctx` (then nothing counts quotas).
std::unique_ptr<Filter> build(const core::Quotas& spec, const BuildContext& ctx);

}  // namespace gw::proxy::filter
