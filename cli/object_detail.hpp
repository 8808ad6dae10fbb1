#pragma once
// `gw route get` and `gw gateway get` beyond the document: what the running proxy says about
// the object (traffic, endpoint health, bound listeners) and how it connects to the rest
// (a route's URLs and destinations, a gateway's routes), as `kubectl describe` shows it.

#include <optional>

#include "cli/context.hpp"
#include "cli/output.hpp"
#include "core/config/model.hpp"
#include "proxy/admin/messages.hpp"

namespace gw::cli {

// {"proxy": "running"|"stopped", "urls", "traffic": {requests, rps, errorRate} | null,
//  "destinations": [{service, weight, healthy, endpoints}]}
Json routeDetail(const std::optional<proxy::StatusDoc>& status, const core::Config& config,
                 const core::Route& route);

// {"proxy", "listeners": [{protocol, address, port, serving}], "routes": [{name, hosts}]}
Json gatewayDetail(const std::optional<proxy::StatusDoc>& status, const core::Config& config,
                   const core::Gateway& gateway);

// `get`'s output: with -o json|yaml the object with the detail under "status"; else the
// object's YAML, then the detail as lines and tables.
void printWithDetail(const Context& ctx, Json object, const Json& detail);

}  // namespace gw::cli
