// The request half of Forwarder: endpoint choice, a pooled or fresh connection, the request
// written from one head buffer and the body, retries (policy, budget, per-try and connect
// timeouts) and gateway-made failures.

#include "proxy/forward/forwarder.hpp"

#include <array>

#include "proxy/balancer/request_key.hpp"
#include "proxy/http/headers.hpp"
#include "proxy/http/parse.hpp"
#include "proxy/retry/policy.hpp"
#include "proxy/retry/tries.hpp"
#include "proxy/runtime/worker.hpp"

namespace gw::proxy {
namespace {

constexpr std::uint32_t kResponseHeaderLimit = 64 * 1024;

}  // namespace

Forwarder::Forwarder(Worker& worker, Downstream& down, Exchange& exchange)
    : worker_(worker), down_(&down), exchange_(exchange), upstream_(worker.context()) {}

void Forwarder::abort() {
  upstream_.noDeadline();
  upstream_.abort();  // only closed: a pending operation may still refer to its buffer
}

void Forwarder::forward(std::uint32_t service) {
  exchange_.service = &exchange_.snapshot->services[service];
  if (exchange_.service->endpoints.empty()) {
    down_->answerError(Reason::kNoHealthyUpstream);
    return;
  }
  auto& req = exchange_.request();
  retry::beginTries(exchange_, exchange_.route->retry, exchange_.route->timeout);
  if (exchange_.route->retry_budget) {
    exchange_.route->retry_budget->onRequest(worker_.index());
  }

  if (!exchange_.route->chain.empty()) {
    req.erase(kRequestIdHeader);  // a route's edit does not replace the gateway's id
  }
  head_.clear();
  appendHead(req, head_, {kRequestIdHeader, exchange_.request_id.view()});
  attempt();
}

void Forwarder::attempt() {
  // The balancer avoids the endpoints this request already tried while others are usable.
  const Clock::time_point now = Clock::now();  // one clock read for the pick, pool and deadline
  const std::size_t index =
      balancer::pickEndpoint(exchange_.service->balancer, worker_.index(), worker_.roll(),
                             exchange_.request(), exchange_.client_ip, exchange_.tried, now);
  if (index == balancer::kNoEndpoint) {  // every endpoint is down or ejected
    dropUpstream();
    down_->answerError(Reason::kNoHealthyUpstream);
    return;
  }
  exchange_.tried.add(index);
  exchange_.endpoint = &exchange_.service->endpoints[index];
  exchange_.in_flight.begin(*exchange_.service->balancer.endpoint(index).state, worker_.index());
  const Clock::duration per_try = exchange_.route->retry.per_try_timeout;
  exchange_.tries.try_deadline = per_try > Clock::duration::zero() ? now + per_try : kNever;
  if (!upstream_.takePooled(worker_.pool(), exchange_.endpoint->id, now, !exchange_.idempotent)) {
    connectFresh();
    return;
  }
  exchange_.reused = true;
  sendRequest();
}

// The pending upstream operation runs under the nearest of the route's deadline, this try's,
// and (while connecting) the service's connect timeout; which one it was decides what a
// timeout means (see retryAfterFailure and failUpstream).
void Forwarder::armUpstreamDeadline(bool connecting) {
  Clock::time_point at = exchange_.deadline;
  TryState::Deadline armed = TryState::Deadline::kRoute;
  if (exchange_.tries.try_deadline < at) {
    at = exchange_.tries.try_deadline;
    armed = TryState::Deadline::kTry;
  }
  if (connecting) {
    // Services are compiled in the config's order, so the index is the config's too.
    const auto service =
        static_cast<std::size_t>(exchange_.service - exchange_.snapshot->services.data());
    const auto& services = exchange_.snapshot->config->services;
    if (service < services.size()) {
      const Clock::time_point connect_by = Clock::now() + services[service].connect_timeout;
      if (connect_by < at) {
        at = connect_by;
        armed = TryState::Deadline::kConnect;
      }
    }
  }
  upstream_.expiresAt(at);
  exchange_.tries.armed = armed;
}

void Forwarder::connectFresh() {
  exchange_.reused = false;
  armUpstreamDeadline(true);
  upstream_.connect(exchange_.endpoint->address, exchange_.endpoint->id,
                    exchange_.endpoint->tls.get(), &worker_.pool(),
                    handler([this](error_code ec) { onConnect(ec); }));
}

void Forwarder::onConnect(error_code ec) {
  if (down_->closed()) {
    return;
  }
  ec = upstream_.outcome(ec);
  if (ec) {
    reportOutcome(balancer::Outcome::kConnectFailure);
    if (!retryAfterFailure(ec, true)) {
      failUpstream(ec, true);
    }
    return;
  }
  sendRequest();
}

void Forwarder::sendRequest() {
  armUpstreamDeadline(false);
  exchange_.upstream_sent = Clock::now();
  if (exchange_.body_streamed) {
    streamRequestBody();
    return;
  }
  const std::array<asio::const_buffer, 2> buffers{asio::buffer(head_),
                                                  asio::buffer(exchange_.request().body())};
  upstream_.write(buffers, handler([this](error_code ec, std::size_t) { onRequestSent(ec); }));
}

bool Forwarder::upstreamStepOk(error_code ec) {
  if (down_->closed()) {
    return false;
  }
  ec = upstream_.outcome(ec);
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

void Forwarder::onRequestSent(error_code ec) {
  if (!upstreamStepOk(ec)) {
    return;
  }
  readResponseHeader();
}

void Forwarder::newResponse() {
  response_.emplace();
  response_->header_limit(kResponseHeaderLimit);
  response_->body_limit(boost::none);  // relayed in pieces, never held whole
  if (exchange_.head_request) {
    response_->skip(true);
  }
}

void Forwarder::readResponseHeader() {
  newResponse();
  error_code ec;
  parseBuffered(*response_, upstream_.buffer(), true, ec);
  if (ec || response_->is_header_done()) {
    onResponseHeader(ec);
    return;
  }
  armUpstreamDeadline(false);
  upstream_.readHeader(
      *response_, handler([this](error_code read_ec, std::size_t) { onResponseHeader(read_ec); }));
}

void Forwarder::onResponseHeader(error_code ec) {
  if (!upstreamStepOk(ec)) {
    return;
  }
  const unsigned status = response_->get().result_int();
  exchange_.upstream_elapsed = Clock::now() - exchange_.upstream_sent;
  exchange_.upstream_answered = true;
  if (status / 100 == 1 && status != 101) {
    readResponseHeader();  // an interim answer: the real one follows
    return;
  }
  if (status == 101) {
    if (exchange_.websocket) {
      upgrade();
      return;
    }
    failUpstream(http::error::bad_version, false);  // no upgrade was asked for
    return;
  }
  reportOutcome(status >= 500 ? balancer::Outcome::kServerError : balancer::Outcome::kSuccess);
  if (exchange_.route->retry.retriesStatus(status) && retryNext()) {
    return;
  }
  exchange_.tries.armed =
      TryState::Deadline::kRoute;  // from here on only the route's timeout counts
  startRelay();
}

// A pooled connection the upstream had closed while idle (retry/tries.hpp).
bool Forwarder::retryStale(error_code ec) {
  if (!retry::staleRetryAllowed(exchange_, response_ && response_->got_some(), ec)) {
    return false;
  }
  exchange_.stale_retry_used = true;
  dropUpstream();
  connectFresh();
  return true;
}

bool Forwarder::retryAfterFailure(error_code ec, bool connecting) {
  return retry::failureRetryable(exchange_, exchange_.route->retry, ec, connecting) && retryNext();
}

// Starts the next try when one is left, the route's time is not up, and the route's retry
// budget has a token (spent only when the retry really happens).
bool Forwarder::retryNext() {
  if (!retry::tryLeft(exchange_, Clock::now()) || !exchange_.route->retry_budget) {
    return false;
  }
  if (!exchange_.route->retry_budget->trySpend(worker_.index())) {
    exchange_.retry_refused = true;
    return false;
  }
  --exchange_.retries_left;
  ++exchange_.retries_done;
  dropUpstream();
  response_.reset();
  attempt();
  return true;
}

void Forwarder::failUpstream(error_code ec, bool connecting) {
  dropUpstream();
  response_.reset();
  // A failure that a retry would have covered but for the budget says so: the upstream is
  // failing often enough that gw stopped piling retries on it.
  down_->answerError(exchange_.retry_refused ? Reason::kRetryBudgetExhausted
                                             : retry::failureReason(exchange_, ec, connecting));
}

void Forwarder::reportOutcome(balancer::Outcome outcome) {
  if (exchange_.service != nullptr && exchange_.endpoint != nullptr) {
    exchange_.service->balancer.report(
        worker_.index(),
        static_cast<std::size_t>(exchange_.endpoint - exchange_.service->endpoints.data()),
        outcome);
  }
}

void Forwarder::dropUpstream() {
  watch_ = Watch::kOff;  // a wait still pending on the connection is stale from here on
  ++watch_id_;
  upstream_.finish(&worker_.pool(), false, Clock::now());  // closed; a TLS session is kept
}

}  // namespace gw::proxy
