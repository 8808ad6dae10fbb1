#include "proxy/filter/rate_limit/redis_limiter.hpp"

#include <openssl/sha.h>

#include "core/net/host_port.hpp"
#include "proxy/runtime/worker.hpp"

namespace gw::proxy::filter {
namespace {

// KEYS[1]: the budget; ARGV: interval (µs), burst, cost. Returns {allowed, remaining,
// retry after (µs), reset (µs)}. Times are the server's microseconds (TIME), well inside a
// double's exact integers.
constexpr std::string_view kScript = R"lua(
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local interval = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local cost = tonumber(ARGV[3])
local tat = tonumber(redis.call('GET', KEYS[1]) or '0') or 0
local base = math.max(tat, now)
local limit = burst * interval
local nxt = base + cost * interval
if nxt - now <= limit then
  redis.call('SET', KEYS[1], string.format('%d', nxt), 'PX', math.floor((nxt - now) / 1000) + 1000)
  return {1, math.floor((limit - (nxt - now)) / interval), 0, nxt - now}
end
return {0, math.max(0, math.floor((limit - (base - now)) / interval)), nxt - now - limit, base - now}
)lua";

// Gives back ARGV[1] µs of budget, only to a budget that still exists (and keeps its expiry).
constexpr std::string_view kRefundScript = R"lua(
local v = redis.call('GET', KEYS[1])
if v then
  redis.call('SET', KEYS[1], string.format('%d', tonumber(v) - tonumber(ARGV[1])), 'KEEPTTL')
end
return 0
)lua";

std::string sha1Hex(std::string_view text) {
  unsigned char digest[SHA_DIGEST_LENGTH];
  SHA1(reinterpret_cast<const unsigned char*>(text.data()), text.size(), digest);
  std::string out;
  for (const unsigned char b : digest) {
    constexpr const char* kHex = "0123456789abcdef";
    out += kHex[b >> 4U];
    out += kHex[b & 15U];
  }
  return out;
}

std::int64_t intervalMicros(const GcraParams& p) {
  return std::max<std::int64_t>(1, p.interval_ns / 1000);
}

std::optional<GcraDecision> decisionOf(const redis::Reply& reply) {
  if (reply.type != redis::Reply::Type::kArray || reply.elements.size() != 4) {
    return std::nullopt;
  }
  for (const redis::Reply& e : reply.elements) {
    if (e.type != redis::Reply::Type::kInteger) {
      return std::nullopt;
    }
  }
  GcraDecision d;
  d.allowed = reply.elements[0].integer == 1;
  d.remaining = reply.elements[1].integer;
  d.retry_after_ns = reply.elements[2].integer * 1000;
  d.reset_ns = reply.elements[3].integer * 1000;
  return d;
}

}  // namespace

RedisLimiter::RedisLimiter(const core::RedisStore& settings)
    : settings_(settings), health_(redis::healthFor(settings.address)), sha_(sha1Hex(kScript)) {
  const auto parsed = core::net::parseHostPort(settings.address);
  if (!parsed) {
    problem_ = "redis.address: not HOST:PORT";
    return;
  }
  asio::io_context ioc;
  tcp::resolver resolver(ioc);
  error_code ec;
  const auto found = resolver.resolve(parsed->host, std::to_string(parsed->port), ec);
  if (ec || found.empty()) {
    problem_ = "redis.address: " + parsed->host + " does not resolve";
    return;
  }
  endpoint_ = found.begin()->endpoint();
}

redis::Client* RedisLimiter::clientFor(Worker& worker) {
  const auto index = static_cast<std::size_t>(worker.index());
  if (!endpoint_ || index >= clients_.size()) {
    return nullptr;
  }
  auto& client = clients_[index];  // only this worker's thread touches its slot
  if (!client) {
    client = std::make_shared<redis::Client>(worker.context(), *endpoint_, settings_, health_);
    worker.atFinish([weak = std::weak_ptr<redis::Client>(client)] {
      if (auto alive = weak.lock()) {
        alive->close();
      }
    });
  }
  return client.get();
}

bool RedisLimiter::take(Worker& worker, const std::string& key, const GcraParams& params,
                        std::int64_t cost, Done done) {
  redis::Client* client = clientFor(worker);
  if (client == nullptr) {
    return false;
  }
  std::vector<std::string> args{"EVALSHA",
                                sha_,
                                "1",
                                key,
                                std::to_string(intervalMicros(params)),
                                std::to_string(params.burst),
                                std::to_string(cost)};
  const std::vector<std::string_view> views(args.begin(), args.end());
  auto shared_done = std::make_shared<Done>(std::move(done));
  // The callback runs in the client's own handler (the client is alive then); it must not
  // use this limiter, which a reload may have dropped meanwhile.
  return client->call(
      views, [client, args = std::move(args), shared_done](const redis::Reply* reply) mutable {
        if (reply != nullptr && reply->type == redis::Reply::Type::kError &&
            reply->text.rfind("NOSCRIPT", 0) == 0) {
          evaluate(*client, std::move(args), std::move(*shared_done));
          return;
        }
        (*shared_done)(reply == nullptr ? std::nullopt : decisionOf(*reply));
      });
}

void RedisLimiter::evaluate(redis::Client& client, std::vector<std::string> args, Done done) {
  args[0] = "EVAL";
  args[1] = std::string(kScript);
  const std::vector<std::string_view> views(args.begin(), args.end());
  auto shared_done = std::make_shared<Done>(std::move(done));
  const bool sent = client.call(views, [shared_done](const redis::Reply* reply) {
    (*shared_done)(reply == nullptr ? std::nullopt : decisionOf(*reply));
  });
  if (!sent) {
    (*shared_done)(std::nullopt);
  }
}

void RedisLimiter::refund(Worker& worker, const std::string& key, const GcraParams& params,
                          std::int64_t cost) {
  redis::Client* client = clientFor(worker);
  if (client == nullptr) {
    return;
  }
  const std::string amount = std::to_string(cost * intervalMicros(params));
  client->call({"EVAL", kRefundScript, "1", key, amount}, [](const redis::Reply* /*reply*/) {});
}

}  // namespace gw::proxy::filter
