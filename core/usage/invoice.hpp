#pragma once
// An invoice for one month from metered usage and the consumers' plans: per consumer the
// plan's monthly fee, plus each billable request beyond those the fee includes at the plan's
// price. Billable: a request that passed the gateway's checks (Counts::admitted), whatever
// the backend answered; what the gateway refused (401, 403, 429) is never billed.

#include <string>
#include <vector>

#include "core/config/model.hpp"
#include "core/usage/store.hpp"

namespace gw::usage {

struct InvoiceLine {
  std::string consumer;
  std::string plan;  // "" = none
  std::string currency;
  std::int64_t requests = 0;
  std::int64_t billable = 0;
  std::int64_t included = 0;
  std::int64_t overage = 0;
  core::Micros amount = 0;
};

// `month`: the month's usage (summaries of any grouping within it). One line per consumer
// that has a priced plan or some usage, sorted by name.
std::vector<InvoiceLine> invoice(const core::Config& config, const std::vector<Summary>& month);

}  // namespace gw::usage
