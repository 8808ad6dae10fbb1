#pragma once
// Idle keep-alive connections to upstream endpoints, one pool per worker (so no locks),
// indexed by the endpoint's stable id. Most recently used first: the warmest connection is
// the least likely to have been closed by the upstream.

#include <boost/beast/core/flat_buffer.hpp>
#include <cstdint>
#include <memory>
#include <vector>

#include "proxy/net.hpp"

namespace gw::proxy {

struct UpstreamConnection {
  explicit UpstreamConnection(asio::io_context& ioc) : socket(ioc) {}

  Socket socket;
  beast::flat_buffer buffer{128 * 1024};
  std::uint32_t endpoint_id = 0;
  Clock::time_point idle_since{};
};

class UpstreamPool {
 public:
  // An idle connection to `endpoint_id` that still looks open, or null. One idle for a
  // while is probed first (a non-blocking peek); `always_probe` probes any, for requests
  // that cannot be sent twice.
  std::unique_ptr<UpstreamConnection> take(std::uint32_t endpoint_id, Clock::time_point now,
                                           bool always_probe);
  // Keeps `connection` for reuse (or closes it when the pool for its endpoint is full).
  void put(std::unique_ptr<UpstreamConnection> connection, Clock::time_point now);
  // Drops connections to endpoints that no longer appear in `kept` (indexed by id).
  void retain(const std::vector<bool>& kept);
  void closeAll();

 private:
  std::vector<std::vector<std::unique_ptr<UpstreamConnection>>> idle_;
};

}  // namespace gw::proxy
