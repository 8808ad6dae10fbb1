#include "proxy/health/health_monitor.hpp"

#include "proxy/snapshot/snapshot.hpp"

namespace gw::proxy::health {
namespace {

std::string keyOf(const std::string& service, const std::string& address) {
  return service + '\n' + address;
}

}  // namespace

std::shared_ptr<EndpointState> HealthMonitor::stateFor(const std::string& service,
                                                       const std::string& address) {
  const auto it = states_.find(keyOf(service, address));
  if (it != states_.end()) {
    return it->second;
  }
  return std::make_shared<EndpointState>(workers_);
}

void HealthMonitor::adopt(const Snapshot& snapshot) {
  std::unordered_map<std::string, std::shared_ptr<EndpointState>> kept;
  std::vector<CheckTarget> targets;
  std::vector<std::shared_ptr<EndpointState>> unchecked;
  for (std::size_t s = 0; s < snapshot.services.size(); ++s) {
    const ServiceEntry& service = snapshot.services[s];
    const core::Service* spec = snapshot.config->findService(service.name);
    const bool checked = spec != nullptr && spec->health_check && !spec->health_check->path.empty();
    for (std::size_t i = 0; i < service.endpoints.size(); ++i) {
      const auto& state = service.balancer.endpoint(i).state;
      kept[keyOf(service.name, service.endpoints[i].text)] = state;
      if (checked) {
        targets.push_back(CheckTarget{state, service.endpoints[i].address,
                                      service.endpoints[i].text, *spec->health_check,
                                      service.endpoints[i].tls});
      } else {
        unchecked.push_back(state);
      }
    }
  }
  states_ = std::move(kept);
  checker_.update(std::move(targets), std::move(unchecked));
}

}  // namespace gw::proxy::health
