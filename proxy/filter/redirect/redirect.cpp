#include "proxy/filter/redirect/redirect.hpp"

#include "core/config/redirect.hpp"

namespace gw::proxy::filter {

Status RedirectFilter::onRequest(Exchange& exchange, FilterHost& /*host*/) const {
  const auto& req = exchange.request();
  const std::string target =
      location(exchange.https ? "https" : "http", req[http::field::host], req.target());
  auto& res = exchange.local;
  res = {};
  res.result(static_cast<unsigned>(redirect_.code));
  res.set(http::field::location, target);
  res.set(http::field::content_type, "text/plain");
  res.body() = "redirecting to " + target + "\n";
  return Status::kAnswer;
}

std::string RedirectFilter::location(std::string_view scheme, std::string_view host,
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

std::unique_ptr<Filter> build(const core::Redirect& spec, const BuildContext& ctx) {
  return std::make_unique<RedirectFilter>(spec, ctx.route);
}

}  // namespace gw::proxy::filter
