#pragma once
// A small HTTP/1.1 server for control-plane pages (gw dashboard), not for traffic: an
// acceptor thread and one thread per connection (a dashboard has a handful of them, and a
// change may wait seconds for the proxy's reload without holding up the page's other
// requests). Keep-alive, idle connections closed after
// a minute, bodies up to 8 MiB. No Beast or Asio in this header.

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "core/result.hpp"
#include "proxy/web/http.hpp"

namespace gw::proxy::web {

// Called on a connection's thread, so it must be safe to call from several at once.
using Handler = std::function<Response(const Request&)>;

class Server {
 public:
  // Binds `address` (an IP literal or "localhost") and `port` (0: a free one) and starts
  // serving. Errors name the address: "cannot listen on 127.0.0.1:9900: Address in use".
  static core::Result<std::unique_ptr<Server>> start(const std::string& address, std::uint16_t port,
                                                     Handler handler);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  std::uint16_t port() const;
  // Stops accepting, closes every connection and joins the threads.
  void stop();

  struct Impl;

 private:
  explicit Server(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace gw::proxy::web
