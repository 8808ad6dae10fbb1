#pragma once
// A listener's acceptor in one worker. Every worker binds its own socket to the same
// address with SO_REUSEPORT, so the kernel spreads connections over the workers and a
// connection never leaves the thread that accepted it.

#include <boost/asio/steady_timer.hpp>
#include <cstdint>
#include <memory>

#include "core/config/model.hpp"
#include "proxy/net.hpp"

namespace gw::proxy {

class Worker;

// Opens, binds and listens synchronously (callable from any thread before the acceptor is
// handed to its worker).
Acceptor openAcceptor(asio::io_context& ioc, const tcp::endpoint& endpoint, error_code& ec);

// Whether anything else holds `endpoint`'s port: a bind without SO_REUSEPORT, closed at once.
// SO_REUSEPORT alone would let a second gw (or any program of the same user that sets it)
// share the port without a word, each getting a part of the connections; this check refuses
// that before the workers bind. Sets `ec` (address_in_use) when the port is taken.
void checkPortFree(asio::io_context& ioc, const tcp::endpoint& endpoint, error_code& ec);

class ListenerSlot : public std::enable_shared_from_this<ListenerSlot> {
 public:
  ListenerSlot(Worker& worker, std::uint32_t id, core::Protocol protocol, Acceptor acceptor);
  void accept();
  void close();  // connections already accepted carry on

 private:
  void onAccept(error_code ec, Socket socket);

  Worker& worker_;
  std::uint32_t id_;
  core::Protocol protocol_;
  Acceptor acceptor_;
  tcp::endpoint peer_;  // the accepted connection's address, from accept itself
  asio::steady_timer backoff_;
  bool closed_ = false;
};

}  // namespace gw::proxy
