#pragma once
// A WebSocket tunnel. Once the upstream accepts an upgrade with 101, neither connection is
// HTTP any more: the Session hands both over to a Tunnel and ends, and bytes are copied both
// ways until each side has closed. Nothing here refers to a config snapshot, so reloads
// never touch an open tunnel. Each direction reuses the buffer its side already has (the
// client's read buffer, the upstream connection's), so a tunnel allocates nothing. Either
// side may be TLS (tls/stream.hpp): the client's listener, or a service reached over TLS.
//
// A Connection of the worker: its idle deadline is swept with the others, a drain leaves it
// open (as it leaves a busy session), and shutdown closes it.

#include <boost/beast/core/flat_buffer.hpp>
#include <memory>
#include <string>

#include "proxy/net.hpp"
#include "proxy/session/client_stream.hpp"
#include "proxy/session/connection.hpp"
#include "proxy/upstream/pool.hpp"

namespace gw::proxy {

class Worker;

class Tunnel final : public Connection, public std::enable_shared_from_this<Tunnel> {
 public:
  // `client_buffer` holds what the client sent after its upgrade request; the upstream
  // connection's buffer what the upstream sent after its 101. `idle`: either direction
  // quiet this long closes both.
  Tunnel(Worker& worker, ClientStream client, beast::flat_buffer client_buffer,
         std::unique_ptr<UpstreamConnection> upstream, Clock::duration idle);
  ~Tunnel() override;

  // Writes `head` (the 101 answer) to the client, then copies both ways.
  void start(std::string head);

  void onDrain() override {}
  void closeNow() override;
  void onTick(Clock::time_point now) override;

 private:
  template <class Fn>
  void guarded(Fn&& fn) {
    try {
      fn();
    } catch (...) {
      closeNow();
    }
  }
  void toUpstream();
  void toClient();
  void ended(bool from_client, error_code ec);

  Worker& worker_;
  ClientStream client_;
  beast::flat_buffer client_buffer_;
  std::unique_ptr<UpstreamConnection> upstream_;
  Clock::duration idle_;
  Clock::time_point deadline_ = kNever;
  std::string head_;
  int open_ = 2;  // directions still open
  bool closed_ = false;
};

}  // namespace gw::proxy
