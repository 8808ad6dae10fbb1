#pragma once
// The admin API's /v1/status as JSON, for tests that wait on what the proxy reports (an
// endpoint's health, ejection or requests in flight) instead of on time.

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <string>

#include "tests/proxy/support/harness.hpp"

namespace gw::test {

inline nlohmann::json adminStatus(ProxyUnderTest& proxy) {
  HttpClient admin(proxy.server().adminPort(), 5s);
  const Reply reply = admin.request("GET", "127.0.0.1", "/v1/status",
                                    {{"Authorization", "Bearer " + proxy.token()}});
  REQUIRE(reply.status == 200);
  return nlohmann::json::parse(reply.body);
}

// The status entry of endpoint `address` of `service`, or null.
inline nlohmann::json endpointStatus(ProxyUnderTest& proxy, const std::string& service,
                                     const std::string& address) {
  const nlohmann::json status = adminStatus(proxy);
  for (const auto& entry : status["services"]) {
    if (entry["name"] != service) {
      continue;
    }
    for (const auto& endpoint : entry["endpoints"]) {
      if (endpoint["address"] == address) {
        return endpoint;
      }
    }
  }
  return nullptr;
}

}  // namespace gw::test
