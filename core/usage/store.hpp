#pragma once
// Where metered usage is kept: one record per UTC day, consumer, route and status class, with
// request, refusal, byte and latency sums. The proxy adds batches of deltas; `gw usage` reads
// while it writes. Two stores: SQLite in the home (<home>/usage.db, sqlite_store.hpp) and
// Redis shared by several gateways (redis_store.hpp). Either applies a batch whole or not at
// all, and a batch applied again under the same id counts once, so a flush retried after a
// failure (or a timeout that hid a success) never counts twice.

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/config/model.hpp"
#include "core/result.hpp"

namespace gw::usage {

struct Counts {
  std::int64_t requests = 0;
  std::int64_t refused = 0;  // answered by the gateway's access control, limits or quota
  std::int64_t bytes_in = 0;
  std::int64_t bytes_out = 0;
  std::int64_t latency_us = 0;  // the sum; over `requests`, the mean
  std::int64_t latency_max_us = 0;
  void add(const Counts& other);
  // What passed the gateway's checks: what a quota counts and an invoice bills.
  std::int64_t admitted() const { return requests - refused; }
};

struct Delta {
  std::string day;  // "YYYY-MM-DD" (UTC)
  std::string consumer;
  std::string route;
  int status_class = 0;  // 1..5 for 1xx..5xx; 0: no answer
  Counts counts;
};

struct Query {
  std::string consumer;  // "" = all
  std::string route;     // "" = all
  std::string from;      // first day, "YYYY-MM-DD"; "" = open
  std::string to;        // last day, inclusive; "" = open
  bool by_month = false;
};

// Usage of one consumer on one route in one day (or month).
struct Summary {
  std::string period;  // "YYYY-MM-DD" or "YYYY-MM"
  std::string consumer;
  std::string route;
  Counts counts;
  std::array<std::int64_t, 6> by_class{};  // requests per status class (0: no answer)
};

// One flush: its id is unique per process and flush ("<boot>-<n>"), and kept when the flush is
// retried.
struct Batch {
  std::string id;
  std::vector<Delta> deltas;
};

class Store {
 public:
  enum class Mode { kWrite, kRead };
  virtual ~Store() = default;

  virtual core::Status add(const Batch& batch) = 0;
  // Requests of `consumer` that passed the gateway's checks, days [from, to] ("YYYY-MM-DD").
  virtual core::Result<std::int64_t> admitted(const std::string& consumer, const std::string& from,
                                              const std::string& to) = 0;
  // admitted() of each range, in order (one round trip where the store allows it).
  struct Range {
    std::string consumer;
    std::string from;
    std::string to;
  };
  virtual core::Result<std::vector<std::int64_t>> admittedMany(const std::vector<Range>& ranges);
  // Sorted by period, consumer, route.
  virtual core::Result<std::vector<Summary>> summarize(const Query& query) = 0;
  // Where the usage is, for messages: a file or a Redis address.
  virtual std::string where() const = 0;
};

// Which store: what the document's metering section names.
struct Target {
  core::Metering::Store kind = core::Metering::Store::kSqlite;
  std::string sqlite_path;  // <home>/usage.db
  core::RedisStore redis;   // the document's redis section, for kRedis
  bool operator==(const Target&) const = default;
};
Target targetOf(const core::Config& config, const std::string& sqlite_path);

// Opening Redis does not connect: calls do.
core::Result<std::unique_ptr<Store>> openStore(const Target& target, Store::Mode mode);

}  // namespace gw::usage
