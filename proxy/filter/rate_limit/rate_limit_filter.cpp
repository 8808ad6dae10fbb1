#include "proxy/filter/rate_limit/rate_limit_filter.hpp"

#include <charconv>
#include <chrono>
#include <optional>

#include "core/filter/spec.hpp"
#include "proxy/exchange/limit_fields.hpp"

namespace gw::proxy::filter {
namespace {

constexpr std::int64_t kSecond = 1'000'000'000;

std::int64_t ceilSeconds(std::int64_t ns) { return (ns + kSecond - 1) / kSecond; }

std::int64_t nowNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

void appendNumber(std::string& out, std::int64_t n) {
  char digits[24];
  const auto [end, ec] = std::to_chars(digits, digits + sizeof digits, n);
  out.append(digits, end);
}

std::string numberText(std::int64_t n) {
  std::string out;
  appendNumber(out, n);
  return out;
}

// What this thread's requests are keyed by, per limit (reused: no allocation per request).
std::vector<std::string>& keyBuffers(std::size_t n) {
  thread_local std::vector<std::string> buffers;
  if (buffers.size() < n) {
    buffers.resize(n);
  }
  return buffers;
}

}  // namespace

void RateLimitFilter::keyOf(const Limit& limit, const Exchange& exchange, std::string& out) const {
  out.clear();
  for (const KeyPart& part : limit.key) {
    switch (part.kind) {
      case KeyPart::Kind::kConsumer:
        if (exchange.facts.consumer.empty()) {
          out += "ip=";
          out += exchange.client_ip;
        } else {
          out += "c=";
          out += exchange.facts.consumer;
        }
        break;
      case KeyPart::Kind::kIp:
        out += exchange.client_ip;
        break;
      case KeyPart::Kind::kRoute:
        out += route_;
        break;
      case KeyPart::Kind::kHeader:
        if (const auto it = exchange.request().find(part.header); it != exchange.request().end()) {
          out += std::string_view(it->value());
        }
        break;
    }
    out += '\x1f';
  }
}

const RateLimitFilter::Limit* RateLimitFilter::planLimit(const Exchange& exchange) const {
  const int consumer = exchange.facts.consumer_index;
  if (consumer < 0 || static_cast<std::size_t>(consumer) >= plan_of_.size()) {
    return nullptr;
  }
  const int plan = plan_of_[static_cast<std::size_t>(consumer)];
  return plan < 0 ? nullptr : &plan_limits_[static_cast<std::size_t>(plan)];
}

bool RateLimitFilter::refuses(Exchange& exchange, const Limit& limit, const GcraDecision& d) {
  const bool shadow = limit.spec.mode == core::RateLimit::Mode::kShadow;
  if (shadow) {
    exchange.facts.shadow_limited = exchange.facts.shadow_limited || !d.allowed;
    return false;
  }
  ExchangeFacts::LimitReport& report = exchange.facts.rate_limit;
  if (limit.spec.headers != core::RateLimit::Headers::kNone &&
      (report.name == nullptr || !d.allowed || d.remaining < report.remaining)) {
    report = {&limit.name,
              &limit.policy,
              &limit.lines,
              limit.state->params().burst,
              limit.window_s,
              d.remaining,
              ceilSeconds(d.reset_ns),
              limit.spec.headers == core::RateLimit::Headers::kLegacy};
  } else if (!d.allowed) {
    report = {};  // a refusal by a limit without fields shows none
  }
  return !d.allowed;
}

Status RateLimitFilter::answer(Exchange& exchange, const GcraDecision& d,
                               const std::vector<std::string>& keys, const Taken& taken,
                               const Limit* plan, Worker* worker) const {
  // What the other limits took goes back (a shadow limit, or one that refused, took none).
  for (std::size_t j = 0; j < countFor(plan); ++j) {
    const Limit& limit = at(j, plan);
    if ((taken.local >> j & 1U) != 0) {
      limit.state->refund(keys[j], limit.spec.cost);
    }
    if ((taken.redis >> j & 1U) != 0 && worker != nullptr) {
      limit.redis->refund(*worker, limit.redis_prefix + keys[j], limit.state->params(),
                          limit.spec.cost);
    }
  }
  refuse(exchange, Reason::kRateLimited);
  exchange.local.set(http::field::retry_after,
                     numberText(std::max<std::int64_t>(1, ceilSeconds(d.retry_after_ns))));
  return Status::kAnswer;  // with the report's fields (Session::answerFromFilter)
}

// A request whose Redis limits are asked: the keys (the thread's buffers serve the next
// request meanwhile), what the local limits took, and the answers as they come.
struct RateLimitFilter::Run {
  const Limit* plan = nullptr;
  std::vector<std::string> keys;
  Taken taken;
  std::vector<std::optional<GcraDecision>> answers;  // per limit; nothing: the call failed
  int outstanding = 0;
};

Status RateLimitFilter::onRequest(Exchange& exchange, FilterHost& host) const {
  const Limit* plan = planLimit(exchange);
  if (limits_.empty() && plan == nullptr) {
    return Status::kContinue;  // plan limits only, and none for this caller
  }
  exchange.facts.access_checked = true;
  const std::size_t count = countFor(plan);
  std::vector<std::string>& keys = keyBuffers(count);
  const std::int64_t now = nowNs();
  Taken taken;
  bool shared = false;
  for (std::size_t i = 0; i < count; ++i) {
    const Limit& limit = at(i, plan);
    keyOf(limit, exchange, keys[i]);
    if (limit.redis) {
      shared = true;  // asked below, all at once
      continue;
    }
    const GcraDecision d = limit.state->take(keys[i], now, limit.spec.cost);
    if (d.allowed) {
      taken.local |= std::uint64_t{1} << i;
    }
    if (refuses(exchange, limit, d)) {
      return answer(exchange, d, keys, taken, plan, host.worker());
    }
  }
  if (!shared) {
    return Status::kContinue;
  }
  Worker* worker = host.worker();
  auto run = std::make_shared<Run>();
  run->plan = plan;
  run->keys.assign(keys.begin(), keys.begin() + static_cast<std::ptrdiff_t>(count));
  run->taken = taken;
  run->answers.resize(count);
  for (std::size_t i = 0; i < count; ++i) {
    const Limit& limit = at(i, plan);
    if (!limit.redis || worker == nullptr) {
      continue;
    }
    const bool sent = limit.redis->take(
        *worker, limit.redis_prefix + run->keys[i], limit.state->params(), limit.spec.cost,
        [this, run, i, &exchange, &host, worker](std::optional<GcraDecision> d) {
          run->answers[i] = d;
          if (--run->outstanding == 0) {
            host.resume(finish(exchange, *run, worker));
          }
        });
    run->outstanding += sent ? 1 : 0;
  }
  return run->outstanding == 0 ? finish(exchange, *run, worker) : Status::kPause;
}

Status RateLimitFilter::finish(Exchange& exchange, Run& run, Worker* worker) const {
  const std::int64_t now = nowNs();
  for (std::size_t i = 0; i < countFor(run.plan); ++i) {
    const Limit& limit = at(i, run.plan);
    if (!limit.redis) {
      continue;
    }
    std::optional<GcraDecision> d = run.answers[i];
    if (d) {
      if (d->allowed) {
        run.taken.redis |= std::uint64_t{1} << i;
      }
    } else {
      switch (limit.spec.on_store_error) {  // Redis did not answer (in time)
        case core::RateLimit::OnStoreError::kLocal:
          d = limit.state->take(run.keys[i], now, limit.spec.cost);
          if (d->allowed) {
            run.taken.local |= std::uint64_t{1} << i;
          }
          break;
        case core::RateLimit::OnStoreError::kAllow:
          continue;
        case core::RateLimit::OnStoreError::kDeny:
          d = GcraDecision{false, 0, kSecond, kSecond};
          break;
      }
    }
    if (refuses(exchange, limit, *d)) {
      return answer(exchange, *d, run.keys, run.taken, run.plan, worker);
    }
  }
  return Status::kContinue;
}

namespace {

std::vector<RateLimitFilter::KeyPart> keyParts(const std::vector<std::string>& by) {
  std::vector<RateLimitFilter::KeyPart> parts;
  for (const std::string& key : by) {
    using Kind = RateLimitFilter::KeyPart::Kind;
    if (key == "consumer") {
      parts.push_back({Kind::kConsumer, ""});
    } else if (key == "ip") {
      parts.push_back({Kind::kIp, ""});
    } else if (key == "route") {
      parts.push_back({Kind::kRoute, ""});
    } else if (key.rfind("header:", 0) == 0) {
      parts.push_back({Kind::kHeader, key.substr(7)});
    }
  }
  return parts;
}

// `scope`: where its budgets are kept ("gateway/edge": one budget for all the gateway's
// routes); `unnamed`: its name when the document gives none.
RateLimitFilter::Limit makeLimit(const core::RateLimit& spec, const std::string& scope,
                                 const std::string& unnamed, const BuildContext& ctx) {
  RateLimitFilter::Limit limit;
  limit.spec = spec;
  limit.name = spec.name.empty() ? unnamed : spec.name;
  const std::int64_t period_ns =
      std::chrono::duration_cast<std::chrono::nanoseconds>(spec.rate.period).count();
  const GcraParams params{std::max<std::int64_t>(1, period_ns / spec.rate.requests),
                          spec.burstOrDefault()};
  limit.window_s = std::max<std::int64_t>(1, ceilSeconds(params.interval_ns * params.burst));
  limit.policy =
      "\"" + limit.name + "\";q=" + numberText(params.burst) + ";w=" + numberText(limit.window_s);
  limit.lines = limitLines(limit.name, limit.policy, params.burst,
                           spec.headers == core::RateLimit::Headers::kLegacy);
  limit.key = keyParts(spec.by);
  if (spec.store == core::RateLimit::Store::kRedis && ctx.config.redis) {
    limit.redis = ctx.states.stateFor<RedisLimiter>("document", "redis", *ctx.config.redis, [&] {
      return std::make_shared<RedisLimiter>(*ctx.config.redis);
    });
    if (!limit.redis->problem().empty()) {
      ctx.problems.push_back(ctx.scope + ": " + limit.redis->problem());
    }
    limit.redis_prefix = "gw:rl:" + scope + ":" + limit.name + ":";
  }
  limit.state = ctx.states.stateFor<LocalLimiter>(scope, "rateLimits/" + limit.name, spec, [&] {
    return std::make_shared<LocalLimiter>(params);
  });
  return limit;
}

}  // namespace

std::unique_ptr<Filter> build(const core::RateLimits& spec, const BuildContext& ctx) {
  std::vector<RateLimitFilter::Limit> limits;
  for (std::size_t i = 0; i < spec.gateway.size(); ++i) {
    limits.push_back(makeLimit(spec.gateway[i], "gateway/" + ctx.route.gateway,
                               "gateway-" + std::to_string(i), ctx));
  }
  for (std::size_t i = 0; i < spec.route.size(); ++i) {
    limits.push_back(makeLimit(spec.route[i], ctx.scope, "limit-" + std::to_string(i), ctx));
  }
  // A plan's limit is one budget per consumer on the plan, across every route.
  std::vector<RateLimitFilter::Limit> plan_limits;
  std::vector<int> plan_of(ctx.config.consumers.size(), -1);
  for (const core::Plan& plan : ctx.config.plans) {
    if (!spec.plans || !plan.rate_limit) {
      continue;
    }
    const int index = static_cast<int>(plan_limits.size());
    plan_limits.push_back(
        makeLimit(*plan.rate_limit, "plan/" + plan.name, "plan-" + plan.name, ctx));
    for (std::size_t c = 0; c < ctx.config.consumers.size(); ++c) {
      if (ctx.config.consumers[c].plan == plan.name) {
        plan_of[c] = index;
      }
    }
  }
  return std::make_unique<RateLimitFilter>(std::move(limits), ctx.route.name,
                                           std::move(plan_limits), std::move(plan_of));
}

}  // namespace gw::proxy::filter
