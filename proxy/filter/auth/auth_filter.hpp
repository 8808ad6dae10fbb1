#pragma once
// Authentication (core::AuthPolicy) of a route, or of a gateway for its routes without their
// own. The methods are tried in order and the first that finds a credential in the request
// decides: a good one names the consumer, a bad one is refused (401 auth_invalid), and none
// at all is 401 auth_missing unless the policy is optional (the request goes on anonymous).
// Every 401 carries a WWW-Authenticate challenge per method.
//
// On success the consumer's name and groups go upstream in x-gw-consumer and
// x-gw-consumer-groups (the session removes those headers from every request as it comes,
// so a client cannot send its own), and the credential headers are removed unless the
// policy keeps them.
//
// JWT (jwt:PROVIDER) takes "Authorization: Bearer TOKEN", verified by the provider's state
// (jwt_provider.hpp); a valid token is the consumer its claims name (consumers[].jwt), or an
// authenticated caller without a consumer, and its claims go to the filters after (claim
// rules) and, as the provider says, upstream in headers. An expired token is 401
// auth_expired, any other bad one 401 auth_invalid, with a Bearer challenge (RFC 6750).
//
// mtls takes the connection's verified client certificate (tls/client_auth.hpp): one of its
// identities must be a consumer's (consumers[].certificates), else 401 auth_invalid.
//
// Basic auth checks a password on a background thread (slow_work.hpp) and pauses the
// exchange meanwhile; the verdict is cached (consumer_directory.hpp), so only the first
// request of a client waits for it.

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/config/model.hpp"
#include "proxy/filter/auth/consumer_directory.hpp"
#include "proxy/filter/auth/jwt_provider.hpp"
#include "proxy/filter/build_context.hpp"
#include "proxy/filter/filter.hpp"

namespace gw::proxy::filter {

class AuthFilter final : public Filter {
 public:
  enum class Method { kApiKey, kBasic, kJwt, kMtls };
  struct MethodEntry {
    Method method;
    std::shared_ptr<JwtProviderState> provider;  // kJwt
  };

  // `cors`: the route answers CORS preflights, which carry no credentials: let them by.
  // `providers`: the state of each jwt:PROVIDER method, by provider name.
  AuthFilter(const core::AuthPolicy& policy, std::shared_ptr<const ConsumerDirectory> directory,
             bool cors, const std::vector<std::shared_ptr<JwtProviderState>>& providers = {});
  unsigned hooks() const override { return kOnRequest; }
  Status onRequest(Exchange& exchange, FilterHost& host) const override;

 private:
  Status checkApiKey(Exchange& exchange, std::string_view key) const;
  Status checkBasic(Exchange& exchange, FilterHost& host, std::string_view credential) const;
  Status checkJwt(Exchange& exchange, JwtProviderState& provider, std::string_view token) const;
  // The verdict on a credential: the consumer (>= 0) goes on, -1 is refused.
  Status decide(Exchange& exchange, int consumer, std::string_view method) const;
  Status challenge(Exchange& exchange, Reason reason) const;

  std::vector<MethodEntry> methods_;
  bool optional_;
  bool keep_credentials_;
  bool cors_;
  std::string api_key_header_;
  std::vector<std::string> challenges_;  // WWW-Authenticate values, one per method
  std::shared_ptr<const ConsumerDirectory> directory_;
};

std::unique_ptr<Filter> build(const core::AuthPolicy& spec, const BuildContext& ctx);

// The state of JWT provider `name` of `ctx.config` (kept while its spec stays), or null.
std::shared_ptr<JwtProviderState> jwtProvider(const BuildContext& ctx, const std::string& name);

// The consumers of `ctx.config`, shared by every auth filter of the snapshot (and the next
// one while consumers[] stays the same).
std::shared_ptr<const ConsumerDirectory> consumerDirectory(const BuildContext& ctx);

}  // namespace gw::proxy::filter
