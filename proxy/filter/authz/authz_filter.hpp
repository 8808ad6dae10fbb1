#pragma once
// Authorization (core::Authorization) of a route, after authentication: the deny rule first
// (a match is refused), then the allow rule (given, only a match passes); a refusal is
// 403 forbidden. An anonymous request (optional auth) matches no rule. In shadow mode
// nothing is refused: what would have been is marked (ExchangeFacts::shadow_denied), counted
// per route and written in the access log, to try a rule on live traffic first.
//
// With an external authorizer (external_check.hpp) a request the rules let by is then asked
// about there, the exchange paused meanwhile; its deny is a refusal like the rules' own.

#include <memory>
#include <optional>

#include "core/config/model.hpp"
#include "proxy/filter/auth/consumer_directory.hpp"
#include "proxy/filter/authz/external_check.hpp"
#include "proxy/filter/build_context.hpp"
#include "proxy/filter/filter.hpp"

namespace gw::proxy::filter {

class AuthzFilter final : public Filter {
 public:
  AuthzFilter(core::Authorization spec, std::shared_ptr<const ConsumerDirectory> directory,
              std::unique_ptr<ExternalCheck> external = nullptr)
      : spec_(std::move(spec)), directory_(std::move(directory)), external_(std::move(external)) {}
  unsigned hooks() const override { return kOnRequest; }
  Status onRequest(Exchange& exchange, FilterHost& host) const override;

  // Whether the rules let the request's consumer through (shadow mode aside).
  bool permits(const ExchangeFacts& facts) const;

 private:
  bool matches(const core::AccessRule& rule, const ExchangeFacts& facts) const;
  // A refusal, or in shadow mode the mark of one.
  Status deny(Exchange& exchange) const;
  Status decide(Exchange& exchange, ExternalCheck::Verdict verdict) const;

  core::Authorization spec_;
  std::shared_ptr<const ConsumerDirectory> directory_;
  std::unique_ptr<ExternalCheck> external_;
};

std::unique_ptr<Filter> build(const core::Authorization& spec, const BuildContext& ctx);

}  // namespace gw::proxy::filter
