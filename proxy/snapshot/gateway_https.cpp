#include "proxy/snapshot/gateway_https.hpp"

#include <algorithm>

namespace gw::proxy {
namespace {

// The redirect keeps no part of a route (no prefix to replace), but the filter wants one
// that outlives it.
const core::Route& noRoute() {
  static const core::Route kNone;
  return kNone;
}

}  // namespace

std::string hstsValue(const core::Hsts& hsts) {
  std::string out = "max-age=" + std::to_string(std::max<std::int64_t>(0, hsts.max_age.count()));
  if (hsts.include_subdomains) {
    out += "; includeSubDomains";
  }
  if (hsts.preload) {
    out += "; preload";
  }
  return out;
}

GatewayHttps gatewayHttps(const core::Gateway& gateway) {
  GatewayHttps out;
  if (gateway.https_redirect) {
    const auto https =
        std::find_if(gateway.listeners.begin(), gateway.listeners.end(),
                     [](const core::Listener& l) { return l.protocol == core::Protocol::kHttps; });
    if (https != gateway.listeners.end()) {
      core::Redirect redirect;
      redirect.scheme = "https";  // the request's host, path and query; this port
      redirect.port = https->port;
      redirect.keep_query = true;
      out.redirect = std::make_shared<const filter::RedirectFilter>(redirect, noRoute());
    }
  }
  if (gateway.hsts) {
    out.hsts = std::make_shared<const std::string>(hstsValue(*gateway.hsts));
  }
  return out;
}

}  // namespace gw::proxy
