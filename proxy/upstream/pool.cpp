#include "proxy/upstream/pool.hpp"

#include <sys/socket.h>

#include <cerrno>

namespace gw::proxy {
namespace {

// Per endpoint and worker; beyond this, connections are closed rather than kept.
constexpr std::size_t kMaxIdlePerEndpoint = 128;
// Older idle connections are likely to have been closed by the upstream's own idle timeout.
constexpr auto kMaxIdle = std::chrono::seconds(50);
// A connection idle for less than this was in use a moment ago and is reused without a
// check; an older one is first probed with a non-blocking peek (one syscall).
constexpr auto kProbeAfter = std::chrono::milliseconds(1000);

// True when the peer has neither closed the connection nor sent anything unasked.
bool stillOpen(UpstreamConnection& connection) {
  if (connection.stream.tls() && SSL_has_pending(connection.stream.ssl()) == 1) {
    return false;  // OpenSSL holds bytes nobody asked for
  }
  const int fd = connection.stream.fd();
  char byte = 0;
  const ssize_t n = ::recv(fd, &byte, 1, MSG_PEEK | MSG_DONTWAIT);
  return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
}

void closeQuietly(UpstreamConnection& connection) {
  error_code ec;
  if (connection.stream.tls()) {
    connection.stream.close(ec);  // with TLS's close_notify
    return;
  }
  connection.stream.socket().shutdown(Socket::shutdown_both, ec);
  connection.stream.close(ec);
}

}  // namespace

std::unique_ptr<UpstreamConnection> UpstreamPool::take(std::uint32_t endpoint_id,
                                                       Clock::time_point now, bool always_probe) {
  if (endpoint_id >= idle_.size()) {
    return nullptr;
  }
  auto& idle = idle_[endpoint_id];
  while (!idle.empty()) {
    std::unique_ptr<UpstreamConnection> connection = std::move(idle.back());
    idle.pop_back();
    const auto idle_for = now - connection->idle_since;
    const bool fresh = idle_for < kProbeAfter && !always_probe;
    if (fresh || (idle_for < kMaxIdle && stillOpen(*connection))) {
      return connection;
    }
    closeQuietly(*connection);
  }
  return nullptr;
}

void UpstreamPool::put(std::unique_ptr<UpstreamConnection> connection, Clock::time_point now) {
  const std::uint32_t id = connection->endpoint_id;
  if (id >= idle_.size()) {
    idle_.resize(id + 1);
  }
  auto& idle = idle_[id];
  if (idle.size() >= kMaxIdlePerEndpoint || connection->buffer.size() != 0) {
    closeQuietly(*connection);
    return;
  }
  connection->idle_since = now;
  idle.push_back(std::move(connection));
}

void UpstreamPool::retain(const std::vector<bool>& kept) {
  for (std::size_t id = 0; id < idle_.size(); ++id) {
    if (id >= kept.size() || !kept[id]) {
      for (auto& connection : idle_[id]) {
        closeQuietly(*connection);
      }
      idle_[id].clear();
    }
  }
  for (std::size_t id = 0; id < sessions_.size(); ++id) {
    if (id >= kept.size() || !kept[id]) {
      sessions_[id] = {};
    }
  }
}

void UpstreamPool::closeAll() {
  for (auto& idle : idle_) {
    for (auto& connection : idle) {
      closeQuietly(*connection);
    }
    idle.clear();
  }
}

SSL_SESSION* UpstreamPool::session(std::uint32_t endpoint_id, std::uint64_t tls_serial) const {
  if (endpoint_id >= sessions_.size() || sessions_[endpoint_id].tls_serial != tls_serial) {
    return nullptr;
  }
  return sessions_[endpoint_id].session.get();
}

void UpstreamPool::keepSession(const UpstreamConnection& connection) {
  SSL* ssl = connection.stream.ssl();
  if (ssl == nullptr || SSL_is_init_finished(ssl) != 1) {
    return;
  }
  SSL_SESSION* current = SSL_get0_session(ssl);
  if (current == nullptr || SSL_SESSION_is_resumable(current) != 1) {
    return;  // TLS 1.3 before the server's ticket came, or a failed handshake
  }
  const std::uint32_t id = connection.endpoint_id;
  if (id >= sessions_.size()) {
    sessions_.resize(id + 1);
  }
  KeptSession& kept = sessions_[id];
  if (kept.session.get() == current) {
    return;  // resumed with it, and no new ticket since
  }
  SSL_SESSION_up_ref(current);
  kept.session.reset(current);
  kept.tls_serial = connection.tls_serial;
}

}  // namespace gw::proxy
