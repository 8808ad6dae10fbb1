#pragma once
// The response cache's part in one exchange that goes to the upstream (an Exchange owns it
// while the request is in flight): what the cache filter found, and what the relay tells it
// about the answer. The relay hands it the upstream's head (onHead), the body's pieces as
// they go to the client (onBody: copied until the object bound, never held back) and the
// end (onEnd), and it stores the answer when RFC 9111 allows. An answer to a revalidation
// may instead be served from the store: a 304 refreshes the stored answer, and a 5xx (or an
// upstream that failed) lets a stale one with stale-if-error serve. A leader of collapsed
// misses (collapse.hpp) wakes its waiters once the answer is stored or known not storable,
// and at the latest when the exchange ends, however it ends.

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <memory>
#include <string>

#include "core/config/cache.hpp"
#include "proxy/cache/answer.hpp"
#include "proxy/cache/collapse.hpp"
#include "proxy/cache/policy.hpp"
#include "proxy/cache/result.hpp"
#include "proxy/cache/store.hpp"

namespace gw::proxy::cache {

// The one cache of a gw: its store and the misses in flight.
struct ResponseCache {
  ResponseCache(std::size_t max_bytes, std::size_t max_object) : store(max_bytes, max_object) {}
  Store store;
  Collapser collapser;
};

struct FillSpec {
  Seconds default_ttl = 0;
  Seconds stale_while_revalidate = 0;
  Seconds stale_if_error = 0;
  std::string route;
};

class Fill {
 public:
  enum class Kind {
    kMiss,        // nothing stored: fetch and store
    kRevalidate,  // `stale` is stored: its validators went with the request
    kBypass,      // forward as it is, store nothing
    kInvalidate,  // an unsafe method: a success drops what is stored for the URL
  };
  enum class Head { kRelay, kServeStored };

  // `client`: the request's own conditions, answered here when a stored answer serves it.
  Fill(std::shared_ptr<ResponseCache> cache, const FillSpec& spec, std::string key, Kind kind,
       bool leader, std::shared_ptr<const StoredAnswer> stale, bool stale_if_error,
       Conditions client);
  Fill(const Fill&) = delete;
  Fill& operator=(const Fill&) = delete;
  ~Fill();

  // The upstream's answer head (hop-by-hop fields out) to `request`.
  Head onHead(unsigned status, const http::fields& fields, const http::fields& request,
              bool head_request);
  // A piece of the answer's body, as relayed.
  void onBody(const void* data, std::size_t n);
  // The answer ended: `complete` when the whole body came.
  void onEnd(bool complete);
  // The upstream failed before answering: true when a stale answer may serve instead.
  bool staleOnError();

  // After kServeStored or staleOnError: what serves the client.
  const std::shared_ptr<const StoredAnswer>& serve() const { return serve_; }
  // That answer into `out` (a 304 when the client's conditions match it).
  void writeServed(http::response<http::string_body>& out) const;
  // The Cache-Status value of the answer (RFC 9211).
  const std::string& cacheStatus() const { return cache_status_; }
  Result result() const { return result_; }

 private:
  void release();
  void applyDefaults(StoredAnswer& answer) const;

  std::shared_ptr<ResponseCache> cache_;
  const FillSpec& spec_;  // the filter's, kept alive by the exchange's snapshot
  std::string key_;
  Kind kind_;
  bool leader_;
  std::shared_ptr<const StoredAnswer> stale_;
  bool stale_if_error_;
  Conditions client_;
  Seconds request_time_;
  std::shared_ptr<StoredAnswer> capture_;  // the answer being stored
  std::shared_ptr<const StoredAnswer> serve_;
  std::string cache_status_;
  Result result_;
};

}  // namespace gw::proxy::cache
