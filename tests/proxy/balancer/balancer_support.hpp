#pragma once
// What the load-balancing and health tests share: gw-echo with flags on a chosen port,
// services with weighted endpoints, traffic counted by backend; the admin API's status and
// waiting on it.

#include <cstdint>
#include <map>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "tests/proxy/support/admin_status.hpp"
#include "tests/proxy/support/harness.hpp"
#include "tests/support/eventually.hpp"
#include "tests/support/process.hpp"

namespace gw::test {

// gw-echo on `port` (0: any) with extra flags (--status N, --delay D).
class EchoProcess {
 public:
  explicit EchoProcess(const std::string& name, std::uint16_t port = 0,
                       const std::vector<std::string>& flags = {})
      : process_(spawn(name, port, flags)) {
    const auto line = process_.readLine(10s);
    const std::string prefix = "listening 127.0.0.1:";
    if (!line || line->rfind(prefix, 0) != 0) {
      throw std::runtime_error("gw-echo did not start: " + line.value_or("(no output)"));
    }
    port_ = static_cast<std::uint16_t>(std::stoi(line->substr(prefix.size())));
  }

  std::uint16_t port() const { return port_; }
  std::string endpoint() const { return "127.0.0.1:" + std::to_string(port_); }
  void stop() { process_.stop(); }

 private:
  static Process spawn(const std::string& name, std::uint16_t port,
                       const std::vector<std::string>& flags) {
    std::vector<std::string> argv{GW_ECHO_BINARY, "--name", name, "--port", std::to_string(port)};
    argv.insert(argv.end(), flags.begin(), flags.end());
    return Process::spawn(argv);
  }

  Process process_;
  std::uint16_t port_ = 0;
};

inline core::Service weightedService(const std::string& name, core::LbPolicy policy,
                                     const std::vector<std::pair<std::string, int>>& endpoints) {
  core::Service service;
  service.name = name;
  service.load_balancer = policy;
  for (const auto& [address, weight] : endpoints) {
    service.endpoints.push_back(core::Endpoint{address, weight});
  }
  return service;
}

// One gateway on `port` routing every host to `service`.
inline core::Config oneServiceConfig(std::uint16_t port, core::Service service) {
  core::Config config;
  config.gateways.push_back(makeGateway("edge", {{core::Protocol::kHttp, port}}));
  const std::string name = service.name;
  config.services.push_back(std::move(service));
  config.routes.push_back(makeRoute("all", "edge", {"*"}, {{name, 100}}));
  return config;
}

// Sends `count` GETs and counts answers by x-backend ("" for gateway-made ones).
inline std::map<std::string, int> countBackends(
    HttpClient& client, int count, const std::string& target = "/",
    const std::vector<std::pair<std::string, std::string>>& headers = {}) {
  std::map<std::string, int> seen;
  for (int i = 0; i < count; ++i) {
    ++seen[client.request("GET", "lb.test", target, headers).header("x-backend")];
  }
  return seen;
}

}  // namespace gw::test
