#pragma once
// Active health checks for the whole proxy: one thread with its own io_context, off the
// workers' loops. Every target is probed with GET `path` every `interval` (counted from the
// end of the previous probe), each probe bounded by `timeout`; 2xx and 3xx pass. An endpoint
// goes down after `unhealthy_threshold` failures in a row and comes back after
// `healthy_threshold` passes; workers see it through EndpointState::healthy(). A service
// reached over TLS is probed over TLS, with the same verification, so a certificate the
// traffic would refuse takes the endpoint down; each probe resumes the last one's session.

#include <memory>
#include <string>
#include <vector>

#include "core/config/model.hpp"
#include "proxy/health/endpoint_state.hpp"
#include "proxy/net.hpp"
#include "proxy/tls/client_context.hpp"

namespace gw::proxy::health {

struct CheckTarget {
  std::shared_ptr<EndpointState> state;
  tcp::endpoint address;
  std::string host;  // the Host header: the endpoint as configured
  core::HealthCheck check;
  std::shared_ptr<const tls::EndpointTls> tls;  // a TLS service's: probes go over TLS too
};

class HealthChecker {
 public:
  HealthChecker();
  ~HealthChecker();
  HealthChecker(const HealthChecker&) = delete;
  HealthChecker& operator=(const HealthChecker&) = delete;

  // Any thread. Probes `targets` from now on instead of the previous ones (the thread starts
  // on the first call). Endpoints in `unchecked` belong to services without a check and are
  // marked healthy, so a reload that removes a check leaves nothing down.
  void update(std::vector<CheckTarget> targets,
              std::vector<std::shared_ptr<EndpointState>> unchecked);
  // Ends every probe and the thread; later updates are ignored.
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace gw::proxy::health
