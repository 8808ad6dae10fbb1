#pragma once
// Each endpoint of a service as the running proxy sees it, from GET /v1/status:
// "services": [{"name", "endpoints": [{"address", "weight", "healthy", "ejected",
// "in_flight"}]}]. Anything the proxy does not say (stopped, older, unreachable) is
// "unknown" rather than an error: the document is still worth showing.

#include <optional>
#include <string>
#include <vector>

#include "cli/context.hpp"
#include "cli/output.hpp"
#include "core/config/model.hpp"

namespace gw::cli {

struct EndpointHealth {
  std::string address;
  int weight = 1;
  std::string health = "unknown";  // healthy, unhealthy, ejected or unknown
  std::optional<long long> in_flight;
};

struct ServiceHealth {
  bool proxy_running = false;
  std::vector<EndpointHealth> endpoints;  // in the document's order
};

ServiceHealth serviceHealth(const Context& ctx, const core::Service& service);

// {"proxy": "running", "endpoints": [{"address", "weight", "health", "inFlight"}]}.
Json healthJson(const ServiceHealth& health);

// ENDPOINT  WEIGHT  HEALTH  IN-FLIGHT
Table healthTable(const ServiceHealth& health);

}  // namespace gw::cli
