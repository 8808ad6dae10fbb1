#pragma once
// What `gw status` reports: the daemon (from proxy.pid, /proc and the admin API) and what
// it serves, or, when it is stopped, what the document configures.

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>

#include "cli/context.hpp"
#include "cli/output.hpp"
#include "core/store/home.hpp"

namespace gw::cli {

struct StatusReport {
  std::string home;
  bool running = false;
  pid_t pid = 0;
  pid_t stale_pid = 0;
  std::string admin_address;
  std::string admin_error;  // the admin API did not answer /v1/status
  std::optional<std::uint64_t> served_revision;
  std::optional<long long> uptime_seconds;
  std::optional<std::uint64_t> document_revision;
  std::string document_error;  // the document does not load
  // Arrays of objects: from /v1/status when running (routes then carry "requests", "rps"
  // over the last 10 s and "error_rate", the 5xx share of those), else from the document.
  Json listeners = Json::array();
  Json routes = Json::array();
  Json tls = Json::array();  // status_tls.hpp: each https host's certificate and its state
  std::vector<std::string> tls_problems;  // the running proxy's (admin StatusDoc)
  bool document_changed = false;          // config.yaml changed after the proxy loaded it
  // Endpoints the proxy does not send traffic to: {"service", "address", "health":
  // "unhealthy" (failed health checks) or "ejected" (outlier detection)}.
  Json unhealthy_endpoints = Json::array();
  // Authenticated consumers' traffic (status_consumers.hpp), while the proxy runs.
  Json consumers = Json::array();
  // The Redis servers of shared limits: {address, breaker, calls, failures, lastError}.
  Json redis = Json::array();
};

StatusReport collectStatus(const core::Home& home);

// -o json|yaml: {"running":bool, "pid", "adminAddress", "revision", "uptimeSeconds",
// "documentRevision", "documentChanged", "stalePid", "home", "listeners", "routes", "tls",
// "tlsProblems", "unhealthyEndpoints"}; else
// a readable summary.
void printStatus(const Context& ctx, const StatusReport& report);

// 59s, 5m3s, 3h12m, 2d4h.
std::string formatUptime(long long seconds);

}  // namespace gw::cli
