#pragma once
// Usage metering: every finished request of an identified consumer counts, per consumer,
// route, UTC day and status class, with bytes and latency. Workers add to their own table
// (a lock no other worker takes); one thread takes every table's counts twice a second and
// adds them to <home>/usage.db as one transaction (usage::Store), so a kill -9
// loses at most the counts since the last flush and nothing is counted twice: what a flush
// took is either committed once or, when the write fails, kept for the next flush. The meter
// lives as long as the process, across reloads.
//
// It also keeps the quota counters (a consumer's admitted requests in its plan's day or
// month), seeded from the store, and writes one CloudEvents JSON line per request to
// metering.events when the document names a file.
//
// The calendar is UTC wall time, shifted by `clock_offset_s` (tests move it to a period's
// end; GW_CLOCK_OFFSET in `gw proxy`).

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <vector>

#include "core/config/limits.hpp"
#include "core/usage/store.hpp"

namespace gw::proxy::metering {

// A consumer's requests in the current quota period, taken and given back without a lock:
// one atomic word holds the period and the count, so a request at a period's turn either
// counts in the old period or starts the new one.
class QuotaCounter {
 public:
  QuotaCounter(std::int64_t period, std::int64_t used);
  // One more request in `period` (a day or month number) when fewer than `limit` were taken.
  bool take(std::int64_t period, std::int64_t limit);
  void giveBack(std::int64_t period);
  std::int64_t used(std::int64_t period) const;

 private:
  std::atomic<std::uint64_t> word_;
};

struct UsageRecord {
  std::uint32_t consumer = 0;  // ids from UsageMeter::idFor
  std::uint32_t route = 0;
  unsigned status = 0;
  bool refused = false;  // answered by access control, a rate limit or a quota
  std::uint64_t bytes_in = 0;
  std::uint64_t bytes_out = 0;
  std::uint64_t micros = 0;
  // For the event line.
  std::string_view consumer_name;
  std::string_view route_name;
  std::string_view request_id;
};

class UsageMeter {
 public:
  struct Options {
    std::string db_path;  // "" = counts are not stored (quotas then start from zero)
    int workers = 1;
    std::chrono::milliseconds flush_every{500};
    std::int64_t clock_offset_s = 0;
  };
  explicit UsageMeter(Options options);
  ~UsageMeter();  // flushes what is left
  UsageMeter(const UsageMeter&) = delete;
  UsageMeter& operator=(const UsageMeter&) = delete;

  // Unix seconds of the metering calendar.
  std::int64_t now() const;

  // Control plane (snapshot builds).
  std::uint32_t idFor(const std::string& name);
  // The counter of `consumer`'s requests per `period`, seeded from the store (after a flush,
  // so it sees every finished request).
  std::shared_ptr<QuotaCounter> quotaCounter(const std::string& consumer,
                                             core::Quota::Period period);
  // metering.events: the file for event lines ("" = none).
  void setEventsFile(const std::string& path);

  // Request path.
  void record(int worker, const UsageRecord& record);

  // Takes every worker's counts and stores them now (the flush thread does it on its own).
  core::Status flush();

 private:
  struct alignas(64) Slot {
    std::mutex mutex;
    std::unordered_map<std::uint64_t, usage::Counts> counts;
    std::string events;
    std::uint64_t sequence = 0;
    std::int64_t events_second = -1;  // the second `time_text` holds
    std::string time_text;
  };

  void appendEvent(Slot& slot, int worker, const UsageRecord& record, std::int64_t now_us);
  void run();
  std::string nameOf(std::uint32_t id) const;

  const Options options_;
  usage::Store* openStore();  // with flush_mutex_ held; null when there is none

  std::unique_ptr<usage::Store> store_;  // guarded by flush_mutex_
  bool store_tried_ = false;
  std::vector<std::unique_ptr<Slot>> slots_;
  const std::string boot_id_;  // makes event ids unique across restarts

  mutable std::mutex names_mutex_;
  std::unordered_map<std::string, std::uint32_t> ids_;
  std::vector<std::string> names_;
  std::unordered_map<std::string, std::shared_ptr<QuotaCounter>> quotas_;
  std::string events_path_;
  std::atomic<bool> events_on_{false};

  std::mutex flush_mutex_;  // one flush at a time; guards pending_
  std::unordered_map<std::uint64_t, usage::Counts> pending_;  // taken, not yet stored
  bool failing_ = false;                                      // the store refused the last flush
  bool events_failing_ = false;  // the events file refused the last lines

  std::mutex wake_mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread flusher_;
};

}  // namespace gw::proxy::metering
