#include "proxy/filter/chain.hpp"

#include <algorithm>

namespace gw::proxy::filter {

void FilterChain::add(std::unique_ptr<Filter> filter) {
  hooks_ |= filter->hooks();
  filters_.push_back(std::move(filter));
}

Status FilterChain::runRequest(Exchange& exchange, FilterHost& host) const {
  for (; exchange.next_filter < filters_.size(); ++exchange.next_filter) {
    const Filter& filter = *filters_[exchange.next_filter];
    if ((filter.hooks() & kOnRequest) == 0) {
      continue;
    }
    const Status status = filter.onRequest(exchange, host);
    if (status != Status::kContinue) {
      return status;  // next_filter stays on the filter that answered or paused
    }
  }
  return Status::kContinue;
}

Status FilterChain::resumeAfterPause(Exchange& exchange, FilterHost& host) const {
  ++exchange.next_filter;
  return runRequest(exchange, host);
}

void FilterChain::runResponse(Exchange& exchange, http::response_header<>& head,
                              bool upstream) const {
  std::size_t end = upstream ? filters_.size() : std::min(exchange.next_filter, filters_.size());
  while (end > 0) {
    const Filter& filter = *filters_[--end];
    if ((filter.hooks() & kOnResponse) != 0) {
      filter.onResponse(exchange, head);
    }
  }
}

void FilterChain::runDone(const Exchange& exchange) const {
  const std::size_t reached = std::min(exchange.next_filter + 1, filters_.size());
  for (std::size_t i = 0; i < reached; ++i) {
    if ((filters_[i]->hooks() & kOnDone) != 0) {
      filters_[i]->onDone(exchange);
    }
  }
}

}  // namespace gw::proxy::filter
