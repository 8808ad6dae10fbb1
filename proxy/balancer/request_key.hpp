#pragma once
// What identifies a client for the hash policy, read from the request without copying.

#include <boost/beast/http/fields.hpp>
#include <optional>
#include <string_view>

#include "core/config/model.hpp"
#include "proxy/balancer/service_balancer.hpp"
#include "proxy/net.hpp"

namespace gw::proxy::balancer {

using Fields = http::fields;

// The client IP, a header's value or a cookie's value, as a view into `request` or
// `client_ip`; nullopt when the request carries none (or an empty one).
std::optional<std::string_view> requestKey(const core::HashPolicy& policy, const Fields& request,
                                           std::string_view client_ip);

// ServiceBalancer::pick for one request: its hash key is read only when the policy hashes.
// `now` as for pick; the overload without reads the clock.
std::size_t pickEndpoint(const ServiceBalancer& balancer, int worker, std::uint32_t entropy,
                         const Fields& request, std::string_view client_ip,
                         const TriedEndpoints& tried, Clock::time_point now);
std::size_t pickEndpoint(const ServiceBalancer& balancer, int worker, std::uint32_t entropy,
                         const Fields& request, std::string_view client_ip,
                         const TriedEndpoints& tried);

// The value of cookie `name` in one Cookie header value ("a=1; b=2"), or nullopt.
std::optional<std::string_view> cookieValue(std::string_view header, std::string_view name);

}  // namespace gw::proxy::balancer
