#include "core/usage/store.hpp"

#include <algorithm>

#include "core/usage/redis_store.hpp"
#include "core/usage/sqlite_store.hpp"

namespace gw::usage {

void Counts::add(const Counts& other) {
  requests += other.requests;
  refused += other.refused;
  bytes_in += other.bytes_in;
  bytes_out += other.bytes_out;
  latency_us += other.latency_us;
  latency_max_us = std::max(latency_max_us, other.latency_max_us);
}

core::Result<std::vector<std::int64_t>> Store::admittedMany(const std::vector<Range>& ranges) {
  std::vector<std::int64_t> sums;
  for (const Range& r : ranges) {
    auto sum = admitted(r.consumer, r.from, r.to);
    if (!sum) {
      return std::move(sum).error();
    }
    sums.push_back(*sum);
  }
  return sums;
}

Target targetOf(const core::Config& config, const std::string& sqlite_path) {
  Target target;
  target.kind = config.metering.store;
  target.sqlite_path = sqlite_path;
  if (target.kind == core::Metering::Store::kRedis && config.redis) {
    target.redis = *config.redis;
  }
  return target;
}

core::Result<std::unique_ptr<Store>> openStore(const Target& target, Store::Mode mode) {
  if (target.kind == core::Metering::Store::kRedis) {
    return std::unique_ptr<Store>(std::make_unique<RedisStore>(target.redis));
  }
  auto store = SqliteStore::open(target.sqlite_path, mode);
  if (!store) {
    return std::move(store).error();
  }
  return std::unique_ptr<Store>(std::move(store).value());
}

}  // namespace gw::usage
