#pragma once
// Server's state, shared by server.cpp (start, reload, stop) and status.cpp (admin JSON).

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "proxy/admin/server.hpp"
#include "proxy/metering/usage_meter.hpp"
#include "proxy/observe/access_log.hpp"
#include "proxy/observe/stats.hpp"
#include "proxy/proxy.hpp"
#include "proxy/runtime/worker.hpp"
#include "proxy/snapshot/snapshot.hpp"

namespace gw::proxy {

struct Server::Impl final : AdminApi {
  Impl(Options options_in, int thread_count);
  ~Impl() override;

  bool ready() const override { return ready_flag.load(); }
  StatusDoc statusDoc() const override;
  StatsDoc statsDoc(const StatsQuery& query) const override;
  std::string metricsText() const override;
  CacheDoc cacheDoc() const override;
  core::Result<PurgeDoc> purgeCache(std::string_view route, std::string_view prefix) override;
  core::Result<std::uint64_t> reload() override;

  // Opens the snapshot's new listeners in every worker (all or none), then hands each worker
  // the snapshot, its new acceptors and the listeners to close, and waits until all did.
  core::Status publish(const std::shared_ptr<const Snapshot>& snapshot);
  // Binds `entry` in every worker, adding an acceptor to opened[w] each: what it listens on.
  core::Result<ListenerInfo> openListener(const ListenerEntry& entry,
                                          std::vector<std::vector<OpenedListener>>& opened);
  // open_listeners after the workers took the snapshot: `closed` gone, `opened` added, the
  // names of the kept ones refreshed.
  void recordListeners(const Snapshot& snapshot, const std::vector<std::uint32_t>& closed,
                       std::map<std::uint32_t, ListenerInfo>& opened);
  core::Result<std::uint64_t> loadAndPublish(std::shared_ptr<const core::Config> config);
  void stop();
  // Whether one of this proxy's open listeners has `port` (its sockets share it by design).
  bool holdsPort(std::uint16_t port) const;

  const Options options;
  const int threads;
  const std::string started_at;  // RFC 3339, UTC
  std::unique_ptr<AccessLogFile> access_log;
  StatsRegistry stats;
  health::HealthMonitor health;  // endpoint health across reloads, and the health checker
  metering::UsageMeter usage;    // metered usage and quota counters across reloads
  std::vector<std::unique_ptr<Worker>> workers;
  std::unique_ptr<AdminServer> admin;

  mutable std::mutex mutex;  // serialises reloads; guards what follows
  SnapshotRegistries registries;
  std::shared_ptr<const Snapshot> current;
  std::string loaded_stamp;  // core::fileStamp of options.document when `current` was loaded
  std::map<std::uint32_t, ListenerInfo> open_listeners;  // by listener id
  bool stopped = false;
  std::atomic<bool> ready_flag{false};
};

}  // namespace gw::proxy
