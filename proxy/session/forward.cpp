// The upstream request half of Session: endpoint choice, a pooled or fresh connection, the
// request written from one head buffer and the body, the mirror copy, retries (policy,
// budget, per-try and connect timeouts) and gateway-made failures.

#include <array>
#include <boost/asio/write.hpp>
#include <boost/beast/http/read.hpp>

#include "proxy/balancer/request_key.hpp"
#include "proxy/http/headers.hpp"
#include "proxy/http/parse.hpp"
#include "proxy/retry/policy.hpp"
#include "proxy/runtime/worker.hpp"
#include "proxy/session/session.hpp"
#include "proxy/upstream/mirror.hpp"

namespace gw::proxy {
namespace {

constexpr std::uint32_t kResponseHeaderLimit = 64 * 1024;

}  // namespace

void Session::forward(std::uint32_t service) {
  service_ = &snapshot_->services[service];
  if (service_->endpoints.empty()) {
    answerError(Reason::kNoHealthyUpstream);
    return;
  }
  auto& req = request_->get();
  const RetryPolicy& policy = route_->retry;
  tries_.reset();
  body_cut_ = false;
  // A streamed body (request_body.cpp) cannot be sent twice: no retry, no stale-retry.
  tries_.replayable = !body_streamed_ && replayableBody(req);
  idempotent_ = isIdempotent(req.method()) && !body_streamed_;
  retries_left_ = policy.allowsMethod(req.method()) && tries_.replayable ? policy.attempts : 0;
  stale_retry_used_ = false;
  tried_.clear();
  deadline_ = started_ + route_->timeout;
  if (route_->retry_budget) {
    route_->retry_budget->onRequest(worker_.index());
  }

  const RouteActions& actions = route_->actions;
  if (actions.rewrite) {
    original_path_ = std::string(req.target().substr(0, req.target().find('?')));
    req.target(actions.rewrite->apply(req.target()));
  }
  stripHopByHop(req);
  keepUpgradeHeaders(req);         // a WebSocket upgrade and "TE: trailers" are passed on
  req.erase(http::field::expect);  // the body is already here
  addForwarded(req, client_ip_, listener_->protocol == core::Protocol::kHttps);
  actions.request_headers.apply(req);  // after the gateway's own: the route has the last word
  req.version(11);
  if (!body_streamed_ && (req.chunked() || req.has_content_length())) {
    req.prepare_payload();  // a body read whole goes out with a Content-Length
  }
  req.erase(kRequestIdHeader);  // the gateway's id goes last, written straight into the head
  head_.clear();
  appendHead(req, head_, {kRequestIdHeader, request_id_.view()});
  mirrorRequest();
  attempt();
}

// A copy for the route's mirror, when this request is in its share and can be copied whole.
// An upgrade is never copied: a mirror that accepted it would hold a tunnel nobody feeds.
void Session::mirrorRequest() {
  if (!route_->mirror || !tries_.replayable || websocket_ ||
      worker_.roll() % 100 >= static_cast<std::uint32_t>(route_->mirror->percent)) {
    return;
  }
  const ServiceEntry& target = snapshot_->services[route_->mirror->service];
  const std::size_t index =
      balancer::pickEndpoint(target.balancer, worker_.index(), worker_.roll(), request_->get(),
                             client_ip_, balancer::TriedEndpoints{});
  if (index == balancer::kNoEndpoint || index >= target.endpoints.size()) {
    return;
  }
  sendMirror(worker_, target.endpoints[index], head_, request_->get().body(), head_request_);
}

void Session::attempt() {
  // The balancer avoids the endpoints this request already tried while others are usable.
  const std::size_t index = balancer::pickEndpoint(
      service_->balancer, worker_.index(), worker_.roll(), request_->get(), client_ip_, tried_);
  if (index == balancer::kNoEndpoint) {  // every endpoint is down or ejected
    dropUpstream();
    answerError(Reason::kNoHealthyUpstream);
    return;
  }
  tried_.add(index);
  endpoint_ = &service_->endpoints[index];
  in_flight_.begin(*service_->balancer.endpoint(index).state, worker_.index());
  const Clock::duration per_try = route_->retry.per_try_timeout;
  tries_.try_deadline = per_try > Clock::duration::zero() ? Clock::now() + per_try : kNever;
  upstream_ = worker_.pool().take(endpoint_->id, Clock::now(), !idempotent_);
  if (!upstream_) {
    connectFresh();
    return;
  }
  reused_ = true;
  sendRequest();
}

// The pending upstream operation runs under the nearest of the route's deadline, this try's,
// and (while connecting) the service's connect timeout; which one it was decides what a
// timeout means (see retryAfterFailure and failUpstream).
void Session::armUpstreamDeadline(bool connecting) {
  Clock::time_point at = deadline_;
  TryState::Deadline armed = TryState::Deadline::kRoute;
  if (tries_.try_deadline < at) {
    at = tries_.try_deadline;
    armed = TryState::Deadline::kTry;
  }
  if (connecting) {
    // Services are compiled in the config's order, so the index is the config's too.
    const auto service = static_cast<std::size_t>(service_ - snapshot_->services.data());
    const auto& services = snapshot_->config->services;
    if (service < services.size()) {
      const Clock::time_point connect_by = Clock::now() + services[service].connect_timeout;
      if (connect_by < at) {
        at = connect_by;
        armed = TryState::Deadline::kConnect;
      }
    }
  }
  upstream_deadline_ = at;
  tries_.armed = armed;
}

void Session::connectFresh() {
  reused_ = false;
  upstream_ = std::make_unique<UpstreamConnection>(worker_.context());
  upstream_->endpoint_id = endpoint_->id;
  armUpstreamDeadline(true);
  upstream_->socket.async_connect(endpoint_->address, [self = shared_from_this()](error_code ec) {
    self->guarded([&] { self->onConnect(ec); });
  });
}

void Session::onConnect(error_code ec) {
  if (closed_) {
    return;
  }
  ec = upstreamError(ec);
  if (ec) {
    reportOutcome(balancer::Outcome::kConnectFailure);
    if (!retryAfterFailure(ec, true)) {
      failUpstream(ec, true);
    }
    return;
  }
  upstream_->socket.set_option(tcp::no_delay(true), ec);
  sendRequest();
}

void Session::sendRequest() {
  armUpstreamDeadline(false);
  upstream_sent_ = Clock::now();
  if (body_streamed_) {
    streamRequestBody();
    return;
  }
  const std::array<asio::const_buffer, 2> buffers{asio::buffer(head_),
                                                  asio::buffer(request_->get().body())};
  asio::async_write(upstream_->socket, buffers,
                    [self = shared_from_this()](error_code ec, std::size_t) {
                      self->guarded([&] { self->onRequestSent(ec); });
                    });
}

bool Session::upstreamStepOk(error_code ec) {
  if (closed_) {
    return false;
  }
  ec = upstreamError(ec);
  if (ec) {
    if (retryStale(ec)) {
      return false;  // a pooled connection the upstream had closed: not the endpoint's fault
    }
    // A reset, garbage or a timeout after connecting answers the client 502/504, so it
    // counts towards the endpoint's 5xx streak (as Envoy counts local-origin 5xx).
    reportOutcome(balancer::Outcome::kServerError);
    if (!retryAfterFailure(ec, false)) {
      failUpstream(ec, false);
    }
    return false;
  }
  return true;
}

void Session::onRequestSent(error_code ec) {
  if (!upstreamStepOk(ec)) {
    return;
  }
  readResponseHeader();
}

void Session::newResponse() {
  response_.emplace();
  response_->header_limit(kResponseHeaderLimit);
  response_->body_limit(boost::none);  // relayed in pieces, never held whole
  if (head_request_) {
    response_->skip(true);
  }
}

void Session::readResponseHeader() {
  newResponse();
  error_code ec;
  parseBuffered(*response_, upstream_->buffer, true, ec);
  if (ec || response_->is_header_done()) {
    onResponseHeader(ec);
    return;
  }
  armUpstreamDeadline(false);
  http::async_read_header(upstream_->socket, upstream_->buffer, *response_,
                          [self = shared_from_this()](error_code read_ec, std::size_t) {
                            self->guarded([&] { self->onResponseHeader(read_ec); });
                          });
}

void Session::onResponseHeader(error_code ec) {
  if (!upstreamStepOk(ec)) {
    return;
  }
  const unsigned status = response_->get().result_int();
  upstream_elapsed_ = Clock::now() - upstream_sent_;
  upstream_answered_ = true;
  if (status / 100 == 1 && status != 101) {
    readResponseHeader();  // an interim answer: the real one follows
    return;
  }
  if (status == 101) {
    if (websocket_) {
      startTunnel();
      return;
    }
    failUpstream(http::error::bad_version, false);  // no upgrade was asked for
    return;
  }
  reportOutcome(status >= 500 ? balancer::Outcome::kServerError : balancer::Outcome::kSuccess);
  if (route_->retry.retriesStatus(status) && retryNext()) {
    return;
  }
  tries_.armed = TryState::Deadline::kRoute;  // from here on only the route's timeout counts
  startRelay();
}

// A timed-out upstream operation fails because its socket was closed; report the timeout.
error_code Session::upstreamError(error_code ec) const {
  return ec && upstream_timed_out_ ? error_code(beast::error::timeout) : ec;
}

// A pooled connection may have been closed by the upstream while idle: an idempotent request
// that got nothing back goes once more, on a fresh connection to the same endpoint. This is
// not a retry of the policy: the request never reached an upstream.
bool Session::retryStale(error_code ec) {
  const bool nothing_back = !response_ || !response_->got_some();
  if (!reused_ || !idempotent_ || !tries_.replayable || stale_retry_used_ || !nothing_back ||
      ec == beast::error::timeout) {
    return false;
  }
  stale_retry_used_ = true;
  dropUpstream();
  connectFresh();
  return true;
}

bool Session::retryAfterFailure(error_code ec, bool connecting) {
  bool eligible = false;
  if (ec == beast::error::timeout) {
    switch (tries_.armed) {
      case TryState::Deadline::kRoute:
        return false;  // the whole request's time is up
      case TryState::Deadline::kTry:
        eligible = true;
        break;
      case TryState::Deadline::kConnect:
        eligible = route_->retry.on_connect_failure;
        break;
    }
  } else {
    eligible = connecting ? route_->retry.on_connect_failure : route_->retry.on_reset;
  }
  return eligible && retryNext();
}

// Starts the next try when one is left, the route's time is not up, and the route's retry
// budget has a token (spent only when the retry really happens).
bool Session::retryNext() {
  if (retries_left_ <= 0 || Clock::now() >= deadline_ || !route_->retry_budget ||
      !route_->retry_budget->trySpend(worker_.index())) {
    return false;
  }
  --retries_left_;
  ++retries_done_;
  dropUpstream();
  response_.reset();
  attempt();
  return true;
}

void Session::failUpstream(error_code ec, bool connecting) {
  dropUpstream();
  response_.reset();
  if (ec == beast::error::timeout) {
    answerError(tries_.armed == TryState::Deadline::kConnect ? Reason::kUpstreamConnect
                                                             : Reason::kUpstreamTimeout);
  } else {
    answerError(connecting ? Reason::kUpstreamConnect : Reason::kUpstreamReset);
  }
}

void Session::reportOutcome(balancer::Outcome outcome) {
  if (service_ != nullptr && endpoint_ != nullptr) {
    service_->balancer.report(
        worker_.index(), static_cast<std::size_t>(endpoint_ - service_->endpoints.data()), outcome);
  }
}

void Session::dropUpstream() {
  upstream_deadline_ = kNever;
  upstream_timed_out_ = false;
  watch_ = Watch::kOff;  // a wait still pending on the connection is stale from here on
  ++watch_id_;
  if (upstream_) {
    error_code ec;
    upstream_->socket.close(ec);
    upstream_.reset();
  }
}

}  // namespace gw::proxy
