#include "core/config/validate.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "core/config/checks.hpp"
#include "core/config/document.hpp"
#include "core/config/errors.hpp"
#include "core/config/references.hpp"
#include "core/config/validate_context.hpp"

namespace gw::core {
namespace {

std::string listenerName(const Listener& l) {
  return l.name.empty() ? toString(l.protocol) : l.name;
}

// A wildcard address binds every address of its family, so it shares ports with all of them.
bool addressesOverlap(const std::string& a, const std::string& b) {
  const auto wildcard = [](const std::string& s) { return s == "0.0.0.0" || s == "::"; };
  return a == b || wildcard(a) || wildcard(b);
}

void positive(Checker& check, const std::string& path, long long value) {
  if (value <= 0) {
    check.add(path, "must be positive (got " + std::to_string(value) + ")");
  }
}

void checkGatewayLimits(const Gateway& gateway, const std::string& path, Checker& check) {
  const Limits& limits = gateway.limits;
  positive(check, path + ".limits.maxHeaderBytes", limits.max_header_bytes);
  positive(check, path + ".limits.maxHeaders", limits.max_headers);
  positive(check, path + ".limits.maxUriBytes", limits.max_uri_bytes);
  if (limits.max_body_bytes == 0) {
    check.add(path + ".limits.maxBodyBytes", "must be positive (got 0)");
  }
  checkDuration(check, path + ".timeouts.headerRead", gateway.timeouts.header_read);
  checkDuration(check, path + ".timeouts.idle", gateway.timeouts.idle);
  checkDuration(check, path + ".timeouts.write", gateway.timeouts.write);
}

void checkGatewayFields(const Gateway& gateway, const std::string& path, Checker& check) {
  if (!isIpv4(gateway.address) && !isIpv6(gateway.address)) {
    check.add(path + ".address",
              "must be an IPv4 or IPv6 address (got " + quote(gateway.address) + ")");
  }
  if (gateway.replicas.min < 1) {
    check.add(path + ".replicas.min",
              "must be at least 1 (got " + std::to_string(gateway.replicas.min) + ")");
  }
  if (gateway.replicas.max < gateway.replicas.min) {
    check.add(path + ".replicas.max", "must be at least min (" +
                                          std::to_string(gateway.replicas.min) + ") (got " +
                                          std::to_string(gateway.replicas.max) + ")");
  }
  checkGatewayLimits(gateway, path, check);
  if (!gateway.service_type.empty() && gateway.service_type != "ClusterIP" &&
      gateway.service_type != "NodePort" && gateway.service_type != "LoadBalancer") {
    check.add(path + ".serviceType", "must be one of ClusterIP, NodePort, LoadBalancer (got " +
                                         quote(gateway.service_type) + ")");
  }
}

// A listener already checked: gateways[gateway].listeners[listener].
struct BoundListener {
  std::size_t gateway;
  std::size_t listener;
};

// The listeners of gateways[g]: names unique within the gateway, ports not taken by an
// earlier listener on an overlapping address. Adds each listener with a port to `bound`.
void checkListeners(const Config& config, std::size_t g, const std::string& path,
                    std::vector<BoundListener>& bound, Checker& check) {
  const Gateway& gateway = config.gateways[g];
  std::set<std::string> names;
  for (std::size_t l = 0; l < gateway.listeners.size(); ++l) {
    const Listener& listener = gateway.listeners[l];
    const std::string lpath = path + ".listeners[" + std::to_string(l) + "]";
    check.name(lpath + ".name", listenerName(listener));
    if (!names.insert(listenerName(listener)).second) {
      check.add(lpath + ".name", "duplicate listener name " + quote(listenerName(listener)));
    }
    if (listener.port == 0) {
      check.add(lpath + ".port", "must be 1..65535 (got 0)");
      continue;
    }
    const auto taken = std::find_if(bound.begin(), bound.end(), [&](const BoundListener& b) {
      const Gateway& other = config.gateways[b.gateway];
      return other.listeners[b.listener].port == listener.port &&
             addressesOverlap(other.address, gateway.address);
    });
    if (taken != bound.end()) {
      const Gateway& other = config.gateways[taken->gateway];
      check.add(lpath + ".port", std::to_string(listener.port) + " is already used by " +
                                     at("gateways", taken->gateway) + ".listeners[" +
                                     std::to_string(taken->listener) + "] (" + other.name + "/" +
                                     listenerName(other.listeners[taken->listener]) + ")");
    }
    bound.push_back({g, l});
  }
}

void validateGateways(const Config& config, Checker& check) {
  check.uniqueNames(config.gateways, "gateways", "gateway");
  std::vector<BoundListener> bound;
  for (std::size_t g = 0; g < config.gateways.size(); ++g) {
    const std::string path = at("gateways", g);
    checkGatewayFields(config.gateways[g], path, check);
    checkListeners(config, g, path, bound, check);
    checkGatewayHttps(config.gateways[g], path, check);
    checkGatewayAccess(config, config.gateways[g], path, check);
    checkRateLimits(config, config.gateways[g].rate_limits, path, check);
    checkCompress(config.gateways[g].compress, path, check);
  }
}

}  // namespace

void Checker::add(const std::string& path, std::string message) {
  Diagnostic d{path, std::move(message), "", {}};
  if (source_ != nullptr) {
    d.file = source_->file;
    d.pos = source_->find(path);
  }
  diagnostics_.push_back(std::move(d));
}

void checkDuration(Checker& check, const std::string& path, Millis value) {
  if (value.count() <= 0) {
    check.add(path, "must be positive (got " + formatDuration(value) + ")");
  }
}

void Checker::name(const std::string& path, const std::string& value) {
  if (value.empty()) {
    add(path, "must not be empty");
  } else if (!isValidName(value)) {
    add(path,
        "must be lower-case letters, digits, '.' and '-', starting with a letter or digit "
        "(got " +
            quote(value) + ")");
  }
}

std::string at(const char* section, std::size_t index) {
  return std::string(section) + "[" + std::to_string(index) + "]";
}

std::vector<Diagnostic> validate(const Config& config, const SourceMap* source) {
  Checker check(source);
  if (config.api_version != kApiVersion) {
    check.add("apiVersion",
              "must be " + quote(kApiVersion) + " (got " + quote(config.api_version) + ")");
  }
  if (config.proxy.threads < 0) {
    check.add("proxy.threads", "must be 0 (one per core) or more (got " +
                                   std::to_string(config.proxy.threads) + ")");
  }
  checkCacheSettings(config.proxy.cache, check);
  validateGateways(config, check);
  validateServices(config, check);
  validateRoutes(config, check);
  validateCertificates(config, check);
  validateConsumers(config, check);
  validateLimits(config, check);
  return check.take();
}

Result<Config> loadDocument(std::string_view text, const std::string& file) {
  auto decoded = decode(text, file);
  if (!decoded) {
    return std::move(decoded).error();
  }
  const auto diagnostics = validate(decoded->config, &decoded->source);
  if (!diagnostics.empty()) {
    return documentError(file, diagnostics);
  }
  return std::move(decoded->config);
}

}  // namespace gw::core
