#include "proxy/filter/redirect/redirect.hpp"

#include "core/config/redirect.hpp"

namespace gw::proxy {

RedirectAction RedirectAction::build(const core::Redirect& redirect, const core::Route& route) {
  RedirectAction action;
  action.redirect_ = redirect;
  action.route_ = &route;
  return action;
}

std::string RedirectAction::location(std::string_view scheme, std::string_view host,
                                     std::string_view target) const {
  if (!target.empty() && target.front() != '/') {  // absolute form: keep the path onwards
    const auto authority = target.find("://");
    const auto slash =
        authority == std::string_view::npos ? authority : target.find('/', authority + 3);
    target = slash == std::string_view::npos ? std::string_view("/") : target.substr(slash);
  }
  const auto query_at = target.find('?');
  core::RequestUrl url;
  url.scheme = scheme;
  url.host = host;
  url.path = target.substr(0, query_at);
  url.query = query_at == std::string_view::npos ? std::string_view{} : target.substr(query_at + 1);
  return core::redirectLocation(redirect_, *route_, url);
}

}  // namespace gw::proxy
