#pragma once
// One request and its answer: everything the gateway knows about it from the first byte of
// its head to the access log line. A connection (Session) owns its socket and one current
// Exchange, and reset() clears it between requests, so nothing of a request outlives it.
// Filters read and change the request here, answer it by filling `local`, and leave what
// they find out in the typed slots below for the filters after them (and for logs and
// metering). No sockets here: filters are unit-tested against an Exchange alone.

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/config/compress.hpp"
#include "proxy/balancer/in_flight.hpp"
#include "proxy/balancer/service_balancer.hpp"
#include "proxy/cache/result.hpp"
#include "proxy/http/chunked.hpp"
#include "proxy/http/errors.hpp"
#include "proxy/http/request_id.hpp"
#include "proxy/net.hpp"
#include "proxy/retry/try_state.hpp"

namespace gw::proxy {

struct Snapshot;
struct JwtClaims;
struct RouteEntry;
struct ServiceEntry;
struct EndpointEntry;
namespace metering {
class QuotaCounter;
}
namespace cache {
class Fill;
struct StoredAnswer;
}  // namespace cache

// What filters find out about a request, for the filters after them, the log and metering.
struct ExchangeFacts {
  // The authenticated consumer: its name (into the snapshot's config) and index in
  // config.consumers; empty and -1: anonymous.
  std::string_view consumer;
  int consumer_index = -1;
  std::string_view auth_method;             // "api-key", "basic", ...: what proved it
  std::shared_ptr<const JwtClaims> claims;  // a verified JWT's (filter/auth/jwt_claims.hpp)
  bool access_checked = false;              // an IP list, auth or authorization filter judged it
  bool shadow_denied = false;               // an authorization in shadow mode would have refused it
  bool shadow_limited = false;              // a rate limit in shadow mode would have refused it
  // The plan quota this request took a unit of, and in which period (filter/quota/): given
  // back when a later check refuses the request.
  metering::QuotaCounter* quota = nullptr;
  std::int64_t quota_period = 0;
  // The rate limit closest to refusing the request, for the RateLimit (or X-RateLimit-*)
  // fields of its answer (filter/rate_limit/).
  struct LimitReport {
    const std::string* name = nullptr;    // null: no limit to report
    const std::string* policy = nullptr;  // its RateLimit-Policy value
    const std::string* lines = nullptr;   // limitLines() of the limit
    std::int64_t quota = 0;               // requests at once (the burst)
    std::int64_t window_s = 0;            // to refill them all
    std::int64_t remaining = 0;
    std::int64_t reset_s = 0;  // until the budget is full again
    bool legacy = false;       // X-RateLimit-* instead of RateLimit-Policy and RateLimit
  } rate_limit;
  // How the response cache took part (filter/cache/).
  cache::Result cache = cache::Result::kNone;
  // A route that compresses (filter/compress/): its spec, and the encoding the client takes
  // when `encode`; the relay compresses an answer that qualifies.
  const core::Compress* compress = nullptr;
  core::Compress::Encoding encoding = core::Compress::Encoding::kGzip;
  bool encode = false;
};

struct Exchange {
  using Request = http::request<http::string_body>;

  std::optional<RequestParser<http::string_body>> parser;  // the request, as it arrives
  http::response<http::string_body> local;  // an answer the gateway makes (reset by who fills it)

  // Where it goes. All point into `snapshot`, which the connection keeps alive.
  const Snapshot* snapshot = nullptr;
  const RouteEntry* route = nullptr;
  const ServiceEntry* service = nullptr;
  const EndpointEntry* endpoint = nullptr;
  // The client's address: the connection's peer, or the address X-Forwarded-For gives when
  // the peer is one of the gateway's trusted proxies (clientIp.trustedProxies).
  std::string_view client_ip;
  std::string forwarded_client;  // holds that address when it came from X-Forwarded-For
  bool https = false;            // came in on an https listener
  // The identities of the connection's verified client certificate ("CN=...", "dns:...");
  // null without one (tls/client_auth.hpp).
  const std::vector<std::string>* client_certificate = nullptr;
  // The Strict-Transport-Security value every answer gets (the listener's, in the snapshot
  // the connection keeps); null on http listeners and without hsts.
  const std::string* hsts = nullptr;

  // How the client asked.
  unsigned client_version = 11;
  bool client_keep_alive = true;
  bool client_closes = false;  // the client said it sends no more (Connection: close, HTTP/1.0)
  bool head_request = false;
  bool websocket = false;      // an upgrade to pass on (protection.hpp: isWebSocketUpgrade)
  bool te_trailers = false;    // "TE: trailers", the one TE value passed on
  bool body_streamed = false;  // the body was not all read before forwarding
  bool body_cut = false;       // the upstream answered before the whole body was sent to it
  RequestId request_id;        // x-request-id: the client's when sane, else made here
  std::string original_path;   // set only when a rewrite changed the target

  // The tries (forward/forwarder.cpp).
  Clock::time_point started{};
  Clock::time_point deadline{};    // the route's timeout
  balancer::TriedEndpoints tried;  // so a retry goes elsewhere
  balancer::InFlight in_flight;    // the current try, counted on its endpoint
  TryState tries;
  bool idempotent = false;
  int retries_left = 0;
  int retries_done = 0;
  bool retry_refused = false;  // a retry was due but the route's retry budget had no token
  bool stale_retry_used = false;
  bool reused = false;                 // the current try runs on a pooled connection
  Clock::time_point upstream_sent{};   // the current try's request started going out
  Clock::duration upstream_elapsed{};  // from then to its response head
  bool upstream_answered = false;

  // How it ended.
  unsigned status = 0;
  Reason reason = Reason::kNone;
  std::uint64_t bytes = 0;

  std::size_t next_filter = 0;  // the chain's position (filter/chain.hpp)
  ExchangeFacts facts;
  // The response cache's part in a request that goes to the upstream (cache/fill.hpp): the
  // relay tells it of the answer. Null when the route does not cache or answered from it.
  std::unique_ptr<cache::Fill> cache;
  // A stored answer the cache filter answers with (a hit): written straight from the store
  // when nothing edits it (session/cached_answer.cpp).
  struct CachedAnswer {
    std::shared_ptr<const cache::StoredAnswer> answer;
    std::int64_t age = 0;
    bool not_modified = false;  // the client's own conditions match it: a 304
    std::string cache_status;
  } cached;

  Exchange();
  Exchange(const Exchange&) = delete;
  Exchange& operator=(const Exchange&) = delete;
  ~Exchange();

  Request& request() { return parser->get(); }
  const Request& request() const { return parser->get(); }

  // Ready for the connection's next request.
  void reset();
  // Makes `local` the gateway's own answer for `reason` (its status, x-gw-error and short
  // text) and records the reason and status.
  void answerWith(Reason why);
};

}  // namespace gw::proxy
