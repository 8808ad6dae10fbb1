#pragma once
// The filters of one route (its gateway's first, then its own), in order, built once per
// snapshot. A route without filters has an empty chain, and the session then skips every
// call into it: an unfiltered request pays one branch per hook.
//
// Progress is kept in the Exchange (next_filter), so a paused chain resumes where it stopped,
// and an answer made by filter N passes back through the response hooks of filters N-1..0
// only, as in Envoy: a filter never sees an answer made before its own request hook ran.

#include <memory>
#include <vector>

#include "proxy/filter/filter.hpp"

namespace gw::proxy::filter {

class FilterChain {
 public:
  void add(std::unique_ptr<Filter> filter);
  bool empty() const { return filters_.empty(); }
  std::size_t size() const { return filters_.size(); }
  bool hasResponseHooks() const { return (hooks_ & kOnResponse) != 0; }
  bool hasDoneHooks() const { return (hooks_ & kOnDone) != 0; }

  // Runs the request hooks from exchange.next_filter on. kContinue: every filter let the
  // request through; kAnswer: exchange.local holds the answer; kPause: a filter waits and
  // calls host.resume() later, after which the host calls resumeAfterPause().
  Status runRequest(Exchange& exchange, FilterHost& host) const;
  // After a pause ended with kContinue: the chain goes on after the filter that paused.
  Status resumeAfterPause(Exchange& exchange, FilterHost& host) const;
  // The response hooks of the filters the request went through, last first. `upstream`: the
  // answer is the upstream's (every filter passed the request); otherwise the filter at
  // exchange.next_filter made it.
  void runResponse(Exchange& exchange, http::response_header<>& head, bool upstream) const;
  // The done hooks of the filters the request reached.
  void runDone(const Exchange& exchange) const;

 private:
  std::vector<std::unique_ptr<Filter>> filters_;
  unsigned hooks_ = 0;
};

}  // namespace gw::proxy::filter
