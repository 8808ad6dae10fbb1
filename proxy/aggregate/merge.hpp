#pragma once
// The answer of an aggregate route: its backends' JSON answers merged into one object, each
// under its group or at the top level (core aggregate.hpp). A failure is never hidden in a
// plain 200: an optional backend that failed leaves the answer incomplete, marked with
// `x-gw-completed: false` and an `_errors` object naming the backend and what happened; a
// required backend failing, or every backend failing, makes it a 502. A pure function of the
// answers, so each rule is tested without sockets.

#include <string>
#include <vector>

#include "core/config/aggregate.hpp"

namespace gw::proxy::aggregate {

// What one backend call came to: its body when it answered 2xx, else why not ("timed out
// after 2s", "answered 503", "connection refused", ...).
struct Outcome {
  bool answered = false;
  std::string body;
  std::string error;
};

struct Merged {
  unsigned status = 200;  // 200, or 502 when a required backend (or every one) failed
  bool completed = true;  // every backend's answer is in it
  std::string body;       // JSON
};

// `outcomes` is parallel to aggregate.backends.
Merged merge(const core::Aggregate& aggregate, const std::vector<Outcome>& outcomes);

}  // namespace gw::proxy::aggregate
