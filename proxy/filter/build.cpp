#include "proxy/filter/build.hpp"

#include <variant>

#include "core/filter/spec.hpp"
#include "proxy/filter/aggregate/aggregate_filter.hpp"
#include "proxy/filter/auth/auth_filter.hpp"
#include "proxy/filter/authz/authz_filter.hpp"
#include "proxy/filter/cache/cache_filter.hpp"
#include "proxy/filter/compress/compress_filter.hpp"
#include "proxy/filter/cors/cors.hpp"
#include "proxy/filter/direct_response/direct_response.hpp"
#include "proxy/filter/header_edits/header_filters.hpp"
#include "proxy/filter/ip_lists/ip_lists.hpp"
#include "proxy/filter/mirror/mirror_filter.hpp"
#include "proxy/filter/quota/quota_filter.hpp"
#include "proxy/filter/rate_limit/rate_limit_filter.hpp"
#include "proxy/filter/redirect/redirect.hpp"
#include "proxy/filter/rewrite/rewrite.hpp"

namespace gw::proxy::filter {
FilterChain buildChain(const core::Config& config, const core::Gateway* gateway,
                       const core::Route& route, StateRegistry& states,
                       std::vector<std::string>& problems, metering::UsageMeter* usage) {
  FilterChain chain;
  BuildContext route_ctx{config, route, "route/" + route.name, states, problems, usage};
  BuildContext gateway_ctx{config, route,    gateway != nullptr ? "gateway/" + gateway->name : "",
                           states, problems, usage};
  // One overload of build() per alternative of core::FilterSpec: one missing does not compile.
  for (const core::FilterEntry& entry :
       core::chainFilters(gateway, route, core::planFeatures(config))) {
    const BuildContext& ctx = entry.gateway ? gateway_ctx : route_ctx;
    auto built = std::visit([&ctx](const auto& spec) { return build(spec, ctx); }, entry.spec);
    if (built) {
      chain.add(std::move(built));
    }
  }
  return chain;
}

}  // namespace gw::proxy::filter
