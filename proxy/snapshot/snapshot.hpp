#pragma once
// Everything a worker needs to serve one config revision, built once per load and then
// only read: each worker holds a shared_ptr to the one it serves, and every request keeps
// the snapshot it started with alive until it ends.

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/config/model.hpp"
#include "core/net/cidr.hpp"
#include "core/result.hpp"
#include "core/routing/route_table.hpp"
#include "proxy/balancer/service_balancer.hpp"
#include "proxy/filter/chain.hpp"
#include "proxy/filter/ip_lists/ip_lists.hpp"
#include "proxy/filter/redirect/redirect.hpp"
#include "proxy/filter/registry.hpp"
#include "proxy/health/health_monitor.hpp"
#include "proxy/metering/usage_meter.hpp"
#include "proxy/net.hpp"
#include "proxy/observe/stats.hpp"
#include "proxy/retry/budget.hpp"
#include "proxy/retry/policy.hpp"
#include "proxy/snapshot/ids.hpp"
#include "proxy/tls/certificate_cache.hpp"
#include "proxy/tls/client_context.hpp"
#include "proxy/tls/server_tls.hpp"

namespace gw::proxy {

namespace cache {
struct ResponseCache;
}

struct EndpointEntry {
  tcp::endpoint address;                        // resolved when the snapshot was built
  std::uint32_t id = 0;                         // stable across reloads: indexes each worker's pool
  std::string text;                             // as configured, for the access log
  std::shared_ptr<const tls::EndpointTls> tls;  // null: plain TCP
};

struct ServiceEntry {
  std::string name;
  std::vector<EndpointEntry> endpoints;
  balancer::ServiceBalancer balancer;  // parallel to endpoints
};

struct RouteEntry {  // parallel to Config::routes
  const core::Route* route = nullptr;
  std::vector<std::uint32_t> services;  // per destination: index into Snapshot::services
  std::chrono::milliseconds timeout{15000};
  RetryPolicy retry;
  // Null when the route never retries. A reload starts every budget afresh at its floor.
  std::shared_ptr<RetryBudget> retry_budget;
  // The gateway's filters, then the route's (redirect, direct response, rewrite, header
  // edits, mirror, ...); empty for a route that only forwards.
  filter::FilterChain chain;
};

struct GatewayEntry {
  std::string name;
  std::shared_ptr<const core::routing::RouteTable> table;
  core::net::CidrSet trusted_proxies;  // clientIp.trustedProxies
  // The gateway's ipAllow/ipDeny, for requests no route takes (routes run it in their chain).
  std::shared_ptr<const filter::IpListFilter> ip_lists;
};

struct ListenerEntry {
  std::uint32_t id = 0;  // stable while protocol, address and port stay the same
  std::size_t gateway = 0;
  std::string gateway_name;
  std::string listener_name;
  core::Protocol protocol = core::Protocol::kHttp;
  tcp::endpoint endpoint;
  // An https listener's certificates and challenges (certificates.hpp); null: it refuses
  // TLS (tls_refusal).
  std::shared_ptr<const tls::ServerTls> tls;
  // The gateway's https settings (gateway_https.hpp): the redirect on an http listener, the
  // Strict-Transport-Security value on an https one. Null when off.
  std::shared_ptr<const filter::RedirectFilter> https_redirect;
  std::shared_ptr<const std::string> hsts;
};

// Who metered requests count as (metering/usage_meter.hpp); a snapshot has none when
// metering is off.
struct UsageBinding {
  metering::UsageMeter* meter = nullptr;
  std::vector<std::uint32_t> consumers;  // the meter's ids, per consumer of the document
  std::vector<std::uint32_t> routes;     // per route
};

struct Snapshot {
  std::shared_ptr<const core::Config> config;
  std::vector<GatewayEntry> gateways;
  std::vector<ServiceEntry> services;
  std::vector<RouteEntry> routes;
  std::vector<ListenerEntry> listeners;
  std::vector<std::int32_t> listener_by_id;     // listener id -> index in listeners, or -1
  std::shared_ptr<const StatsBinding> stats;    // the nodes this snapshot's requests count in
  std::shared_ptr<const UsageBinding> usage;    // null: requests are not metered
  std::shared_ptr<cache::ResponseCache> cache;  // the response cache; null: no route caches
  std::vector<std::string> tls_problems;        // certificates not served, and why
  std::string acme_http01_dir;      // pending HTTP-01 answers (session/acme_challenge.hpp)
  std::string acme_tls_alpn01_dir;  // pending TLS-ALPN-01 answers (tls/acme_tls_alpn.hpp)

  const ListenerEntry* listener(std::uint32_t id) const {
    if (id >= listener_by_id.size() || listener_by_id[id] < 0) {
      return nullptr;
    }
    return &listeners[static_cast<std::size_t>(listener_by_id[id])];
  }
};

// The registries outlive every snapshot; the caller serialises builds.
struct SnapshotRegistries {
  IdRegistry listener_ids;
  IdRegistry endpoint_ids;
  StatsRegistry* stats = nullptr;
  metering::UsageMeter* usage = nullptr;    // null: no metering, no quotas
  health::HealthMonitor* health = nullptr;  // keeps endpoint health across reloads
  filter::StateRegistry filter_states;      // what filters keep across requests and reloads
  std::string certs_dir;                    // <home>/certs: each certificate's files
  tls::CertificateCache certificates;       // their contexts, kept across reloads
  std::string acme_dir;                     // <home>/acme: the ACME client's files
};

// Checks the document's cross-references with core's rules (so a caller that skipped
// validation still gets no dangling name), resolves what the proxy needs (IP addresses,
// endpoints, no listener address used twice), and compiles the route tables and filter
// chains.
core::Result<std::shared_ptr<const Snapshot>> buildSnapshot(
    std::shared_ptr<const core::Config> config, SnapshotRegistries& registries);

}  // namespace gw::proxy
