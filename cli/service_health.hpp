#pragma once
// Each endpoint of a service as the running proxy sees it, from GET /v1/status:
// "services": [{"name", "endpoints": [{"address", "weight", "healthy", "ejected",
// "inFlight"}]}]. Anything the proxy does not say (stopped, older, unreachable) is
// "unknown" rather than an error: the document is still worth showing.

#include <optional>
#include <string>
#include <vector>

#include "cli/context.hpp"
#include "cli/output.hpp"
#include "core/config/model.hpp"
#include "proxy/admin/messages.hpp"

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

// What the home's running proxy reports at GET /v1/status; nothing when it is stopped or does
// not answer.
std::optional<proxy::StatusDoc> runningStatus(const Context& ctx);

ServiceHealth serviceHealth(const Context& ctx, const core::Service& service);
// The same from a status already fetched (nullopt: the proxy is not running).
ServiceHealth serviceHealth(const std::optional<proxy::StatusDoc>& status,
                            const core::Service& service);

// {"proxy": "running", "endpoints": [{"address", "weight", "health", "inFlight"}]}.
Json healthJson(const ServiceHealth& health);

// ENDPOINT  WEIGHT  HEALTH  IN-FLIGHT
Table healthTable(const ServiceHealth& health);

}  // namespace gw::cli
