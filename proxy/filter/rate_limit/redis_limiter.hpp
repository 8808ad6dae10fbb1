#pragma once
// Budgets shared through Redis (store: redis), so that every gw on one Redis counts against
// one limit: the GCRA step (gcra.hpp) is one Lua script, run atomically by the server with
// the server's own clock (TIME), so gateways with skewed clocks still agree. EVALSHA, and
// EVAL once when the server does not know the script yet (after a restart, say).
//
// Filter state, one per document's redis settings; each worker has its own connection
// (redis/client.hpp), made on its first call. Calls fail fast while the server's breaker is
// open; the rate-limit filter then applies the limit's onStoreError.

#include <array>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "core/config/limits.hpp"
#include "proxy/filter/rate_limit/gcra.hpp"
#include "proxy/net.hpp"
#include "proxy/redis/client.hpp"

namespace gw::proxy {
class Worker;
}

namespace gw::proxy::filter {

class RedisLimiter {
 public:
  static constexpr std::size_t kMaxWorkers = 256;
  using Done = std::function<void(std::optional<GcraDecision>)>;  // nothing: the call failed

  // Resolves the address now (control plane); problem() says when it does not resolve.
  explicit RedisLimiter(const core::RedisStore& settings);

  const std::string& problem() const { return problem_; }
  // Worker thread. False when no call went out (breaker open, no address): `done` is then
  // never called.
  bool take(Worker& worker, const std::string& key, const GcraParams& params, std::int64_t cost,
            Done done);
  // Gives back `cost` requests' worth of budget, without waiting for the answer.
  void refund(Worker& worker, const std::string& key, const GcraParams& params, std::int64_t cost);

 private:
  redis::Client* clientFor(Worker& worker);
  // EVAL with the script itself, when the server answered EVALSHA with NOSCRIPT.
  static void evaluate(redis::Client& client, std::vector<std::string> args, Done done);

  core::RedisStore settings_;
  std::optional<tcp::endpoint> endpoint_;
  std::string problem_;
  std::shared_ptr<redis::Health> health_;
  std::string sha_;  // SHA-1 of the script, as EVALSHA names it
  std::array<std::shared_ptr<redis::Client>, kMaxWorkers> clients_;
};

}  // namespace gw::proxy::filter
