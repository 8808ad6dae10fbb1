#pragma once
// A route that answers with a redirect instead of proxying (core::Redirect): the status code
// and a Location made of the redirect's parts where it sets them and the request's own
// elsewhere (scheme, host and port, path or just the matched prefix, query kept or dropped).
// The answer carries only a short text body.

#include <string>
#include <string_view>

#include "core/config/model.hpp"
#include "proxy/net.hpp"

namespace gw::proxy {

class RedirectAction {
 public:
  // `route` must outlive the action (both live in the same snapshot).
  static RedirectAction build(const core::Redirect& redirect, const core::Route& route);

  unsigned status() const { return static_cast<unsigned>(redirect_.code); }
  // `scheme` is the listener's ("http" or "https"), `host` the Host header as sent,
  // `target` the request target (origin or absolute form).
  std::string location(std::string_view scheme, std::string_view host,
                       std::string_view target) const;

 private:
  core::Redirect redirect_;
  const core::Route* route_ = nullptr;
};

}  // namespace gw::proxy
