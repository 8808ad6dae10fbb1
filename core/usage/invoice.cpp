#include "core/usage/invoice.hpp"

#include <algorithm>
#include <map>

namespace gw::usage {

std::vector<InvoiceLine> invoice(const core::Config& config, const std::vector<Summary>& month) {
  std::map<std::string, InvoiceLine> lines;
  for (const core::Consumer& consumer : config.consumers) {
    const core::Plan* plan = config.findPlan(consumer.plan);
    if (plan != nullptr && plan->price) {
      lines[consumer.name].consumer = consumer.name;
    }
  }
  for (const Summary& s : month) {
    InvoiceLine& line = lines[s.consumer];
    line.consumer = s.consumer;
    line.requests += s.counts.requests;
    line.billable += s.counts.admitted();
  }
  std::vector<InvoiceLine> out;
  for (auto& [name, line] : lines) {
    const core::Consumer* consumer = config.findConsumer(name);
    const core::Plan* plan = consumer != nullptr ? config.findPlan(consumer->plan) : nullptr;
    if (plan != nullptr) {
      line.plan = plan->name;
    }
    if (plan != nullptr && plan->price) {
      const core::Price& price = *plan->price;
      line.currency = price.currency;
      line.included = price.included;
      line.overage = std::max<std::int64_t>(0, line.billable - price.included);
      line.amount = price.monthly + line.overage * price.per_request;
    }
    out.push_back(std::move(line));
  }
  return out;
}

}  // namespace gw::usage
