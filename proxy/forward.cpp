// The upstream request half of Session: endpoint choice, a pooled or fresh connection, the
// request written from one head buffer and the body, retries, and gateway-made failures.

#include <array>
#include <boost/asio/write.hpp>
#include <boost/beast/http/read.hpp>

#include "proxy/headers.hpp"
#include "proxy/parse.hpp"
#include "proxy/session.hpp"
#include "proxy/worker.hpp"

namespace gw::proxy {
namespace {

constexpr std::uint32_t kResponseHeaderLimit = 64 * 1024;

bool isIdempotent(http::verb method) {
  switch (method) {
    case http::verb::get:
    case http::verb::head:
    case http::verb::options:
    case http::verb::put:
    case http::verb::delete_:
    case http::verb::trace:
      return true;
    default:
      return false;
  }
}

// The target with the route's matched part replaced by its rewrite: the prefix for prefix
// routes, the whole path otherwise. The query is kept.
std::string rewriteTarget(std::string_view target, const core::Route& route) {
  const auto query_at = target.find('?');
  const std::string_view path = target.substr(0, query_at);
  const std::string_view query =
      query_at == std::string_view::npos ? std::string_view{} : target.substr(query_at);
  std::string_view rest;
  if (route.match.type == core::MatchType::kPrefix && path.size() >= route.match.path.size()) {
    rest = path.substr(route.match.path.size());
  }
  std::string out = route.rewrite;
  if (!out.empty() && out.back() == '/' && !rest.empty() && rest.front() == '/') {
    rest.remove_prefix(1);
  } else if (!rest.empty() && rest.front() != '/' && (out.empty() || out.back() != '/')) {
    out += '/';
  }
  out += rest;
  if (out.empty()) {
    out.push_back('/');
  }
  out += query;
  return out;
}

}  // namespace

void Session::forward(std::uint32_t service) {
  service_ = &snapshot_->services[service];
  if (service_->endpoints.empty()) {
    answerError(Reason::kNoHealthyUpstream);
    return;
  }
  auto& req = request_->get();
  idempotent_ = isIdempotent(req.method());
  retries_left_ = idempotent_ ? route_->retry.attempts : 0;
  stale_retry_used_ = false;
  deadline_ = started_ + route_->timeout;

  if (!route_->route->rewrite.empty()) {
    original_path_ = std::string(req.target().substr(0, req.target().find('?')));
    req.target(rewriteTarget(req.target(), *route_->route));
  }
  stripHopByHop(req);
  req.erase(http::field::expect);  // the body is already here
  addForwarded(req, client_ip_, listener_->protocol == core::Protocol::kHttps);
  req.version(11);
  if (req.chunked() || req.has_content_length()) {
    req.prepare_payload();  // a body read whole goes out with a Content-Length
  }
  head_.clear();
  appendHead(req, head_);
  attempt();
}

void Session::attempt() {
  const auto service = static_cast<std::size_t>(service_ - snapshot_->services.data());
  endpoint_ = &service_->endpoints[worker_.nextEndpoint(service, service_->endpoints.size())];
  upstream_ = worker_.pool().take(endpoint_->id, Clock::now(), !idempotent_);
  if (!upstream_) {
    connectFresh();
    return;
  }
  reused_ = true;
  sendRequest();
}

void Session::connectFresh() {
  reused_ = false;
  upstream_ = std::make_unique<UpstreamConnection>(worker_.context());
  upstream_->endpoint_id = endpoint_->id;
  upstream_deadline_ = deadline_;
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
    if (!retryAfterFailure(ec, true)) {
      failUpstream(ec, true);
    }
    return;
  }
  upstream_->socket.set_option(tcp::no_delay(true), ec);
  sendRequest();
}

void Session::sendRequest() {
  upstream_deadline_ = deadline_;
  const std::array<asio::const_buffer, 2> buffers{asio::buffer(head_),
                                                  asio::buffer(request_->get().body())};
  asio::async_write(upstream_->socket, buffers,
                    [self = shared_from_this()](error_code ec, std::size_t) {
                      self->guarded([&] { self->onRequestSent(ec); });
                    });
}

void Session::onRequestSent(error_code ec) {
  if (closed_) {
    return;
  }
  ec = upstreamError(ec);
  if (ec) {
    if (!retryStale(ec) && !retryAfterFailure(ec, false)) {
      failUpstream(ec, false);
    }
    return;
  }
  readResponseHeader();
}

void Session::readResponseHeader() {
  response_.emplace();
  response_->header_limit(kResponseHeaderLimit);
  response_->body_limit(boost::none);  // relayed in pieces, never held whole
  if (head_request_) {
    response_->skip(true);
  }
  error_code ec;
  parseBuffered(*response_, upstream_->buffer, true, ec);
  if (ec || response_->is_header_done()) {
    onResponseHeader(ec);
    return;
  }
  upstream_deadline_ = deadline_;
  http::async_read_header(upstream_->socket, upstream_->buffer, *response_,
                          [self = shared_from_this()](error_code read_ec, std::size_t) {
                            self->guarded([&] { self->onResponseHeader(read_ec); });
                          });
}

void Session::onResponseHeader(error_code ec) {
  if (closed_) {
    return;
  }
  ec = upstreamError(ec);
  if (ec) {
    if (!retryStale(ec) && !retryAfterFailure(ec, false)) {
      failUpstream(ec, false);
    }
    return;
  }
  const unsigned status = response_->get().result_int();
  if (status / 100 == 1 && status != 101) {
    readResponseHeader();  // an interim answer: the real one follows
    return;
  }
  if (status == 101) {  // Upgrade was stripped, so this is the upstream misbehaving
    failUpstream(http::error::bad_version, false);
    return;
  }
  if (retries_left_ > 0 && route_->retry.retriesStatus(status)) {
    --retries_left_;
    dropUpstream();
    attempt();
    return;
  }
  startRelay();
}

// A timed-out upstream operation fails because its socket was closed; report the timeout.
error_code Session::upstreamError(error_code ec) const {
  return ec && upstream_timed_out_ ? error_code(beast::error::timeout) : ec;
}

// A pooled connection may have been closed by the upstream while idle: an idempotent request
// that got nothing back goes once more, on a fresh connection to the same endpoint.
bool Session::retryStale(error_code ec) {
  const bool nothing_back = !response_ || !response_->got_some();
  if (!reused_ || !idempotent_ || stale_retry_used_ || !nothing_back ||
      ec == beast::error::timeout) {
    return false;
  }
  stale_retry_used_ = true;
  dropUpstream();
  connectFresh();
  return true;
}

bool Session::retryAfterFailure(error_code ec, bool connecting) {
  const bool eligible = connecting ? route_->retry.on_connect_failure : route_->retry.on_reset;
  if (!eligible || retries_left_ <= 0 || ec == beast::error::timeout) {
    return false;
  }
  --retries_left_;
  dropUpstream();
  attempt();
  return true;
}

void Session::failUpstream(error_code ec, bool connecting) {
  dropUpstream();
  response_.reset();
  if (ec == beast::error::timeout) {
    answerError(Reason::kUpstreamTimeout);
  } else {
    answerError(connecting ? Reason::kUpstreamConnect : Reason::kUpstreamReset);
  }
}

void Session::dropUpstream() {
  upstream_deadline_ = kNever;
  upstream_timed_out_ = false;
  if (upstream_) {
    error_code ec;
    upstream_->socket.close(ec);
    upstream_.reset();
  }
}

}  // namespace gw::proxy
