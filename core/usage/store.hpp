#pragma once
// Metered usage in SQLite (<home>/usage.db, WAL): one row per UTC day, consumer, route and
// status class, with request, refusal, byte and latency sums. The proxy adds deltas (each
// add() is one transaction: all of a flush lands, or none of it, so nothing is counted twice
// and nothing half); `gw usage` reads it while the proxy writes.

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/result.hpp"

struct sqlite3;
struct sqlite3_stmt;

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

class Store {
 public:
  enum class Mode { kWrite, kRead };
  // kWrite creates the file (mode 0600) and its table; kRead of a missing file gives a
  // store that reads as empty.
  static core::Result<std::unique_ptr<Store>> open(const std::string& path, Mode mode);
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  // One transaction.
  core::Status add(const std::vector<Delta>& deltas);
  // Requests of `consumer` that passed the gateway's checks, days [from, to] ("YYYY-MM-DD").
  core::Result<std::int64_t> admitted(const std::string& consumer, const std::string& from,
                                      const std::string& to);
  // Sorted by period, consumer, route.
  core::Result<std::vector<Summary>> summarize(const Query& query);

 private:
  Store(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}
  core::Error failure(const std::string& doing) const;

  sqlite3* db_ = nullptr;           // null: a missing file read as empty
  sqlite3_stmt* upsert_ = nullptr;  // kWrite: prepared once
  std::string path_;
};

}  // namespace gw::usage
