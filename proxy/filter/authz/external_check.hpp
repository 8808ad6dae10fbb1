#pragma once
// The external authorizer of a route (core::ExternalAuthz), asked as Traefik's forwardAuth
// asks: GET its URL with the request's headers (no body) and X-Forwarded-Method,
// X-Forwarded-Uri, X-Forwarded-Host, X-Forwarded-Proto and X-Forwarded-For (the client
// address), plus x-gw-consumer when auth found one. A 2xx answer allows; any other denies;
// no answer within the timeout (or none at all) is the policy's onError. The call is an
// UpstreamCall on the worker's own event loop while the exchange is paused; the address is
// resolved once, when the snapshot is built.

#include <chrono>
#include <functional>
#include <optional>
#include <string>

#include "core/config/model.hpp"
#include "proxy/exchange/exchange.hpp"
#include "proxy/net.hpp"

namespace gw::proxy::filter {

class ExternalCheck {
 public:
  enum class Verdict { kAllow, kDeny, kError };

  // Null endpoint (with `problem`) when the URL's host does not resolve.
  ExternalCheck(const core::ExternalAuthz& spec, std::string& problem);

  bool ready() const { return endpoint_.has_value(); }
  bool allowOnError() const { return spec_.allow_on_error; }

  // Asks about `exchange` on `ioc` and calls `done(verdict)` there, exactly once. The caller
  // keeps the exchange alive until then (it is paused).
  void ask(asio::io_context& ioc, const Exchange& exchange,
           std::function<void(Verdict)> done) const;
  // The same, blocking the calling thread (no event loop to keep free: unit tests).
  Verdict askNow(const Exchange& exchange) const;

 private:
  std::string requestFor(const Exchange& exchange) const;

  core::ExternalAuthz spec_;
  std::string host_;  // the Host header: the URL's authority
  std::string path_;
  std::optional<tcp::endpoint> endpoint_;
};

}  // namespace gw::proxy::filter
