#include "proxy/filter/cache/cache_filter.hpp"

#include <boost/asio/post.hpp>
#include <chrono>

#include "proxy/cache/answer.hpp"
#include "proxy/runtime/worker.hpp"

namespace gw::proxy::filter {
namespace {

using cache::Fill;
using cache::Result;
using cache::Seconds;

bool unsafe(http::verb method) {
  return method == http::verb::post || method == http::verb::put || method == http::verb::delete_ ||
         method == http::verb::patch;
}

// The client's own validators and ranges never reach the upstream for a cache fill: the
// answer must be whole to be stored, and the cache answers the client's conditions itself.
void dropClientConditions(http::fields& fields) {
  fields.erase(http::field::if_none_match);
  fields.erase(http::field::if_modified_since);
}

Seconds seconds(std::chrono::milliseconds d) {
  return std::chrono::duration_cast<std::chrono::seconds>(d).count();
}

}  // namespace

Status CacheFilter::onRequest(Exchange& exchange, FilterHost& host) const {
  const auto method = exchange.request().method();
  if (method == http::verb::get || method == http::verb::head) {
    return lookup(exchange, host, true);
  }
  exchange.facts.cache = Result::kBypass;
  if (unsafe(method)) {
    // The answers this request could have been given: its URL's, under its consumer's key.
    const auto& req = exchange.request();
    std::string key = cache::cacheKey(req[http::field::host], req.target(),
                                      by_consumer_ ? exchange.facts.consumer : std::string_view{});
    exchange.cache = std::make_unique<Fill>(cache_, spec_, std::move(key), Fill::Kind::kInvalidate,
                                            false, nullptr, false, cache::Conditions{});
  }
  return Status::kContinue;
}

Status CacheFilter::lookup(Exchange& exchange, FilterHost& host, bool may_wait) const {
  auto& req = exchange.request();
  std::string key = cache::cacheKey(req[http::field::host], req.target(),
                                    by_consumer_ ? exchange.facts.consumer : std::string_view{});
  const cache::RequestFacts facts = cache::requestFacts(req);
  if (facts.cc.no_store || req.find(http::field::range) != req.end()) {
    return forward(exchange, std::move(key), Fill::Kind::kBypass, false, nullptr, false);
  }
  const auto found = cache_->store.find(key, req);
  if (!found) {
    if (facts.cc.only_if_cached) {
      return refuse(exchange, Reason::kCacheMiss);
    }
    if (exchange.head_request) {  // a HEAD's answer has no body to store: a GET fills the cache
      return forward(exchange, std::move(key), Fill::Kind::kBypass, false, nullptr, false);
    }
    const Role role = join(key, exchange, host, may_wait);
    if (role == Role::kWaiting) {
      return Status::kPause;
    }
    return forward(exchange, std::move(key), Fill::Kind::kMiss, role == Role::kLeader, nullptr,
                   false);
  }
  const Seconds age = cache::currentAge(found->facts, found->request_time, found->response_time,
                                        cache::nowSeconds());
  const cache::Reuse reuse = cache::reuse(facts, found->facts, found->lifetime, age);
  const std::string ttl = "; ttl=" + std::to_string(found->lifetime - age);
  Role role = Role::kAlone;
  switch (reuse.use) {
    case cache::Use::kFresh:
      return serve(exchange, found, age, Result::kHit, "gw; hit" + ttl);
    case cache::Use::kStale:
      return serve(exchange, found, age, Result::kStale, "gw; hit" + ttl);
    case cache::Use::kStaleWhileRevalidate:
      if (!cache_->collapser.lead(key)) {  // another request revalidates it
        return serve(exchange, found, age, Result::kStale,
                     "gw; hit" + ttl + "; detail=stale-while-revalidate");
      }
      role = Role::kLeader;  // this one does
      break;
    case cache::Use::kRevalidate:
      role = join(key, exchange, host, may_wait);
      if (role == Role::kWaiting) {
        return Status::kPause;
      }
      break;
  }
  if (facts.cc.only_if_cached) {
    if (role == Role::kLeader) {
      cache_->collapser.release(key);
    }
    return refuse(exchange, Reason::kCacheMiss);
  }
  cache::Conditions client = cache::conditionsOf(req);
  req.set(http::field::if_none_match, found->etag);
  if (found->etag.empty()) {
    req.erase(http::field::if_none_match);
  }
  req.set(http::field::if_modified_since, found->last_modified);
  if (found->last_modified.empty()) {
    req.erase(http::field::if_modified_since);
  }
  const bool stale_if_error = reuse.stale_if_error;
  return forward(exchange, std::move(key), Fill::Kind::kRevalidate, role == Role::kLeader, found,
                 stale_if_error, std::move(client));
}

Status CacheFilter::forward(Exchange& exchange, std::string key, Fill::Kind kind, bool leader,
                            std::shared_ptr<const cache::StoredAnswer> stale, bool stale_if_error,
                            cache::Conditions client) const {
  if (kind == Fill::Kind::kMiss) {
    dropClientConditions(exchange.request());
  }
  exchange.facts.cache = kind == Fill::Kind::kBypass ? Result::kBypass : Result::kMiss;
  exchange.cache = std::make_unique<Fill>(cache_, spec_, std::move(key), kind, leader,
                                          std::move(stale), stale_if_error, std::move(client));
  return Status::kContinue;
}

CacheFilter::Role CacheFilter::join(const std::string& key, Exchange& exchange, FilterHost& host,
                                    bool may_wait) const {
  Worker* worker = host.worker();
  if (!may_wait || worker == nullptr) {  // after a wait, or without an event loop to wake on
    return cache_->collapser.lead(key) ? Role::kLeader : Role::kAlone;
  }
  asio::io_context& context = worker->context();
  const bool leads = cache_->collapser.join(key, [this, &exchange, &host, &context] {
    asio::post(context, [this, &exchange, &host] { host.resume(lookup(exchange, host, false)); });
  });
  return leads ? Role::kLeader : Role::kWaiting;
}

Status CacheFilter::serve(Exchange& exchange, std::shared_ptr<const cache::StoredAnswer> stored,
                          Seconds age, Result result, std::string cache_status) {
  exchange.cached.not_modified =
      cache::notModified(cache::conditionsOf(exchange.request()), *stored);
  exchange.cached.answer = std::move(stored);
  exchange.cached.age = age;
  exchange.cached.cache_status = std::move(cache_status);
  exchange.facts.cache = result;
  return Status::kAnswer;  // the session writes it (session/cached_answer.cpp)
}

std::shared_ptr<cache::ResponseCache> responseCache(const core::Config& config,
                                                    StateRegistry& states) {
  const core::CacheSettings& settings = config.proxy.cache;
  return states.stateFor<cache::ResponseCache>("proxy", "cache", settings, [&] {
    return std::make_shared<cache::ResponseCache>(static_cast<std::size_t>(settings.max_size),
                                                  static_cast<std::size_t>(settings.max_object));
  });
}

std::unique_ptr<Filter> build(const core::RouteCache& spec, const BuildContext& ctx) {
  cache::FillSpec fill;
  fill.default_ttl = seconds(spec.max_age);
  fill.stale_while_revalidate = seconds(spec.stale_while_revalidate);
  fill.stale_if_error = seconds(spec.stale_if_error);
  fill.route = ctx.route.name;
  const core::Gateway* gateway = ctx.config.findGateway(ctx.route.gateway);
  const bool authenticates = ctx.route.auth || (gateway != nullptr && gateway->auth);
  return std::make_unique<CacheFilter>(responseCache(ctx.config, ctx.states), std::move(fill),
                                       authenticates);
}

}  // namespace gw::proxy::filter
