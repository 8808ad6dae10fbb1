#include "proxy/filter/route_actions.hpp"

namespace gw::proxy {

RouteActions RouteActions::build(const core::Route& route, std::vector<std::string>& problems) {
  RouteActions actions;
  if (route.redirect) {
    actions.redirect = RedirectAction::build(*route.redirect, route);
  }
  if (route.direct_response) {
    actions.direct_response = DirectResponseAction::build(*route.direct_response);
  }
  if (route.rewrite && (!route.rewrite->prefix.empty() || !route.rewrite->regex.empty())) {
    std::string why;
    actions.rewrite = PathRewrite::build(*route.rewrite, route, why);
    if (!actions.rewrite) {
      problems.push_back("route " + route.name + ": " + why);
    }
  }
  actions.request_headers = HeaderEdits::build(route.request_headers);
  actions.response_headers = HeaderEdits::build(route.response_headers);
  return actions;
}

}  // namespace gw::proxy
