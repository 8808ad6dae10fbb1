#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>

#include "core/config/checks.hpp"
#include "core/config/validate_context.hpp"

namespace gw::core {
namespace {

void atLeast(Checker& check, const std::string& path, int value, int least) {
  if (value < least) {
    check.add(path,
              "must be at least " + std::to_string(least) + " (got " + std::to_string(value) + ")");
  }
}

void checkEndpoints(const Service& service, const std::string& path, Checker& check) {
  if (service.endpoints.empty()) {
    check.add(path + ".endpoints", "at least one endpoint is required");
  }
  std::set<std::string> seen;
  for (std::size_t e = 0; e < service.endpoints.size(); ++e) {
    const Endpoint& endpoint = service.endpoints[e];
    const std::string epath = path + ".endpoints[" + std::to_string(e) + "]";
    if (!isHostPort(endpoint.address)) {
      check.add(epath, "must be HOST:PORT (got " + quote(endpoint.address) + ")");
    } else if (!seen.insert(toLower(endpoint.address)).second) {
      check.add(epath, "duplicate endpoint " + quote(endpoint.address));
    }
    if (endpoint.weight < 1 || endpoint.weight > 100) {
      check.add(epath + ".weight", "must be 1..100 (got " + std::to_string(endpoint.weight) + ")");
    }
  }
}

// hashOn goes with loadBalancer: hash, and only with it.
void checkHashPolicy(const Service& service, const std::string& path, Checker& check) {
  const bool hashing = service.load_balancer == LbPolicy::kHash;
  if (hashing && !service.hash_on) {
    check.add(path + ".hashOn",
              "required with loadBalancer: hash (client-ip, header:NAME or "
              "cookie:NAME)");
  }
  if (!service.hash_on) {
    return;
  }
  if (!hashing) {
    check.add(path + ".hashOn", std::string("only applies to loadBalancer: hash (got ") +
                                    toString(service.load_balancer) + ")");
  }
  if (service.hash_on->source != HashPolicy::Source::kClientIp && !isToken(service.hash_on->name)) {
    check.add(path + ".hashOn",
              "must name an HTTP token (got " + quote(toString(*service.hash_on)) + ")");
  }
}

void checkHealth(const Service& service, const std::string& path, Checker& check) {
  if (service.health_check) {
    const HealthCheck& hc = *service.health_check;
    const std::string hpath = path + ".healthCheck";
    if (!hc.path.empty() && hc.path.front() != '/') {
      check.add(hpath + ".path", "must start with '/' (got " + quote(hc.path) + ")");
    }
    checkDuration(check, hpath + ".interval", hc.interval);
    checkDuration(check, hpath + ".timeout", hc.timeout);
    atLeast(check, hpath + ".healthyThreshold", hc.healthy_threshold, 1);
    atLeast(check, hpath + ".unhealthyThreshold", hc.unhealthy_threshold, 1);
  }
  if (service.outlier_detection) {
    const OutlierDetection& od = *service.outlier_detection;
    const std::string opath = path + ".outlierDetection";
    atLeast(check, opath + ".consecutive5xx", od.consecutive_5xx, 0);
    atLeast(check, opath + ".consecutiveConnectFailures", od.consecutive_connect_failures, 0);
    checkDuration(check, opath + ".ejectionTime", od.ejection_time);
    if (od.max_ejected_percent < 0 || od.max_ejected_percent > 100) {
      check.add(opath + ".maxEjectedPercent",
                "must be 0..100 (got " + std::to_string(od.max_ejected_percent) + ")");
    }
  }
  checkDuration(check, path + ".connectTimeout", service.connect_timeout);
}

// A PEM certificate's armour: the proxy parses the file itself, this says early that it is
// not one (a key, a DER file, the wrong file) with the document's path.
bool holdsPemCertificate(const std::string& file) {
  std::ifstream in(file, std::ios::binary);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const auto begin = text.find("-----BEGIN CERTIFICATE-----");
  return begin != std::string::npos &&
         text.find("-----END CERTIFICATE-----", begin) != std::string::npos;
}

void checkTls(const Service& service, const std::string& path, Checker& check) {
  if (!service.tls) {
    return;
  }
  const UpstreamTls& tls = *service.tls;
  const std::string tpath = path + ".tls";
  if (!tls.sni.empty() && !isDnsName(toLower(tls.sni))) {
    check.add(tpath + ".sni", "must be a DNS name (got " + quote(tls.sni) + ")");
  }
  if (!tls.ca_file.empty()) {
    checkCaFile(tls.ca_file, tpath + ".caFile", check);
  }
}

}  // namespace

void checkCaFile(const std::string& ca_file, const std::string& path, Checker& check) {
  const std::filesystem::path file(ca_file);
  std::error_code ec;
  if (!file.is_absolute()) {
    check.add(path, "must be an absolute path (got " + quote(ca_file) + ")");
  } else if (!std::filesystem::is_regular_file(file, ec)) {
    check.add(path, ca_file + ": no such file");
  } else if (!holdsPemCertificate(ca_file)) {
    check.add(path, ca_file + ": not a PEM certificate");
  }
}

void validateServices(const Config& config, Checker& check) {
  check.uniqueNames(config.services, "services", "service");
  for (std::size_t s = 0; s < config.services.size(); ++s) {
    const Service& service = config.services[s];
    const std::string path = at("services", s);
    checkEndpoints(service, path, check);
    checkHashPolicy(service, path, check);
    checkHealth(service, path, check);
    checkTls(service, path, check);
  }
}

}  // namespace gw::core
