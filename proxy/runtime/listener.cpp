#include "proxy/runtime/listener.hpp"

#include <boost/asio/detail/socket_option.hpp>
#include <boost/asio/socket_base.hpp>
#include <utility>

#include "proxy/runtime/worker.hpp"
#include "proxy/session/session.hpp"
#include "proxy/session/tls_refusal.hpp"

namespace gw::proxy {
namespace {

using ReusePort = asio::detail::socket_option::boolean<SOL_SOCKET, SO_REUSEPORT>;

// Accepting again at once after EMFILE would spin; a short pause lets connections close.
constexpr auto kAcceptBackoff = std::chrono::milliseconds(50);

}  // namespace

Acceptor openAcceptor(asio::io_context& ioc, const tcp::endpoint& endpoint, error_code& ec) {
  Acceptor acceptor(ioc);
  acceptor.open(endpoint.protocol(), ec);
  if (ec) {
    return acceptor;
  }
  // Both before bind: SO_REUSEPORT lets every worker bind the port; SO_REUSEADDR lets a
  // restarted proxy bind it while old connections sit in TIME_WAIT.
  acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) {
    acceptor.set_option(ReusePort(true), ec);
  }
  if (!ec) {  // accepted connections inherit it on Linux: no setsockopt per connection
    acceptor.set_option(tcp::no_delay(true), ec);
  }
  if (!ec) {
    acceptor.bind(endpoint, ec);
  }
  if (!ec) {
    acceptor.listen(asio::socket_base::max_listen_connections, ec);
  }
  if (ec) {
    error_code ignored;
    acceptor.close(ignored);
  }
  return acceptor;
}

void checkPortFree(asio::io_context& ioc, const tcp::endpoint& endpoint, error_code& ec) {
  Acceptor probe(ioc);
  probe.open(endpoint.protocol(), ec);
  if (!ec) {
    probe.set_option(asio::socket_base::reuse_address(true), ec);  // TIME_WAIT is no owner
  }
  if (!ec) {
    probe.bind(endpoint, ec);
  }
  error_code ignored;
  probe.close(ignored);
}

ListenerSlot::ListenerSlot(Worker& worker, std::uint32_t id, core::Protocol protocol,
                           Acceptor acceptor)
    : worker_(worker),
      id_(id),
      protocol_(protocol),
      acceptor_(std::move(acceptor)),
      backoff_(worker.context()) {}

void ListenerSlot::accept() {
  acceptor_.async_accept(peer_, [self = shared_from_this()](error_code ec, Socket socket) {
    self->onAccept(ec, std::move(socket));
  });
}

void ListenerSlot::close() {
  closed_ = true;
  error_code ec;
  acceptor_.close(ec);
  backoff_.cancel();
}

void ListenerSlot::onAccept(error_code ec, Socket socket) {
  if (closed_) {
    return;
  }
  if (ec) {
    backoff_.expires_after(kAcceptBackoff);
    backoff_.async_wait([self = shared_from_this()](error_code wait_ec) {
      if (!wait_ec && !self->closed_) {
        self->accept();
      }
    });
    return;
  }
  if (protocol_ == core::Protocol::kHttps) {
    const auto& snapshot = worker_.snapshot();
    const ListenerEntry* entry = snapshot ? snapshot->listener(id_) : nullptr;
    if (entry == nullptr || !entry->tls) {  // no certificate to serve
      std::make_shared<TlsRefusal>(worker_, std::move(socket))->start();
    } else if (auto ssl = entry->tls->newConnection(socket.native_handle())) {
      std::make_shared<Session>(worker_, ClientStream(std::move(socket), std::move(ssl)), peer_,
                                id_)
          ->start();
    }
  } else {
    std::make_shared<Session>(worker_, ClientStream(std::move(socket)), peer_, id_)->start();
  }
  accept();
}

}  // namespace gw::proxy
