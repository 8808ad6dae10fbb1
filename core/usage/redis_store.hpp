#pragma once
// Metered usage in Redis, shared by every gateway that names the same server, so their
// consumers' usage and quotas add up. Layout (all under "gw:usage:"):
//   days                 sorted set of the days that have usage (score: the day number)
//   day:<YYYY-MM-DD>     hash, field "<consumer>|<route>|<class>|<metric>" -> the sum, metric
//                        one of requests, refused, bytesIn, bytesOut, latencyUs, latencyMaxUs
//   admitted:<consumer>  hash, field "<YYYY-MM-DD>" -> requests that passed the checks (quotas)
//   flush:<batch>/<n>    marker of an applied part of a batch, kept a day
// A batch is applied by one Lua script per part of up to kPart deltas, each starting with
// `SET flush:<id>/<n> NX EX`: a part is applied whole (a script is atomic) and only once,
// so a flush retried after a timeout that hid its success counts nothing twice. Names are
// [a-z0-9.-], so '|' cannot appear in them.
//
// Calls wait at most the larger of the redis section's timeout and kMinTimeout: the flusher
// and `gw usage` are off the request path.

#include <chrono>
#include <memory>

#include "core/redis/connection.hpp"
#include "core/usage/store.hpp"

namespace gw::usage {

class RedisStore final : public Store {
 public:
  static constexpr std::size_t kPart = 256;
  static constexpr std::chrono::milliseconds kMinTimeout{2000};

  explicit RedisStore(const core::RedisStore& settings);

  core::Status add(const Batch& batch) override;
  core::Result<std::int64_t> admitted(const std::string& consumer, const std::string& from,
                                      const std::string& to) override;
  core::Result<std::vector<std::int64_t>> admittedMany(const std::vector<Range>& ranges) override;
  core::Result<std::vector<Summary>> summarize(const Query& query) override;
  std::string where() const override;

 private:
  redis::Connection connection_;
};

}  // namespace gw::usage
