#include "proxy/exchange/exchange.hpp"

#include "proxy/cache/fill.hpp"

namespace gw::proxy {

Exchange::Exchange() = default;
Exchange::~Exchange() = default;

void Exchange::reset() {
  parser.reset();  // a request body may be large: do not keep it while idle
  snapshot = nullptr;
  route = nullptr;
  service = nullptr;
  endpoint = nullptr;
  hsts = nullptr;
  client_ip = {};
  client_certificate = nullptr;
  forwarded_client.clear();
  client_version = 11;
  client_keep_alive = true;
  client_closes = false;
  head_request = false;
  websocket = false;
  te_trailers = false;
  body_streamed = false;
  body_cut = false;
  request_id.clear();
  original_path.clear();
  started = {};
  deadline = {};
  tried.clear();
  in_flight.end();
  tries.reset();
  idempotent = false;
  retries_left = 0;
  retries_done = 0;
  stale_retry_used = false;
  reused = false;
  upstream_sent = {};
  upstream_elapsed = {};
  upstream_answered = false;
  status = 0;
  reason = Reason::kNone;
  bytes = 0;
  next_filter = 0;
  facts = {};
  cache.reset();  // a leader of collapsed misses wakes its waiters, however it ended
  cached.answer.reset();
}

void Exchange::answerWith(Reason why) {
  const ReasonInfo& info = describe(why);
  status = info.status;
  reason = why;
  local = {};
  local.result(info.status);
  local.set(http::field::content_type, "text/plain");
  local.set("x-gw-error", info.code);
  local.body() = info.body;
}

}  // namespace gw::proxy
