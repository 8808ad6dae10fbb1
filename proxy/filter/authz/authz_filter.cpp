#include "proxy/filter/authz/authz_filter.hpp"

#include <algorithm>

#include "proxy/filter/auth/auth_filter.hpp"
#include "proxy/filter/auth/jwt_claims.hpp"

namespace gw::proxy::filter {

bool AuthzFilter::matches(const core::AccessRule& rule, const ExchangeFacts& facts) const {
  if (facts.consumer_index >= 0) {
    const auto& consumers = rule.consumers;
    if (std::find(consumers.begin(), consumers.end(), facts.consumer) != consumers.end()) {
      return true;
    }
    if (std::any_of(rule.groups.begin(), rule.groups.end(), [&](const std::string& group) {
          return directory_->inGroup(facts.consumer_index, group);
        })) {
      return true;
    }
  }
  if (rule.claims.empty() || !facts.claims) {
    return false;
  }
  return std::all_of(rule.claims.begin(), rule.claims.end(), [&](const core::ClaimRule& claim) {
    return std::any_of(claim.values.begin(), claim.values.end(), [&](const std::string& value) {
      return facts.claims->has(claim.claim, value);
    });
  });
}

bool AuthzFilter::permits(const ExchangeFacts& facts) const {
  if (spec_.deny && matches(*spec_.deny, facts)) {
    return false;
  }
  return !spec_.allow || matches(*spec_.allow, facts);
}

Status AuthzFilter::onRequest(Exchange& exchange, FilterHost& /*host*/) const {
  exchange.facts.access_checked = true;
  if (permits(exchange.facts)) {
    return Status::kContinue;
  }
  if (spec_.mode == core::Authorization::Mode::kShadow) {
    exchange.facts.shadow_denied = true;
    return Status::kContinue;
  }
  return refuse(exchange, Reason::kForbidden);
}

std::unique_ptr<Filter> build(const core::Authorization& spec, const BuildContext& ctx) {
  return std::make_unique<AuthzFilter>(spec, consumerDirectory(ctx));
}

}  // namespace gw::proxy::filter
