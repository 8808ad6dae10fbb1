#pragma once
// What a gateway's https settings make of its listeners, built once per snapshot so that a
// request pays a pointer check when they are off. httpsRedirect: its http listeners send every
// request to its first https listener (the Location made by the redirect filter's code, the
// port left out when it is 443). hsts: the Strict-Transport-Security value every answer of
// its https listeners carries (RFC 6797 section 6.1).

#include <memory>
#include <string>

#include "core/config/model.hpp"
#include "proxy/filter/redirect/redirect.hpp"

namespace gw::proxy {

struct GatewayHttps {
  // For the gateway's http listeners; null unless httpsRedirect is on and there is an https
  // listener to send requests to. Only its location() is used: the status depends on the
  // method (session/local_answer.cpp).
  std::shared_ptr<const filter::RedirectFilter> redirect;
  // For its https listeners; null without hsts.
  std::shared_ptr<const std::string> hsts;
};

GatewayHttps gatewayHttps(const core::Gateway& gateway);

// "max-age=31536000; includeSubDomains; preload"
std::string hstsValue(const core::Hsts& hsts);

}  // namespace gw::proxy
