#pragma once
// Raw-bytes clients for hostile and malformed requests: plain POSIX sockets on 127.0.0.1,
// every wait bounded.

#include <chrono>
#include <cstdint>
#include <string>

namespace gw::test {

using namespace std::chrono_literals;

// One connection driven byte by byte. Throws when it cannot connect.
class RawConnection {
 public:
  explicit RawConnection(std::uint16_t port);
  ~RawConnection();
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;

  // False once the peer has closed (what it sent before is still in received()).
  bool send(const std::string& bytes, std::chrono::milliseconds timeout = 5s);
  void shutdownSend();
  // Reads until `needle` is in what was received (true), the peer closes or `timeout`.
  bool readUntil(const std::string& needle, std::chrono::milliseconds timeout = 5s);
  // Reads until the peer closes (true) or `timeout` passes (false).
  bool waitClosed(std::chrono::milliseconds timeout = 5s);
  const std::string& received() const { return received_; }
  bool closed() const { return closed_; }

 private:
  bool readFor(int wait_ms);
  int fd_ = -1;
  std::string received_;
  bool closed_ = false;
};

// Sends `bytes`, half-closes, and returns everything received until the peer closes (or
// `timeout` passes; `timed_out` then says so). The half-close tells the proxy no more
// requests follow, so a keep-alive answer ends the exchange too.
std::string sendAndHalfClose(std::uint16_t port, const std::string& bytes,
                             std::chrono::milliseconds timeout = 5s, bool* timed_out = nullptr);

// Sends `bytes` one byte every `interval` (stopping once the peer closes) and returns what
// came back, with the time from the first byte to the close.
struct SlowExchange {
  std::string received;
  std::chrono::milliseconds closed_after{0};
  bool closed = false;
};
SlowExchange sendSlowly(std::uint16_t port, const std::string& bytes,
                        std::chrono::milliseconds interval, std::chrono::milliseconds timeout);

// The status code of the first answer in `answer` ("HTTP/1.1 431 ..." -> 431), 0 if none.
unsigned statusOf(const std::string& answer);

}  // namespace gw::test
