#pragma once
// The response cache of a route (core::RouteCache), a shared cache per RFC 9111: the last
// filter before the upstream, after access control and limits (a hit is still a request
// they judge and count). GET and HEAD are looked up in the gw's one store
// (cache/store.hpp) under host and target, plus the consumer on a route that authenticates,
// so no consumer is ever answered with another's answer. A fresh answer serves at once,
// with Age and Cache-Status (RFC 9211), a 304 when the client's own conditions match it; a
// stale one is revalidated with its validators (the upstream's 304 refreshes it), or served
// while one request revalidates it (stale-while-revalidate), or when the upstream fails
// (stale-if-error). Concurrent misses for one key wait for the first (cache/collapse.hpp).
// What goes to the upstream carries a cache::Fill in the exchange, through which the relay
// stores the answer when RFC 9111 allows it. A success of an unsafe method drops the
// stored answers of its URL.

#include <memory>

#include "core/config/model.hpp"
#include "proxy/cache/fill.hpp"
#include "proxy/filter/build_context.hpp"
#include "proxy/filter/filter.hpp"

namespace gw::proxy::filter {

class CacheFilter final : public Filter {
 public:
  CacheFilter(std::shared_ptr<cache::ResponseCache> cache, cache::FillSpec spec, bool by_consumer)
      : cache_(std::move(cache)), spec_(std::move(spec)), by_consumer_(by_consumer) {}
  unsigned hooks() const override { return kOnRequest; }
  Status onRequest(Exchange& exchange, FilterHost& host) const override;

 private:
  enum class Role {
    kLeader,   // fetches the key; the requests that miss it meanwhile wait for it
    kWaiting,  // another request fetches it: the exchange waits to be woken
    kAlone,    // fetches it without leading (another request leads)
  };

  // `may_wait`: a miss may wait for another request fetching the same key (not after a wait).
  Status lookup(Exchange& exchange, FilterHost& host, bool may_wait) const;
  static Status serve(Exchange& exchange, std::shared_ptr<const cache::StoredAnswer> stored,
                      cache::Seconds age, cache::Result result, std::string cache_status);
  // Goes to the upstream with a cache::Fill of `kind` in the exchange.
  Status forward(Exchange& exchange, std::string key, cache::Fill::Kind kind, bool leader,
                 std::shared_ptr<const cache::StoredAnswer> stale, bool stale_if_error,
                 cache::Conditions client = {}) const;
  // Leads the fetch of `key`, or waits for the one in flight (when it may).
  Role join(const std::string& key, Exchange& exchange, FilterHost& host, bool may_wait) const;

  std::shared_ptr<cache::ResponseCache> cache_;
  cache::FillSpec spec_;
  bool by_consumer_;
};

// The gw's one cache, kept across reloads while proxy.cache stays the same.
std::shared_ptr<cache::ResponseCache> responseCache(const core::Config& config,
                                                    StateRegistry& states);

std::unique_ptr<Filter> build(const core::RouteCache& spec, const BuildContext& ctx);

}  // namespace gw::proxy::filter
