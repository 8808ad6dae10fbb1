#include "cli/explain_filters.hpp"

#include <variant>

#include "cli/output.hpp"
#include "core/filter/spec.hpp"

namespace gw::cli {
namespace {

std::string ruleText(const core::AccessRule& rule) {
  std::vector<std::string> parts;
  if (!rule.consumers.empty()) {
    parts.push_back("consumers " + join(rule.consumers));
  }
  if (!rule.groups.empty()) {
    parts.push_back("groups " + join(rule.groups));
  }
  for (const core::ClaimRule& claim : rule.claims) {
    parts.push_back("claim " + claim.claim + " in " + join(claim.values));
  }
  return join(parts, " or ");
}

std::string ipText(const core::IpLists& ip) {
  std::vector<std::string> parts;
  if (!ip.deny.empty()) {
    parts.push_back("deny " + join(ip.deny));
  }
  if (!ip.allow.empty()) {
    parts.push_back("allow only " + join(ip.allow));
  }
  return join(parts, ", ");
}

struct Describe {
  std::string operator()(const core::IpLists& ip) const { return "ip lists: " + ipText(ip); }
  std::string operator()(const core::Cors& cors) const {
    return "cors: origins " + join(cors.origins);
  }
  std::string operator()(const core::AuthPolicy& auth) const {
    return "auth: " + join(auth.methods, ", ") + (auth.optional ? " (optional)" : "");
  }
  std::string operator()(const core::Authorization& authz) const {
    std::vector<std::string> parts;
    if (authz.deny) {
      parts.push_back("deny " + ruleText(*authz.deny));
    }
    if (authz.allow) {
      parts.push_back("allow " + ruleText(*authz.allow));
    }
    return "authorization: " + join(parts, "; ") +
           (authz.mode == core::Authorization::Mode::kShadow ? " (shadow: refuses nothing)" : "");
  }
  std::string operator()(const core::Quotas& /*spec*/) const {
    return "quota: the consumer's plan's, per UTC day or month";
  }
  std::string operator()(const core::RateLimits& spec) const {
    std::vector<std::string> parts = limitTexts(spec.gateway, "gateway's ");
    const auto own = limitTexts(spec.route, "");
    parts.insert(parts.end(), own.begin(), own.end());
    if (spec.plans) {
      parts.emplace_back("the consumer's plan's");
    }
    return "rate limits: " + join(parts, ", ");
  }
  static std::vector<std::string> limitTexts(const std::vector<core::RateLimit>& limits,
                                             const std::string& prefix) {
    std::vector<std::string> parts;
    for (const core::RateLimit& limit : limits) {
      std::string text = prefix + core::formatRate(limit.rate);
      if (limit.burst > 0) {
        text += " burst " + std::to_string(limit.burst);
      }
      text += limit.by.empty() ? " in all" : " per " + join(limit.by, "+");
      if (limit.cost != 1) {
        text += " cost " + std::to_string(limit.cost);
      }
      if (limit.store == core::RateLimit::Store::kRedis) {
        text += " (shared in Redis)";
      }
      if (limit.mode == core::RateLimit::Mode::kShadow) {
        text += " (shadow: refuses nothing)";
      }
      parts.push_back(std::move(text));
    }
    return parts;
  }
  std::string operator()(const core::Compress& compress) const {
    std::vector<std::string> names;
    for (const core::Compress::Encoding encoding : compress.encodings) {
      names.emplace_back(core::toString(encoding));
    }
    return "compress: " + join(names, ", ") + " from " + core::formatByteSize(compress.min_size);
  }
  std::string operator()(const core::RouteCache& cache) const {
    std::string text = "cache: GET and HEAD, as the answers' Cache-Control allows";
    if (cache.max_age.count() > 0) {
      text += "; " + core::formatDuration(cache.max_age) + " for answers that say nothing";
    }
    return text;
  }
  template <class Other>
  std::string operator()(const Other& /*spec*/) const {
    return "";
  }
};

}  // namespace

std::vector<std::string> filtersMet(const core::Config& config, const core::Gateway& gateway,
                                    const core::Route& route) {
  std::vector<std::string> out;
  for (const core::FilterEntry& entry :
       core::chainFilters(&gateway, route, core::planFeatures(config))) {
    const std::string text = std::visit(Describe{}, entry.spec);
    out.push_back((entry.gateway ? "gateway " + gateway.name + " " : std::string()) +
                  (text.empty() ? std::string(entry.name) : text));
  }
  return out;
}

}  // namespace gw::cli
