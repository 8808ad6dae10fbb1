// The WebSocket half of Session. After the upstream accepts an upgrade with 101, the
// connection is no longer HTTP: bytes are copied both ways until each side has closed, and
// nothing refers to the config snapshot any more, so reloads never touch an open tunnel.
// Each direction reuses the buffer its side already has (the client's request buffer, the
// upstream connection's response buffer), so a tunnel allocates nothing.

#include <algorithm>
#include <boost/asio/write.hpp>

#include "proxy/http/headers.hpp"
#include "proxy/runtime/worker.hpp"
#include "proxy/session/session.hpp"

namespace gw::proxy {
namespace {

constexpr std::size_t kTunnelChunk = 16 * 1024;
// A WebSocket may rightly stay quiet for long; the gateway's idle timeout applies when longer.
constexpr Clock::duration kTunnelIdle = std::chrono::hours(1);

}  // namespace

void Session::keepUpgradeHeaders(http::fields& fields) const {
  if (exchange_.websocket) {
    fields.set(http::field::connection, "Upgrade");
    fields.set(http::field::upgrade, "websocket");
  }
  if (exchange_.te_trailers) {
    fields.set(http::field::te, "trailers");
  }
}

void Session::startTunnel() {
  auto& res = response_->get();
  exchange_.status = 101;
  stripHopByHop(res);
  res.version(11);
  res.set(http::field::connection, "Upgrade");
  res.set(http::field::upgrade, "websocket");
  head_.clear();
  appendHead(res, head_);
  response_.reset();
  tunnel_idle_ = std::max<Clock::duration>(kTunnelIdle, idleTimeout());
  logRequest();
  // From here on nothing depends on the config the upgrade was routed with.
  exchange_.reset();  // the in-flight count lives in the snapshot let go below
  listener_ = nullptr;
  gateway_ = nullptr;
  snapshot_.reset();
  phase_ = Phase::kTunnel;
  upstream_.noDeadline();
  clientDeadline(tunnel_idle_);
  tunnel_open_ = 2;
  // The 101 head goes first; what the upstream sent after it is already tunnel data.
  asio::async_write(socket_, asio::buffer(head_),
                    [self = shared_from_this()](error_code ec, std::size_t) {
                      self->guarded([&] {
                        if (ec || self->closed_) {
                          self->closeNow();
                          return;
                        }
                        self->tunnelToClient();
                        self->tunnelToUpstream();
                      });
                    });
}

void Session::tunnelToUpstream() {
  if (closed_) {
    return;
  }
  clientDeadline(tunnel_idle_);
  if (buffer_.size() > 0) {
    upstream_.write(buffer_.data(), [self = shared_from_this()](error_code ec, std::size_t n) {
      self->guarded([&] {
        self->buffer_.consume(n);
        if (ec) {
          self->tunnelEnded(true, ec);
          return;
        }
        self->tunnelToUpstream();
      });
    });
    return;
  }
  socket_.async_read_some(buffer_.prepare(kTunnelChunk),
                          [self = shared_from_this()](error_code ec, std::size_t n) {
                            self->guarded([&] {
                              self->buffer_.commit(n);
                              if (ec) {
                                self->tunnelEnded(true, ec);
                                return;
                              }
                              self->tunnelToUpstream();
                            });
                          });
}

void Session::tunnelToClient() {
  if (closed_) {
    return;
  }
  clientDeadline(tunnel_idle_);
  auto& from = upstream_.buffer();
  if (from.size() > 0) {
    asio::async_write(socket_, from.data(),
                      [self = shared_from_this()](error_code ec, std::size_t n) {
                        self->guarded([&] {
                          if (self->closed_) {
                            return;
                          }
                          self->upstream_.buffer().consume(n);
                          if (ec) {
                            self->tunnelEnded(false, ec);
                            return;
                          }
                          self->tunnelToClient();
                        });
                      });
    return;
  }
  upstream_.socket().async_read_some(from.prepare(kTunnelChunk),
                                     [self = shared_from_this()](error_code ec, std::size_t n) {
                                       self->guarded([&] {
                                         if (self->closed_) {
                                           return;
                                         }
                                         self->upstream_.buffer().commit(n);
                                         if (ec) {
                                           self->tunnelEnded(false, ec);
                                           return;
                                         }
                                         self->tunnelToClient();
                                       });
                                     });
}

// One direction is over. A clean end (EOF) is passed on as a half-close, so the other side
// can still finish what it sends; anything else ends the tunnel.
void Session::tunnelEnded(bool from_client, error_code ec) {
  if (closed_) {
    return;
  }
  if (ec != asio::error::eof || --tunnel_open_ == 0) {
    closeNow();
    return;
  }
  error_code ignored;
  if (from_client) {
    upstream_.socket().shutdown(Socket::shutdown_send, ignored);
  } else {
    socket_.shutdown(Socket::shutdown_send, ignored);
  }
}

}  // namespace gw::proxy
