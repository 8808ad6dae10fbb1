#include "proxy/session/tunnel.hpp"

#include <boost/asio/write.hpp>

#include "proxy/runtime/worker.hpp"

namespace gw::proxy {
namespace {

constexpr std::size_t kTunnelChunk = 16 * 1024;

}  // namespace

Tunnel::Tunnel(Worker& worker, ClientStream client, beast::flat_buffer client_buffer,
               std::unique_ptr<UpstreamConnection> upstream, Clock::duration idle)
    : worker_(worker),
      client_(std::move(client)),
      client_buffer_(std::move(client_buffer)),
      upstream_(std::move(upstream)),
      idle_(idle) {
  worker_.attach(this);
}

Tunnel::~Tunnel() { worker_.detach(this); }

void Tunnel::start(std::string head) {
  head_ = std::move(head);
  deadline_ = Clock::now() + idle_;
  // The 101 head goes first; what the upstream sent after it is already tunnel data.
  asio::async_write(client_, asio::buffer(head_),
                    [self = shared_from_this()](error_code ec, std::size_t) {
                      self->guarded([&] {
                        if (ec || self->closed_) {
                          self->closeNow();
                          return;
                        }
                        self->toClient();
                        self->toUpstream();
                      });
                    });
}

void Tunnel::closeNow() {
  if (closed_) {
    return;
  }
  closed_ = true;
  deadline_ = kNever;
  error_code ec;
  client_.close(ec);
  upstream_->stream.close(ec);  // only closed: a pending operation may still use its buffer
}

void Tunnel::onTick(Clock::time_point now) {
  if (now >= deadline_) {
    closeNow();
  }
}

void Tunnel::toUpstream() {
  if (closed_) {
    return;
  }
  deadline_ = Clock::now() + idle_;
  if (client_buffer_.size() > 0) {
    asio::async_write(upstream_->stream, client_buffer_.data(),
                      [self = shared_from_this()](error_code ec, std::size_t n) {
                        self->guarded([&] {
                          self->client_buffer_.consume(n);
                          if (ec) {
                            self->ended(true, ec);
                            return;
                          }
                          self->toUpstream();
                        });
                      });
    return;
  }
  client_.async_read_some(client_buffer_.prepare(kTunnelChunk),
                          [self = shared_from_this()](error_code ec, std::size_t n) {
                            self->guarded([&] {
                              self->client_buffer_.commit(n);
                              if (ec) {
                                self->ended(true, ec);
                                return;
                              }
                              self->toUpstream();
                            });
                          });
}

void Tunnel::toClient() {
  if (closed_) {
    return;
  }
  deadline_ = Clock::now() + idle_;
  auto& from = upstream_->buffer;
  if (from.size() > 0) {
    asio::async_write(client_, from.data(),
                      [self = shared_from_this()](error_code ec, std::size_t n) {
                        self->guarded([&] {
                          self->upstream_->buffer.consume(n);
                          if (ec) {
                            self->ended(false, ec);
                            return;
                          }
                          self->toClient();
                        });
                      });
    return;
  }
  upstream_->stream.async_read_some(from.prepare(kTunnelChunk),
                                    [self = shared_from_this()](error_code ec, std::size_t n) {
                                      self->guarded([&] {
                                        self->upstream_->buffer.commit(n);
                                        if (ec) {
                                          self->ended(false, ec);
                                          return;
                                        }
                                        self->toClient();
                                      });
                                    });
}

// One direction is over. A clean end (EOF) is passed on as a half-close, so the other side
// can still finish what it sends; anything else ends the tunnel.
void Tunnel::ended(bool from_client, error_code ec) {
  if (closed_) {
    return;
  }
  if (ec != asio::error::eof || --open_ == 0) {
    closeNow();
    return;
  }
  error_code ignored;
  if (from_client) {
    upstream_->stream.shutdownSend(ignored);
  } else {
    client_.shutdownSend(ignored);
  }
}

}  // namespace gw::proxy
