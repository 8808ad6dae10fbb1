#include "proxy/balancer/request_key.hpp"

#include "proxy/http/lists.hpp"

namespace gw::proxy::balancer {
namespace {

std::optional<std::string_view> nonEmpty(std::string_view s) {
  if (s.empty()) {
    return std::nullopt;
  }
  return s;
}

}  // namespace

std::optional<std::string_view> cookieValue(std::string_view header, std::string_view name) {
  while (!header.empty()) {
    const auto semicolon = header.find(';');
    const std::string_view pair = trimOws(header.substr(0, semicolon));
    const auto equals = pair.find('=');
    if (equals != std::string_view::npos && trimOws(pair.substr(0, equals)) == name) {
      std::string_view value = trimOws(pair.substr(equals + 1));
      if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
        value = value.substr(1, value.size() - 2);
      }
      return value;
    }
    if (semicolon == std::string_view::npos) {
      break;
    }
    header.remove_prefix(semicolon + 1);
  }
  return std::nullopt;
}

std::optional<std::string_view> requestKey(const core::HashPolicy& policy, const Fields& request,
                                           std::string_view client_ip) {
  switch (policy.source) {
    case core::HashPolicy::Source::kClientIp:
      return nonEmpty(client_ip);
    case core::HashPolicy::Source::kHeader: {
      const auto it = request.find(policy.name);
      if (it == request.end()) {
        return std::nullopt;
      }
      return nonEmpty(trimOws(it->value()));
    }
    case core::HashPolicy::Source::kCookie: {
      const auto range = request.equal_range(http::field::cookie);
      for (auto it = range.first; it != range.second; ++it) {
        const auto value = cookieValue(it->value(), policy.name);
        if (value) {
          return nonEmpty(*value);
        }
      }
      return std::nullopt;
    }
  }
  return std::nullopt;
}

std::size_t pickEndpoint(const ServiceBalancer& balancer, int worker, std::uint32_t entropy,
                         const Fields& request, std::string_view client_ip,
                         const TriedEndpoints& tried, Clock::time_point now) {
  std::optional<std::string_view> key;
  if (balancer.policy() == core::LbPolicy::kHash && balancer.hashOn()) {
    key = requestKey(*balancer.hashOn(), request, client_ip);
  }
  return balancer.pick(worker, entropy, key, tried, now);
}

std::size_t pickEndpoint(const ServiceBalancer& balancer, int worker, std::uint32_t entropy,
                         const Fields& request, std::string_view client_ip,
                         const TriedEndpoints& tried) {
  return pickEndpoint(balancer, worker, entropy, request, client_ip, tried, Clock::now());
}

}  // namespace gw::proxy::balancer
