#pragma once
// Usage metering: every finished request of an identified consumer counts, per consumer,
// route, UTC day and status class, with bytes and latency. Workers add to their own table
// (a lock no other worker takes); one thread takes every table's counts twice a second and
// adds them to the store the document's metering section names (<home>/usage.db or a shared
// Redis, usage::Store) as one batch. A batch that fails is retried, as it was and under its
// id, before anything newer, so a kill -9 loses at most the counts since the last flush and
// nothing is counted twice. The meter lives as long as the process, across reloads.
//
// It also keeps the quota counters (a consumer's admitted requests in its plan's day or
// month): seeded from the store, and, when the store is Redis, brought up to date after each
// flush with what other gateways sharing it admitted, for the consumers this one served in
// the last minute (one round trip). So gateways sharing a Redis store share each quota, and
// may pass it by at most what they admit within one flush (half a second), or, for a consumer
// back after a minute's pause here, before this gateway's next flush. It writes one CloudEvents
// JSON line per request to metering.events when the document names a file.
//
// The calendar is UTC wall time, shifted by `clock_offset_s` (tests move it to a period's
// end; GW_CLOCK_OFFSET in `gw proxy`).

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <vector>

#include "core/config/limits.hpp"
#include "core/usage/store.hpp"
#include "proxy/metering/quota_counter.hpp"
#include "proxy/metering/usage_event.hpp"

namespace gw::proxy::metering {

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
  // The counter of `consumer`'s requests per `period`, seeded from the store `config` names
  // (after a flush, so it sees every finished request).
  std::shared_ptr<QuotaCounter> quotaCounter(const core::Config& config,
                                             const std::string& consumer,
                                             core::Quota::Period period);
  // What a snapshot that serves `config` sets: the store (a change takes effect at the next
  // flush; counts not yet stored go to the new one) and the events file ("" = none).
  void configure(const core::Config& config);

  // Request path.
  void record(int worker, const UsageRecord& record);

  // Takes every worker's counts and stores them now (the flush thread does it on its own).
  core::Status flush();

 private:
  struct alignas(64) Slot {
    std::mutex mutex;
    std::unordered_map<std::uint64_t, usage::Counts> counts;
    std::string events;
    EventLines lines;
  };

  struct QuotaKey {
    std::string consumer;
    bool monthly = false;
    std::shared_ptr<QuotaCounter> counter;
  };

  void run();
  std::string nameOf(std::uint32_t id) const;
  // With flush_mutex_ held.
  usage::Store* openStore();  // null when there is none
  core::Status store(usage::Store& store, const usage::Batch& batch);
  void syncQuotas(usage::Store& store);
  std::vector<QuotaKey> quotaList() const;
  bool hasQuotas() const;

  const Options options_;
  usage::Target target_;                 // guarded by flush_mutex_
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
  std::unordered_map<std::uint64_t, usage::Counts> pending_;  // taken, not in a batch yet
  std::optional<usage::Batch> unstored_;  // a batch the store refused: retried first, as is
  std::uint64_t batches_ = 0;
  bool failing_ = false;         // the store refused the last flush
  bool events_failing_ = false;  // the events file refused the last lines

  std::mutex wake_mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread flusher_;
};

}  // namespace gw::proxy::metering
