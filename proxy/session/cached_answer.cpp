// A cache hit written straight from the store: the stored fields are already the text of a
// head, so the answer is one string (the status line, those fields, Age, Cache-Status,
// Content-Length, the request id) and the stored body, in one gathered write, without
// Beast's field container or serializer. Only when nothing else has a say: no response hooks
// on the route, no HSTS or RateLimit fields to add, the request read to its end. Otherwise the
// hit becomes exchange.local and takes the general path (dispatch.cpp: answerFromFilter).

#include <array>
#include <boost/asio/write.hpp>
#include <boost/beast/http/status.hpp>
#include <charconv>

#include "proxy/cache/store.hpp"
#include "proxy/runtime/worker.hpp"
#include "proxy/session/session.hpp"

namespace gw::proxy {
namespace {

void appendNumber(std::string& out, std::uint64_t n) {
  char digits[24];
  const auto [end, ec] = std::to_chars(digits, digits + sizeof digits, n);
  out.append(digits, end);
}

}  // namespace

bool Session::writeCachedFast() {
  Exchange& ex = exchange();
  if (ex.route->chain.hasResponseHooks() || ex.hsts != nullptr ||
      ex.facts.rate_limit.name != nullptr || !ex.parser->is_done()) {
    return false;
  }
  const Exchange::CachedAnswer& cached = ex.cached;
  const cache::StoredAnswer& stored = *cached.answer;
  const unsigned status = cached.not_modified ? 304U : stored.status;
  const bool keep = ex.client_keep_alive && !worker_.draining();
  const bool body = !cached.not_modified && !ex.head_request;
  phase_ = Phase::kBusy;
  ex.status = status;
  if (ex.request_id.empty()) {
    ex.request_id.generate();
  }
  std::string& head = cached_head_;
  head.clear();
  head.append(ex.client_version >= 11 ? "HTTP/1.1 " : "HTTP/1.0 ");
  appendNumber(head, status);
  head += ' ';
  head.append(http::obsolete_reason(static_cast<http::status>(status)));
  head.append("\r\n").append(stored.fields).append("Age: ");
  appendNumber(head, static_cast<std::uint64_t>(std::max<std::int64_t>(cached.age, 0)));
  head.append("\r\nCache-Status: ").append(cached.cache_status).append("\r\n");
  if (!cached.not_modified) {  // a HEAD still learns what a GET would get
    head.append("Content-Length: ");
    appendNumber(head, stored.body.size());
    head.append("\r\n");
  }
  head.append(kRequestIdHeader).append(": ").append(ex.request_id.view()).append("\r\n");
  if (ex.client_version >= 11) {
    head.append(keep ? "" : "Connection: close\r\n");
  } else {
    head.append(keep ? "Connection: keep-alive\r\n" : "");
  }
  head.append("\r\n");
  ex.bytes = body ? stored.body.size() : 0;
  const std::array<asio::const_buffer, 2> buffers{
      asio::buffer(head), body ? asio::buffer(stored.body) : asio::const_buffer{}};
  clientDeadline(writeTimeout());
  // The exchange keeps the stored answer alive until the write is done.
  asio::async_write(stream_, buffers,
                    [self = shared_from_this(), keep](error_code ec, std::size_t) {
                      self->guarded([&] { self->finishRequest(!ec && keep); });
                    });
  return true;
}

}  // namespace gw::proxy
