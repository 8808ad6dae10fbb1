#pragma once
// The admin API server: its own thread and io_context, loopback only, bearer token checked
// in constant time. What it serves comes from AdminApi; the routes are in server.cpp.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "core/result.hpp"
#include "proxy/admin/messages.hpp"

namespace gw::proxy {

class AdminApi {
 public:
  virtual ~AdminApi() = default;
  virtual bool ready() const = 0;
  virtual StatusDoc statusDoc() const = 0;
  // /v1/stats with the last `query.series_seconds` (0..900) of each per-second series.
  virtual StatsDoc statsDoc(const StatsQuery& query) const = 0;
  virtual std::string metricsText() const = 0;  // Prometheus text exposition
  virtual CacheDoc cacheDoc() const = 0;
  // Drops the stored answers whose key (host and target) starts with `prefix` ("" = all)
  // and, when `route` is not empty, that the route stored; an unknown route is an error.
  virtual core::Result<PurgeDoc> purgeCache(std::string_view route, std::string_view prefix) = 0;
  virtual core::Result<std::uint64_t> reload() = 0;
};

class AdminServer {
 public:
  // `address` is HOST:PORT with a loopback HOST ("localhost", 127.x.x.x or ::1); port 0
  // picks a free one. An empty `token` authorises nothing but /ready.
  static core::Result<std::unique_ptr<AdminServer>> start(const std::string& address,
                                                          std::string token, AdminApi& api);
  ~AdminServer();
  AdminServer(const AdminServer&) = delete;
  AdminServer& operator=(const AdminServer&) = delete;

  std::uint16_t port() const;
  std::string address() const;
  void stop();

  struct Impl;

 private:
  explicit AdminServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Equal strings, in time that depends only on `given`'s length.
bool constantTimeEquals(std::string_view given, std::string_view expected);

}  // namespace gw::proxy
