#pragma once
// An HTTPS backend on 127.0.0.1 for the upstream-TLS tests, on OpenSSL with blocking sockets:
// one thread accepts, one thread per connection serves HTTP/1.1 with keep-alive. Every request
// is answered 200: with the body it carried, else with `name` and a newline; GET /bytes/N
// answers N bytes. An upgrade to websocket is answered 101, and then the bytes that come are
// echoed back as they are. It records what the tests check: the handshakes completed, how
// many resumed a session, the server name (SNI) each asked for, and the requests.

#include <openssl/ssl.h>

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace gw::test {

class TlsBackend {
 public:
  // Serves the chain in `cert_file` (leaf first) with the key in `key_file`. Throws when
  // OpenSSL refuses them.
  TlsBackend(const std::filesystem::path& cert_file, const std::filesystem::path& key_file,
             std::string name = "tls-backend");
  ~TlsBackend();
  TlsBackend(const TlsBackend&) = delete;
  TlsBackend& operator=(const TlsBackend&) = delete;

  // Every answer says Connection: close and ends its connection (so each request costs a
  // handshake, and resuming a session shows).
  void closeAfterEachAnswer(bool on) { close_each_ = on; }

  std::uint16_t port() const { return port_; }
  std::string endpoint() const { return "127.0.0.1:" + std::to_string(port_); }

  int handshakes() const { return handshakes_.load(); }  // completed
  int resumed() const { return resumed_.load(); }        // of those, resuming a session
  int failedHandshakes() const { return failed_.load(); }
  int requests() const { return requests_.load(); }
  // The server name each completed handshake asked for, in order ("" for none).
  std::vector<std::string> serverNames() const;
  // The ALPN protocol each completed handshake chose ("" for none).
  std::vector<std::string> alpn() const;

 private:
  void acceptLoop();
  void serve(int fd);
  bool answer(SSL* ssl, std::string& pending);  // one request; false to close

  std::string name_;
  SSL_CTX* ctx_ = nullptr;
  int listen_fd_ = -1;
  std::uint16_t port_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<bool> close_each_{false};
  std::atomic<int> handshakes_{0};
  std::atomic<int> resumed_{0};
  std::atomic<int> failed_{0};
  std::atomic<int> requests_{0};
  mutable std::mutex mutex_;  // guards what follows
  std::vector<std::string> server_names_;
  std::vector<std::string> alpn_;
  std::vector<int> open_fds_;
  std::vector<std::thread> threads_;
  std::thread acceptor_;
};

}  // namespace gw::test
