#pragma once
// Rate limits (core::RateLimit) of a gateway or a route, as one filter: every limit must have
// room for the request, or it gets 429 rate_limited with Retry-After (whole seconds, at least
// 1) and the limit's fields. A limit in shadow mode counts what it would refuse and refuses
// nothing. When a later limit refuses, what the earlier ones took is given back, so a refused
// request costs no budget anywhere.
//
// Keys: the parts `by` names, joined: the consumer (anonymous requests count by client
// address), the client address (Exchange::client_ip, which honours clientIp), the route, a
// header's value. Each limit's budgets live in a LocalLimiter from the registry, kept across
// reloads while the limit stays the same; a gateway's limit is one budget for all its routes
// (its limits run in the same filter as the route's, first, so a refusal refunds them too).
//
// Answers carry the limit closest to refusing: RateLimit-Policy and RateLimit
// (draft-ietf-httpapi-ratelimit-headers), or X-RateLimit-Limit/-Remaining/-Reset (legacy).

#include <memory>
#include <string>
#include <vector>

#include "core/config/model.hpp"
#include "core/filter/spec.hpp"
#include "proxy/filter/build_context.hpp"
#include "proxy/filter/filter.hpp"
#include "proxy/filter/rate_limit/local_limiter.hpp"
#include "proxy/filter/rate_limit/redis_limiter.hpp"

namespace gw::proxy::filter {

class RateLimitFilter final : public Filter {
 public:
  struct KeyPart {
    enum class Kind { kConsumer, kIp, kRoute, kHeader };
    Kind kind = Kind::kIp;
    std::string header;  // kHeader
  };
  struct Limit {
    core::RateLimit spec;
    std::string name;    // the spec's, or "limit-N"
    std::string policy;  // the RateLimit-Policy value
    std::string lines;   // its fields' text before the numbers (exchange/limit_fields.hpp)
    std::int64_t window_s = 0;
    std::vector<KeyPart> key;
    std::shared_ptr<LocalLimiter> state;  // the budgets here (store: redis: the fallback's)
    std::shared_ptr<RedisLimiter> redis;  // store: redis
    std::string redis_prefix;             // "gw:rl:route/shop:NAME:"
  };
  static constexpr std::size_t kMaxLimits = 64;  // a route's and its gateway's together

  // `plan_limits`: the rate limits of the plans; `plan_of`: per consumer (its index in the
  // document), the index of its plan's limit there, or -1.
  RateLimitFilter(std::vector<Limit> limits, std::string route, std::vector<Limit> plan_limits,
                  std::vector<int> plan_of)
      : limits_(std::move(limits)),
        route_(std::move(route)),
        plan_limits_(std::move(plan_limits)),
        plan_of_(std::move(plan_of)) {}
  // The answer's RateLimit fields come from exchange.facts.rate_limit, written by whoever
  // writes the answer (exchange/limit_fields.hpp): no response hook.
  unsigned hooks() const override { return kOnRequest; }
  Status onRequest(Exchange& exchange, FilterHost& host) const override;

 private:
  // Which limits took from their budget so far, to give it back when a later one refuses.
  struct Taken {
    std::uint64_t local = 0;
    std::uint64_t redis = 0;
  };
  struct Run;  // a request waiting on Redis

  void keyOf(const Limit& limit, const Exchange& exchange, std::string& out) const;
  // Applies limit i's decision (report, shadow); true when it refuses the request.
  static bool refuses(Exchange& exchange, const Limit& limit, const GcraDecision& d);
  // The limits a request meets: its consumer's plan's (when it has one, at the end) and the
  // gateway's and route's.
  const Limit* planLimit(const Exchange& exchange) const;
  std::size_t countFor(const Limit* plan) const {
    return limits_.size() + (plan != nullptr ? 1 : 0);
  }
  const Limit& at(std::size_t i, const Limit* plan) const {
    return i < limits_.size() ? limits_[i] : *plan;
  }
  Status answer(Exchange& exchange, const GcraDecision& d, const std::vector<std::string>& keys,
                const Taken& taken, const Limit* plan, Worker* worker) const;
  Status finish(Exchange& exchange, Run& run, Worker* worker) const;

  std::vector<Limit> limits_;
  std::string route_;
  std::vector<Limit> plan_limits_;
  std::vector<int> plan_of_;
};

std::unique_ptr<Filter> build(const core::RateLimits& spec, const BuildContext& ctx);

}  // namespace gw::proxy::filter
