#pragma once
// Idle keep-alive connections to upstream endpoints, one pool per worker (so no locks),
// indexed by the endpoint's stable id. Most recently used first: the warmest connection is
// the least likely to have been closed by the upstream. For endpoints reached over TLS it
// also keeps the last session of each, to resume on the next connection
// (tls/client_context.hpp).

#include <openssl/ssl.h>

#include <boost/beast/core/flat_buffer.hpp>
#include <cstdint>
#include <memory>
#include <vector>

#include "proxy/net.hpp"
#include "proxy/tls/stream.hpp"

namespace gw::proxy {

struct UpstreamConnection {
  explicit UpstreamConnection(asio::io_context& ioc) : stream(Socket(ioc)) {}

  tls::Stream stream;  // plain, or TLS once connected to a TLS service
  beast::flat_buffer buffer{128 * 1024};
  std::uint32_t endpoint_id = 0;
  std::uint64_t tls_serial = 0;  // TLS: the serial of the context it was made under
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

  // The session to offer on a new TLS connection to `endpoint_id`: the last one kept for it
  // under the context of serial `tls_serial`, else null.
  SSL_SESSION* session(std::uint32_t endpoint_id, std::uint64_t tls_serial) const;
  // Keeps the session of `connection` (TLS) when it can be resumed.
  void keepSession(const UpstreamConnection& connection);

 private:
  struct SessionFree {
    void operator()(SSL_SESSION* session) const { SSL_SESSION_free(session); }
  };
  struct KeptSession {
    std::unique_ptr<SSL_SESSION, SessionFree> session;
    std::uint64_t tls_serial = 0;
  };

  std::vector<std::vector<std::unique_ptr<UpstreamConnection>>> idle_;
  std::vector<KeptSession> sessions_;  // by endpoint id; TLS endpoints only
};

}  // namespace gw::proxy
