// From a parsed request to its handler, for Session: the route is matched, the route's
// filter chain (its gateway's filters, then its own) runs on the Exchange, and what it lets
// through goes to the connection's Forwarder (forward/forwarder.hpp). A filter may answer (the
// answer passes back through the response hooks of the filters before it) or pause and resume the
// exchange later.

#include "core/routing/route_table.hpp"
#include "proxy/cache/answer.hpp"
#include "proxy/exchange/limit_fields.hpp"
#include "proxy/http/client_address.hpp"
#include "proxy/http/headers.hpp"
#include "proxy/runtime/worker.hpp"
#include "proxy/session/acme_challenge.hpp"
#include "proxy/session/session.hpp"

namespace gw::proxy {
namespace {

std::optional<std::string_view> lookupHeader(const void* ctx, std::string_view name) {
  const auto& fields = *static_cast<const http::fields*>(ctx);
  const auto it = fields.find(name);
  if (it == fields.end()) {
    return std::nullopt;
  }
  return it->value();
}

}  // namespace

void Session::dispatch() {
  phase_ = Phase::kBusy;
  if (listener_ == nullptr) {  // the listener was removed while this connection was open
    exchange().client_keep_alive = false;
    answerError(Reason::kNoRoute);
    return;
  }
  const auto& req = exchange().request();
  exchange().request_id.assign(req[kRequestIdHeader]);
  const auto host = req.find(http::field::host);
  if (req.version() >= 11 && host == req.end()) {
    exchange().client_keep_alive = false;
    answerError(Reason::kBadRequest);
    return;
  }
  if (listener_->protocol == core::Protocol::kHttp && !snapshot_->acme_http01_dir.empty()) {
    if (auto answer = acmeChallengeAnswer(req.target(), snapshot_->acme_http01_dir)) {
      exchange().status = 200;  // before routing, for every host (acme_challenge.hpp)
      exchange().local = {};
      exchange().local.result(http::status::ok);
      exchange().local.set(http::field::content_type, "application/octet-stream");
      exchange().local.body() = std::move(*answer);
      writeLocal();
      return;
    }
  }
  if (listener_->https_redirect) {  // after the challenges: a CA asks for them over http
    redirectToHttps(*listener_->https_redirect);
    return;
  }
  core::routing::RequestView view;
  view.host = host == req.end() ? std::string_view{} : std::string_view(host->value());
  view.path = targetPath(req.target());
  view.method = req.method_string();
  view.ctx = static_cast<const http::fields*>(&req);
  view.header = &lookupHeader;
  const GatewayEntry& gateway = snapshot_->gateways[listener_->gateway];
  exchange().client_ip = client_ip_;
  if (!gateway.trusted_proxies.empty()) {  // before X-Forwarded-For gets this peer appended
    if (auto forwarded = forwardedClient(req, client_ip_, gateway.trusted_proxies)) {
      exchange().forwarded_client = std::move(*forwarded);
      exchange().client_ip = exchange().forwarded_client;
    }
  }
  const core::routing::CompiledRoute* compiled =
      gateway.table ? gateway.table->match(view) : nullptr;
  if (compiled == nullptr) {
    // A client the gateway's IP lists refuse learns nothing, not even which hosts it serves.
    const bool refused = gateway.ip_lists && !gateway.ip_lists->allowsClient(exchange().client_ip);
    answerError(refused ? Reason::kIpDenied : Reason::kNoRoute);
    return;
  }
  const RouteEntry& route = snapshot_->routes[compiled->index];
  exchange().route = &route;
  exchange().snapshot = snapshot_.get();
  exchange().https = listener_->protocol == core::Protocol::kHttps;
  if (!client_identities_.empty()) {
    exchange().client_certificate = &client_identities_;
  }
  if (!route.services.empty()) {
    destination_ = route.services[compiled->pickDestination(worker_.roll())];
    prepareForUpstream();
  } else if (route.route->aggregate) {
    prepareForUpstream();  // its backend calls carry the request's fields
  }
  if (route.chain.empty()) {
    runFilters(filter::Status::kContinue);
    return;
  }
  runFilters(route.chain.runRequest(exchange(), *this));
}

// What the gateway does to every request it forwards, before the route's filters see it, so
// that their edits (and the mirror's copy) have the last word: hop-by-hop fields out (a
// WebSocket upgrade and "TE: trailers" passed on), Expect answered here, the X-Forwarded-*
// fields, HTTP/1.1 upstream, and a body read whole sent with a Content-Length. The gateway's
// request id is written into the head when it is serialised (forward/forwarder.cpp).
void Session::prepareForUpstream() {
  auto& req = exchange().request();
  stripHopByHop(req);
  keepUpgradeHeaders(req);
  req.erase(http::field::expect);  // the body is already here
  // Only the gateway's auth says who the consumer is (filter/auth/auth_filter.hpp).
  req.erase("x-gw-consumer");
  req.erase("x-gw-consumer-groups");
  addForwarded(req, client_ip_, exchange().https);
  req.version(11);
  if (!exchange().body_streamed && (req.chunked() || req.has_content_length())) {
    req.prepare_payload();
  }
  req.erase(kRequestIdHeader);
}

void Session::runFilters(filter::Status status) {
  switch (status) {
    case filter::Status::kContinue:
      if (exchange().route->services.empty()) {
        answerError(Reason::kNoRoute);  // validation rules out a route with nowhere to go
        return;
      }
      forwarder().forward(destination_);
      return;
    case filter::Status::kAnswer:
      answerFromFilter();
      return;
    case filter::Status::kPause:
      paused_self_ = shared_from_this();
      return;
  }
}

void Session::answerFromFilter() {
  if (Exchange::CachedAnswer& cached = exchange().cached; cached.answer) {
    if (writeCachedFast()) {
      return;
    }
    cache::writeStored(*cached.answer, cached.age, cached.not_modified, cached.cache_status,
                       exchange().local);
  }
  exchange().status = exchange().local.result_int();  // a refusal's reason stays
  if (exchange().facts.rate_limit.name != nullptr) {
    writeLimitFields(exchange().facts.rate_limit, exchange().local.base());
  }
  exchange().route->chain.runResponse(exchange(), exchange().local, false);
  writeLocal();
}

void Session::resume(filter::Status status) {
  const std::shared_ptr<Session> self = std::move(paused_self_);
  if (!self || closed_) {
    return;
  }
  guarded([&] {
    runFilters(status == filter::Status::kContinue
                   ? exchange().route->chain.resumeAfterPause(exchange(), *this)
                   : status);
  });
}

std::uint32_t Session::roll() { return worker_.roll(); }

int Session::workerIndex() { return worker_.index(); }

}  // namespace gw::proxy
