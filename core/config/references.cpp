#include "core/config/references.hpp"

#include "core/config/checks.hpp"

namespace gw::core {
namespace {

void add(std::vector<Diagnostic>& out, std::string path, std::optional<std::string> problem) {
  if (problem) {
    out.push_back(Diagnostic{std::move(path), std::move(*problem), "", {}});
  }
}

}  // namespace

std::optional<std::string> missingGateway(const Config& config, std::string_view name) {
  if (name.empty() || config.findGateway(name) != nullptr) {
    return std::nullopt;
  }
  return "no gateway named " + quote(name);
}

std::optional<std::string> missingService(const Config& config, std::string_view name) {
  if (name.empty() || config.findService(name) != nullptr) {
    return std::nullopt;
  }
  return "no service named " + quote(name);
}

std::vector<Diagnostic> checkReferences(const Config& config) {
  std::vector<Diagnostic> out;
  for (std::size_t r = 0; r < config.routes.size(); ++r) {
    const Route& route = config.routes[r];
    const std::string path = "routes[" + std::to_string(r) + "]";
    add(out, path + ".gateway", missingGateway(config, route.gateway));
    for (std::size_t d = 0; d < route.destinations.size(); ++d) {
      add(out, path + ".destinations[" + std::to_string(d) + "].service",
          missingService(config, route.destinations[d].service));
    }
    if (route.mirror) {
      add(out, path + ".mirror.service", missingService(config, route.mirror->service));
    }
    if (route.aggregate) {
      for (std::size_t b = 0; b < route.aggregate->backends.size(); ++b) {
        add(out, path + ".aggregate.backends[" + std::to_string(b) + "].service",
            missingService(config, route.aggregate->backends[b].service));
      }
    }
  }
  for (std::size_t c = 0; c < config.certificates.size(); ++c) {
    add(out, "certificates[" + std::to_string(c) + "].gateway",
        missingGateway(config, config.certificates[c].gateway));
  }
  return out;
}

}  // namespace gw::core
