#include "proxy/filter/rewrite/rewrite.hpp"

#include <iterator>

#include "core/config/redirect.hpp"

namespace gw::proxy {

std::optional<PathRewrite> PathRewrite::build(const core::Rewrite& rewrite,
                                              const core::Route& route, std::string& why) {
  PathRewrite out;
  if (!rewrite.regex.empty()) {
    try {  // the control plane: a bad pattern becomes a config problem, not a crash
      out.regex_.emplace(rewrite.regex, std::regex::ECMAScript);
    } catch (const std::regex_error& e) {
      why = "rewrite regex " + rewrite.regex + " does not compile: " + e.what();
      return std::nullopt;
    }
    out.substitution_ = rewrite.substitution;
    return out;
  }
  out.prefix_ = rewrite.prefix;
  if (route.match.type == core::MatchType::kPrefix) {
    out.matched_ = route.match.path;
  }
  return out;
}

std::string PathRewrite::apply(std::string_view target) const {
  const auto query_at = target.find('?');
  const std::string_view path = target.substr(0, query_at);
  std::string_view query =
      query_at == std::string_view::npos ? std::string_view{} : target.substr(query_at);
  std::string out;
  if (regex_) {
    std::regex_replace(std::back_inserter(out), path.begin(), path.end(), *regex_, substitution_);
    if (out.empty() || out.front() != '/') {
      out.insert(out.begin(), '/');
    }
  } else {
    out = core::replacePrefix(path, matched_.empty() ? path : std::string_view(matched_), prefix_);
  }
  if (!query.empty() && out.find('?') != std::string::npos) {
    query.remove_prefix(1);  // the substitution made a query of its own: join them
    out += '&';
  }
  out += query;
  return out;
}

namespace filter {

Status RewriteFilter::onRequest(Exchange& exchange, FilterHost& /*host*/) const {
  auto& req = exchange.request();
  const std::string_view target = req.target();
  exchange.original_path = std::string(target.substr(0, target.find('?')));
  req.target(rewrite_.apply(target));
  return Status::kContinue;
}

std::unique_ptr<Filter> build(const core::Rewrite& spec, const BuildContext& ctx) {
  std::string why;
  auto rewrite = PathRewrite::build(spec, ctx.route, why);
  if (!rewrite) {
    ctx.problems.push_back("route " + ctx.route.name + ": " + why);
    return nullptr;
  }
  return std::make_unique<RewriteFilter>(std::move(*rewrite));
}

}  // namespace filter
}  // namespace gw::proxy
