#pragma once
// An https listener without a certificate: it accepts TCP, reads the ClientHello record and
// answers a fatal TLS alert (handshake_failure), so clients fail fast with a TLS error
// instead of hanging, and the proxy keeps serving everything else.

#include <array>
#include <cstdint>
#include <memory>

#include "proxy/net.hpp"
#include "proxy/session/connection.hpp"

namespace gw::proxy {

class Worker;

class TlsRefusal final : public Connection, public std::enable_shared_from_this<TlsRefusal> {
 public:
  TlsRefusal(Worker& worker, Socket socket);
  ~TlsRefusal() override;
  void start();
  void onDrain() override { closeNow(); }
  void closeNow() override;
  void onTick(Clock::time_point now) override;

 private:
  void readRecord();
  void onRead(error_code ec, std::size_t n);
  void sendAlert();
  void awaitClose();

  Worker& worker_;
  Socket socket_;
  Clock::time_point deadline_ = kNever;
  std::array<std::uint8_t, 512> buffer_{};
  std::size_t record_left_ = 0;  // bytes of the first record still to read
  std::size_t have_ = 0;         // bytes of the record header read so far
};

}  // namespace gw::proxy
