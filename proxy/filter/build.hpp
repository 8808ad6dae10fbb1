#pragma once
// A route's chain, from its gateway's and its own filter specs (core/filter/spec.hpp).

#include "core/config/model.hpp"
#include "proxy/filter/build_context.hpp"
#include "proxy/filter/chain.hpp"

namespace gw::proxy::filter {

// The gateway's filters first, then the route's; what cannot be built is added to `problems`.
FilterChain buildChain(const core::Config& config, const core::Gateway* gateway,
                       const core::Route& route, StateRegistry& states,
                       std::vector<std::string>& problems, metering::UsageMeter* usage = nullptr);

}  // namespace gw::proxy::filter
