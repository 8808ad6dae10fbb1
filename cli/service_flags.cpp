#include "cli/service_flags.hpp"

#include <filesystem>

#include "cli/flags.hpp"

namespace gw::cli {
namespace {

// The health check to change, created with its defaults when the service has none.
core::HealthCheck& healthCheck(core::Service& service) {
  if (!service.health_check) {
    service.health_check = core::HealthCheck{};
  }
  return *service.health_check;
}

core::OutlierDetection& outlierDetection(core::Service& service) {
  if (!service.outlier_detection) {
    service.outlier_detection = core::OutlierDetection{};
  }
  return *service.outlier_detection;
}

core::Status setDuration(const std::string& flag, const std::string& text, core::Millis& out) {
  auto duration = parseDurationFlag(flag, text);
  if (!duration) {
    return std::move(duration).error();
  }
  out = *duration;
  return core::Ok{};
}

core::Status applyEndpoints(core::Service& service, const ServiceOptions& o) {
  std::vector<core::Endpoint> endpoints;
  for (const std::string& text : o.endpoints) {
    auto endpoint = parseEndpointFlag(text);
    if (!endpoint) {
      return std::move(endpoint).error();
    }
    endpoints.push_back(*endpoint);
  }
  service.endpoints = std::move(endpoints);
  return core::Ok{};
}

core::Status applyHealth(core::Service& service, const ServiceOptions& o) {
  const auto& given = o.given;
  if (given.contains("health-path") && o.health_path.empty()) {
    service.health_check.reset();
  } else if (given.contains("health-path")) {
    healthCheck(service).path = o.health_path;
  }
  if (given.contains("health-interval")) {
    if (auto s = setDuration("--health-interval", o.health_interval, healthCheck(service).interval);
        !s) {
      return s;
    }
  }
  if (given.contains("health-timeout")) {
    if (auto s = setDuration("--health-timeout", o.health_timeout, healthCheck(service).timeout);
        !s) {
      return s;
    }
  }
  if (given.contains("healthy-threshold")) {
    healthCheck(service).healthy_threshold = o.healthy_threshold;
  }
  if (given.contains("unhealthy-threshold")) {
    healthCheck(service).unhealthy_threshold = o.unhealthy_threshold;
  }
  return core::Ok{};
}

core::Status applyOutlier(core::Service& service, const ServiceOptions& o) {
  const auto& given = o.given;
  if (given.contains("eject-5xx")) {
    outlierDetection(service).consecutive_5xx = o.eject_5xx;
  }
  if (given.contains("eject-connect-failures")) {
    outlierDetection(service).consecutive_connect_failures = o.eject_connect_failures;
  }
  if (given.contains("ejection-time")) {
    if (auto s = setDuration("--ejection-time", o.ejection_time,
                             outlierDetection(service).ejection_time);
        !s) {
      return s;
    }
  }
  if (given.contains("max-ejected-percent")) {
    outlierDetection(service).max_ejected_percent = o.max_ejected_percent;
  }
  return core::Ok{};
}

// --tls turns TLS on (--tls=false off); the other --tls-* flags change it and turn it on.
core::Status applyTls(core::Service& service, const ServiceOptions& o) {
  const auto& given = o.given;
  const bool details =
      given.contains("tls-sni") || given.contains("tls-ca-file") || given.contains("tls-no-verify");
  if (given.contains("tls") && !o.tls) {
    if (details) {
      return usageError("--tls=false cannot go with --tls-sni, --tls-ca-file or --tls-no-verify");
    }
    service.tls.reset();
    return core::Ok{};
  }
  if (!given.contains("tls") && !details) {
    return core::Ok{};
  }
  if (!service.tls) {
    service.tls = core::UpstreamTls{};
  }
  if (given.contains("tls-sni")) {
    service.tls->sni = o.tls_sni;
  }
  if (given.contains("tls-ca-file")) {
    // The document holds absolute paths: the proxy may run from any folder.
    std::error_code ec;
    service.tls->ca_file =
        o.tls_ca_file.empty() ? "" : std::filesystem::absolute(o.tls_ca_file, ec).string();
  }
  if (given.contains("tls-no-verify")) {
    service.tls->verify = !o.tls_no_verify;
  }
  return core::Ok{};
}

}  // namespace

core::Status applyServiceFlags(core::Service& service, const ServiceOptions& o) {
  const auto& given = o.given;
  if (given.contains("endpoint")) {
    if (auto s = applyEndpoints(service, o); !s) {
      return s;
    }
  }
  if (given.contains("lb")) {
    service.load_balancer = core::parseLbPolicy(o.lb).value_or(core::LbPolicy::kRoundRobin);
    if (service.load_balancer != core::LbPolicy::kHash && !given.contains("hash-on")) {
      service.hash_on.reset();  // it only goes with hash
    }
  }
  if (given.contains("hash-on")) {
    service.hash_on.reset();
    if (!o.hash_on.empty()) {
      auto hash = parseHashOnFlag(o.hash_on);
      if (!hash) {
        return std::move(hash).error();
      }
      service.hash_on = *hash;
    }
  }
  if (auto s = applyHealth(service, o); !s) {
    return s;
  }
  if (auto s = applyOutlier(service, o); !s) {
    return s;
  }
  if (auto s = applyTls(service, o); !s) {
    return s;
  }
  if (given.contains("connect-timeout")) {
    return setDuration("--connect-timeout", o.connect_timeout, service.connect_timeout);
  }
  return core::Ok{};
}

void addServiceFlags(CLI::App* sub, ServiceOptions& o, bool require_endpoint) {
  auto* endpoint = sub->add_option("--endpoint", o.endpoints,
                                   "An upstream address HOST:PORT with an optional weight "
                                   "1..100 (default 1); repeat for more (update: the given "
                                   "list replaces the old one)")
                       ->type_name("HOST:PORT[=WEIGHT]");
  if (require_endpoint) {
    endpoint->required();
  }
  sub->add_option("--lb", o.lb, "Load-balancing policy (default round-robin)")
      ->check(CLI::IsMember({"round-robin", "least-request", "random", "hash"}));
  sub->add_option("--hash-on", o.hash_on,
                  "What --lb hash hashes: client-ip, header:NAME or cookie:NAME")
      ->type_name("KEY");
  sub->add_option("--health-path", o.health_path,
                  "Path probed by active health checks (\"\" turns them off)")
      ->type_name("PATH");
  sub->add_option("--health-interval", o.health_interval, "Time between probes (default 5s)")
      ->type_name("DURATION");
  sub->add_option("--health-timeout", o.health_timeout, "Time a probe may take (default 1s)")
      ->type_name("DURATION");
  sub->add_option("--healthy-threshold", o.healthy_threshold,
                  "Passed probes in a row that bring an endpoint back (default 2)")
      ->type_name("N");
  sub->add_option("--unhealthy-threshold", o.unhealthy_threshold,
                  "Failed probes in a row that take an endpoint out (default 3)")
      ->type_name("N");
  sub->add_option("--eject-5xx", o.eject_5xx,
                  "Eject an endpoint after N 5xx answers in a row (default 5; 0 = never)")
      ->type_name("N");
  sub->add_option("--eject-connect-failures", o.eject_connect_failures,
                  "Eject an endpoint after N failed connects in a row (default 3; 0 = never)")
      ->type_name("N");
  sub->add_option("--ejection-time", o.ejection_time,
                  "How long an ejected endpoint stays out (default 30s)")
      ->type_name("DURATION");
  sub->add_option("--max-ejected-percent", o.max_ejected_percent,
                  "Never eject more than this share of the endpoints (default 50)")
      ->type_name("PERCENT");
  sub->add_option("--connect-timeout", o.connect_timeout,
                  "Time to connect to an endpoint (default 2s)")
      ->type_name("DURATION");
  sub->add_flag("--tls", o.tls, "Reach the endpoints over TLS (--tls=false: plain TCP again)");
  sub->add_option("--tls-sni", o.tls_sni,
                  "Name to send and verify (default the endpoint's host name; implies --tls)")
      ->type_name("NAME");
  sub->add_option("--tls-ca-file", o.tls_ca_file,
                  "PEM certificates to verify the endpoints with (default the system's; "
                  "implies --tls)")
      ->type_name("FILE");
  sub->add_flag("--tls-no-verify", o.tls_no_verify,
                "Take any certificate, self-signed too (--tls-no-verify=false verifies again; "
                "implies --tls)");
}

}  // namespace gw::cli
