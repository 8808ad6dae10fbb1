// The answers Session makes itself: errors (with their reason in x-gw-error), the redirects of
// a gateway with httpsRedirect, and the answers filters make (redirects, direct responses),
// written from exchange.local. On an https listener of a gateway with hsts every one carries
// Strict-Transport-Security (unless a filter set its own).
//
// A local answer (no route, a redirect, a direct response, an upstream failure) can come
// while the request body is still arriving: the gateway reads at most 64 KiB before routing
// (readBody), and a streamed body stops being read when its upstream fails. What is left
// unread would be taken for the next request, so before answering, Session reads and drops
// a small rest, as nginx does when it discards a body: up to kDrainLimit bytes within
// kDrainTimeout, and the connection is kept. A longer rest (known from Content-Length, or
// found while reading a chunked one), a slow client or a broken body gets the answer with
// Connection: close instead, then lingerThenClose. Refusals (400, 413) never come here:
// reject() has already given up on the connection.

#include <algorithm>
#include <boost/beast/http/write.hpp>

#include "proxy/cache/fill.hpp"
#include "proxy/http/parse.hpp"
#include "proxy/runtime/worker.hpp"
#include "proxy/session/session.hpp"

namespace gw::proxy {
namespace {

// Reading this much costs less than a new connection (a TCP and maybe a TLS handshake), and
// it is what the gateway would have read ahead anyway (kMaxReplayableBody).
constexpr std::size_t kDrainLimit = 64 * 1024;
constexpr auto kDrainTimeout = std::chrono::seconds(1);

}  // namespace

void Session::answerError(Reason reason) {
  cache::Fill* fill = exchange().cache.get();
  if (fill != nullptr && fill->staleOnError()) {  // stale-if-error: the stored answer serves
    fill->writeServed(exchange().local);
    exchange().facts.cache = fill->result();
    answerFromFilter();
    return;
  }
  exchange().answerWith(reason);
  writeLocal();
}

// A 301 lets a client turn a POST into a GET (RFC 9110 section 15.4.2), a 308 keeps the
// method and body (section 15.4.9): GET and HEAD get the 301 every client knows (as Caddy and
// nginx answer), every other method a 308. The host is the request's, without its port.
void Session::redirectToHttps(const filter::RedirectFilter& redirect) {
  const auto& req = exchange().request();
  const auto host = req.find(http::field::host);
  if (host == req.end() || host->value().empty()) {
    exchange().client_keep_alive = false;
    answerError(Reason::kBadRequest);  // nowhere to send it
    return;
  }
  const bool safe = req.method() == http::verb::get || req.method() == http::verb::head;
  const std::string location = redirect.location("http", host->value(), req.target());
  exchange().status = safe ? 301 : 308;
  exchange().reason = Reason::kHttpsRedirect;
  exchange().local = {};
  exchange().local.result(exchange().status);
  exchange().local.set(http::field::content_type, "text/plain");
  exchange().local.body() = "redirecting to " + location + "\n";
  exchange().local.set(http::field::location, location);
  writeLocal();
}

void Session::writeLocal() {
  phase_ = Phase::kBusy;
  if (exchange().client_keep_alive && !worker_.draining() && exchange().parser &&
      exchange().parser->is_header_done() && !exchange().parser->is_done()) {
    drainBody();  // comes back here with the body read, or to close
    return;
  }
  exchange().local.version(exchange().client_version);
  // A body left unread (too long to drain) would be read as the next request: the
  // connection ends instead.
  exchange().local.keep_alive(exchange().client_keep_alive && !worker_.draining() &&
                              (!exchange().parser || exchange().parser->is_done()));
  if (exchange().request_id.empty()) {
    exchange().request_id.generate();  // refused before it was routed
  }
  exchange().local.set(kRequestIdHeader, exchange().request_id.view());
  if (exchange().hsts != nullptr &&
      exchange().local.find(http::field::strict_transport_security) == exchange().local.end()) {
    exchange().local.set(http::field::strict_transport_security, *exchange().hsts);
  }
  const unsigned status = exchange().local.result_int();
  if (status == 204 || status == 304 || status < 200) {
    exchange().local.body().clear();  // no body, and no Content-Length (RFC 9110 8.6)
    exchange().local.content_length(boost::none);
  } else {
    exchange().local.prepare_payload();
  }
  if (exchange().head_request) {
    exchange().local.body().clear();  // Content-Length still tells what a GET would get
  }
  exchange().bytes = exchange().local.body().size();
  clientDeadline(writeTimeout());
  http::async_write(
      stream_, exchange().local, [self = shared_from_this()](error_code ec, std::size_t) {
        self->guarded([&] { self->finishRequest(!ec && self->exchange().local.keep_alive()); });
      });
}

void Session::drainBody() {
  const auto left = exchange().parser->content_length_remaining();
  if (left && *left > kDrainLimit) {
    drainEnded(false);
    return;
  }
  body_draining_ = true;  // onTick clears it when kDrainTimeout passes
  drained_bytes_ = 0;
  clientDeadline(kDrainTimeout);
  drainRead();
}

void Session::drainRead() {
  error_code ec;
  parseBuffered(*exchange().parser, buffer_, false, ec);
  exchange().request().body().clear();
  if (ec || exchange().parser->is_done() || drained_bytes_ > kDrainLimit || !body_draining_) {
    drainEnded(!ec && exchange().parser->is_done());
    return;
  }
  const std::size_t room = buffer_.max_size() - buffer_.size();
  stream_.async_read_some(buffer_.prepare(std::min(kReadChunk, room)),
                          [self = shared_from_this()](error_code ec_read, std::size_t n) {
                            self->guarded([&] {
                              if (self->closed_) {
                                return;
                              }
                              self->buffer_.commit(n);
                              self->drained_bytes_ += n;
                              if (ec_read == asio::error::operation_aborted) {
                                self->drainEnded(false);  // kDrainTimeout passed
                              } else if (ec_read) {
                                self->closeNow();  // the client went away mid-body
                              } else {
                                self->drainRead();
                              }
                            });
                          });
}

void Session::drainEnded(bool complete) {
  body_draining_ = false;
  client_deadline_ = kNever;
  if (!complete) {
    exchange().client_keep_alive = false;
  }
  writeLocal();
}

}  // namespace gw::proxy
