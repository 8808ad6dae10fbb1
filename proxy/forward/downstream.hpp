#pragma once
// The client side of one exchange, as a Forwarder (forwarder.hpp) sees it. An HTTP/1.1
// connection (session/session.hpp) is one; an HTTP/2 stream would be another. The client
// side owns its Forwarder and passes each completion of a read or write it was asked for
// back to it (Forwarder::onClientRead, onClientWritten), having first checked that it is
// still open; a closed client side calls nothing.

#include <boost/asio/buffer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <memory>
#include <span>
#include <string>

#include "proxy/http/errors.hpp"
#include "proxy/net.hpp"

namespace gw::proxy {

struct UpstreamConnection;

// One gathered write to the client; the buffers (and what they point to) stay valid until
// the write completes.
using ClientWrite = std::span<const asio::const_buffer>;

class Downstream {
 public:
  Downstream() = default;
  Downstream(const Downstream&) = delete;
  Downstream& operator=(const Downstream&) = delete;

  // Keeps the client side (and so its Forwarder) alive while an upstream step is pending.
  virtual std::shared_ptr<void> hold() = 0;
  virtual bool closed() const = 0;
  virtual void closeNow() = 0;

  // Writes the buffers under the gateway's write timeout; then Forwarder::onClientWritten.
  virtual void writeToClient(ClientWrite buffers) = 0;
  // Reads more of the request body into clientBuffer() under the body timeout; then
  // Forwarder::onClientRead. cancelRead() makes a pending read complete at once.
  virtual void readFromClient() = 0;
  virtual void cancelRead() = 0;
  virtual beast::flat_buffer& clientBuffer() = 0;

  // How the exchange ends, when the Forwarder ends it: a gateway-made error answer (or
  // the cache's stale one); a gateway-made answer; the answer relayed (`keep`: the client side may
  // take another request); a request body the client broke off; an upgrade, with the 101's head
  // still to write and the upstream's connection handed over.
  virtual void answerError(Reason reason) = 0;
  // The answer the exchange's `local` holds (a stored one the cache serves after the upstream
  // confirmed it with a 304, or instead of the upstream's error).
  virtual void answerLocal() = 0;
  virtual void finishRequest(bool keep) = 0;
  virtual void bodyError(error_code ec) = 0;
  virtual void upgrade(std::string head, std::unique_ptr<UpstreamConnection> upstream) = 0;

 protected:
  ~Downstream() = default;
};

}  // namespace gw::proxy
