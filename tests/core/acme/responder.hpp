#pragma once
// The answers to Pebble's challenges in the library tests, by the test itself: an HTTP server
// (a thread, a plain socket) on Pebble's HTTP-01 port, a TLS server (OpenSSL) on its
// TLS-ALPN-01 port that serves the certificate the client built, and challtestsrv's DNS for
// DNS-01. It counts what the client asked of it, so tests can check cleanUp was called.

#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <thread>

#include "core/acme/challenge.hpp"
#include "tests/core/acme/pebble.hpp"

namespace gw::test {

class TestResponder : public acme::ChallengeResponder {
 public:
  // `answer` false: present() succeeds but nothing is served (nothing listens), so the CA's
  // validation fails.
  explicit TestResponder(const Pebble& pebble, bool answer = true);
  ~TestResponder() override;
  TestResponder(const TestResponder&) = delete;
  TestResponder& operator=(const TestResponder&) = delete;

  core::Status present(const acme::Challenge& challenge) override;
  void cleanUp(const acme::Challenge& challenge) override;

  int presented() const { return presented_; }
  int cleanedUp() const { return cleaned_up_; }
  // What is still being served (0 after every cleanUp).
  std::size_t serving() const;
  // Requests the HTTP or TLS server saw.
  int requests() const { return requests_; }

 private:
  void serveHttp();
  void serveTls();
  void ensureServers(acme::ChallengeType type);

  const Pebble& pebble_;
  bool answer_;
  mutable std::mutex mutex_;
  std::map<std::string, std::string> http_;                         // path -> body
  std::map<std::string, std::pair<std::string, std::string>> tls_;  // domain -> cert, key
  std::atomic<bool> stop_{false};
  std::atomic<int> requests_{0};
  int presented_ = 0;
  int cleaned_up_ = 0;
  int http_fd_ = -1;
  int tls_fd_ = -1;
  std::thread http_thread_;
  std::thread tls_thread_;
};

}  // namespace gw::test
