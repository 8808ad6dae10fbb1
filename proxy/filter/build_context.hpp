#pragma once
// What a filter's builder may use: the validated document, where the filter sits, the
// registry of state kept across reloads, and a list for what cannot be built. Each filter
// folder declares one overload `build(const Spec&, const BuildContext&)`; build.cpp visits
// core::FilterSpec with them.

#include <memory>
#include <string>
#include <vector>

#include "core/config/model.hpp"
#include "proxy/filter/filter.hpp"
#include "proxy/filter/registry.hpp"

namespace gw::proxy::metering {
class UsageMeter;
}

namespace gw::proxy::filter {

struct BuildContext {
  const core::Config& config;
  const core::Route& route;  // the route whose chain is built (a gateway's filters run in it)
  std::string scope;         // "route/NAME" or "gateway/NAME": where the filter's state is kept
  StateRegistry& states;
  std::vector<std::string>& problems;     // "route NAME: why", when a filter cannot be built
  metering::UsageMeter* usage = nullptr;  // the quotas' counters; null: no quotas
};

}  // namespace gw::proxy::filter
