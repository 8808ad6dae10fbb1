#include "proxy/filter/authz/authz_filter.hpp"

#include <algorithm>

#include "proxy/filter/auth/auth_filter.hpp"
#include "proxy/filter/auth/jwt_claims.hpp"
#include "proxy/runtime/worker.hpp"

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

Status AuthzFilter::deny(Exchange& exchange) const {
  if (spec_.mode == core::Authorization::Mode::kShadow) {
    exchange.facts.shadow_denied = true;
    return Status::kContinue;
  }
  return refuse(exchange, Reason::kForbidden);
}

Status AuthzFilter::decide(Exchange& exchange, ExternalCheck::Verdict verdict) const {
  switch (verdict) {
    case ExternalCheck::Verdict::kAllow:
      return Status::kContinue;
    case ExternalCheck::Verdict::kDeny:
      return deny(exchange);
    case ExternalCheck::Verdict::kError:
      break;
  }
  return external_->allowOnError() ? Status::kContinue : deny(exchange);
}

Status AuthzFilter::onRequest(Exchange& exchange, FilterHost& host) const {
  exchange.facts.access_checked = true;
  if (!permits(exchange.facts)) {
    const Status status = deny(exchange);
    if (status != Status::kContinue || !external_) {
      return status;
    }
  }
  if (!external_) {
    return Status::kContinue;
  }
  Worker* worker = host.worker();
  if (worker == nullptr || !external_->ready()) {  // unit tests; or nothing to ask
    return decide(exchange, external_->ready() ? external_->askNow(exchange)
                                               : ExternalCheck::Verdict::kError);
  }
  external_->ask(worker->context(), exchange,
                 [this, &exchange, &host](ExternalCheck::Verdict verdict) {
                   host.resume(decide(exchange, verdict));
                 });
  return Status::kPause;
}

std::unique_ptr<Filter> build(const core::Authorization& spec, const BuildContext& ctx) {
  std::unique_ptr<ExternalCheck> external;
  if (spec.external) {
    std::string problem;
    external = std::make_unique<ExternalCheck>(*spec.external, problem);
    if (!problem.empty()) {
      ctx.problems.push_back(ctx.scope + ": " + problem);
    }
  }
  return std::make_unique<AuthzFilter>(spec, consumerDirectory(ctx), std::move(external));
}

}  // namespace gw::proxy::filter
