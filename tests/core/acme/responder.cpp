#include "tests/core/acme/responder.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <catch2/catch.hpp>
#include <cstring>
#include <nlohmann/json.hpp>

namespace gw::test {

namespace {

int listenOn(std::uint16_t port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  const int one = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(fd, 16) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

// The next connection, or -1 when `stop` was set (checked every 50 ms).
int acceptUntil(int fd, const std::atomic<bool>& stop) {
  while (!stop) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, 50) > 0) {
      return ::accept4(fd, nullptr, nullptr, SOCK_CLOEXEC);
    }
  }
  return -1;
}

void setTimeout(int fd) {
  timeval tv{5, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
}

void sendAll(int fd, const std::string& data) {
  std::size_t sent = 0;
  while (sent < data.size()) {
    const ssize_t n = ::send(fd, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) {
      return;
    }
    sent += static_cast<std::size_t>(n);
  }
}

// RFC 8737 section 3: the certificate for the SNI name, chosen before the handshake goes on.
int chooseCertificate(SSL* ssl, void* arg) {
  const auto* certs =
      static_cast<const std::map<std::string, std::pair<std::string, std::string>>*>(arg);
  const char* sni = SSL_get_servername(ssl, TLSEXT_NAMETYPE_host_name);
  if (sni == nullptr || certs->count(sni) == 0) {
    return 0;
  }
  const auto& [cert_pem, key_pem] = certs->at(sni);
  BIO* cert_bio = BIO_new_mem_buf(cert_pem.data(), static_cast<int>(cert_pem.size()));
  BIO* key_bio = BIO_new_mem_buf(key_pem.data(), static_cast<int>(key_pem.size()));
  X509* cert = PEM_read_bio_X509(cert_bio, nullptr, nullptr, nullptr);
  EVP_PKEY* key = PEM_read_bio_PrivateKey(key_bio, nullptr, nullptr, nullptr);
  const bool ok = cert != nullptr && key != nullptr && SSL_use_certificate(ssl, cert) == 1 &&
                  SSL_use_PrivateKey(ssl, key) == 1;
  X509_free(cert);
  EVP_PKEY_free(key);
  BIO_free(cert_bio);
  BIO_free(key_bio);
  return ok ? 1 : 0;
}

int selectAcmeTls(SSL* /*ssl*/, const unsigned char** out, unsigned char* outlen,
                  const unsigned char* in, unsigned int inlen, void* /*arg*/) {
  static const unsigned char kProtocol[] =
      "\x0a"
      "acme-tls/1";
  unsigned char* chosen = nullptr;
  if (SSL_select_next_proto(&chosen, outlen, kProtocol, sizeof kProtocol - 1, in, inlen) !=
      OPENSSL_NPN_NEGOTIATED) {
    return SSL_TLSEXT_ERR_ALERT_FATAL;
  }
  *out = chosen;
  return SSL_TLSEXT_ERR_OK;
}

}  // namespace

TestResponder::TestResponder(const Pebble& pebble, bool answer)
    : pebble_(pebble), answer_(answer) {}

TestResponder::~TestResponder() {
  stop_ = true;
  if (http_thread_.joinable()) {
    http_thread_.join();
  }
  if (tls_thread_.joinable()) {
    tls_thread_.join();
  }
  for (const int fd : {http_fd_, tls_fd_}) {
    if (fd >= 0) {
      ::close(fd);
    }
  }
}

void TestResponder::ensureServers(acme::ChallengeType type) {
  if (type == acme::ChallengeType::kHttp01 && http_fd_ < 0) {
    http_fd_ = listenOn(pebble_.http01Port());
    REQUIRE(http_fd_ >= 0);
    http_thread_ = std::thread([this] { serveHttp(); });
  }
  if (type == acme::ChallengeType::kTlsAlpn01 && tls_fd_ < 0) {
    tls_fd_ = listenOn(pebble_.tlsAlpn01Port());
    REQUIRE(tls_fd_ >= 0);
    tls_thread_ = std::thread([this] { serveTls(); });
  }
}

core::Status TestResponder::present(const acme::Challenge& challenge) {
  ++presented_;
  if (!answer_) {
    return core::Ok{};
  }
  switch (challenge.type) {
    case acme::ChallengeType::kHttp01: {
      ensureServers(challenge.type);
      const std::lock_guard lock(mutex_);
      http_[challenge.http_path] = challenge.key_authorization;
      break;
    }
    case acme::ChallengeType::kTlsAlpn01: {
      ensureServers(challenge.type);
      const std::lock_guard lock(mutex_);
      tls_[challenge.domain] = {challenge.tls_alpn_cert_pem, challenge.tls_alpn_key_pem};
      break;
    }
    case acme::ChallengeType::kDns01:
      if (!pebble_.challtestsrv("/set-txt", nlohmann::json{{"host", challenge.dns_txt_name + "."},
                                                           {"value", challenge.dns_txt_value}}
                                                .dump())) {
        return core::makeError(core::ErrorKind::kRuntime, "challtestsrv refused set-txt");
      }
      break;
  }
  return core::Ok{};
}

void TestResponder::cleanUp(const acme::Challenge& challenge) {
  ++cleaned_up_;
  const std::lock_guard lock(mutex_);
  http_.erase(challenge.http_path);
  tls_.erase(challenge.domain);
  if (challenge.type == acme::ChallengeType::kDns01 && answer_) {
    pebble_.challtestsrv("/clear-txt",
                         nlohmann::json{{"host", challenge.dns_txt_name + "."}}.dump());
  }
}

std::size_t TestResponder::serving() const {
  const std::lock_guard lock(mutex_);
  return http_.size() + tls_.size();
}

void TestResponder::serveHttp() {
  for (int fd = acceptUntil(http_fd_, stop_); fd >= 0; fd = acceptUntil(http_fd_, stop_)) {
    setTimeout(fd);
    std::string request;
    std::array<char, 4096> buf{};
    while (request.find("\r\n\r\n") == std::string::npos) {
      const ssize_t n = ::recv(fd, buf.data(), buf.size(), 0);
      if (n <= 0) {
        break;
      }
      request.append(buf.data(), static_cast<std::size_t>(n));
    }
    ++requests_;
    // "GET /.well-known/acme-challenge/TOKEN HTTP/1.1"
    const auto sp1 = request.find(' ');
    const auto sp2 = request.find(' ', sp1 + 1);
    const std::string path = sp1 == std::string::npos ? "" : request.substr(sp1 + 1, sp2 - sp1 - 1);
    std::string body;
    bool found = false;
    {
      const std::lock_guard lock(mutex_);
      if (const auto it = http_.find(path); it != http_.end()) {
        body = it->second;
        found = true;
      }
    }
    sendAll(fd, std::string(found ? "HTTP/1.1 200 OK" : "HTTP/1.1 404 Not Found") +
                    "\r\nContent-Type: text/plain\r\nContent-Length: " +
                    std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body);
    ::close(fd);
  }
}

void TestResponder::serveTls() {
  SSL_CTX* ctx = SSL_CTX_new(TLS_server_method());
  SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
  SSL_CTX_set_alpn_select_cb(ctx, selectAcmeTls, nullptr);
  for (int fd = acceptUntil(tls_fd_, stop_); fd >= 0; fd = acceptUntil(tls_fd_, stop_)) {
    setTimeout(fd);
    ++requests_;
    std::map<std::string, std::pair<std::string, std::string>> certs;
    {
      const std::lock_guard lock(mutex_);
      certs = tls_;
    }
    SSL_CTX_set_cert_cb(ctx, chooseCertificate, &certs);
    SSL* ssl = SSL_new(ctx);
    SSL_set_fd(ssl, fd);
    if (SSL_accept(ssl) == 1) {
      SSL_shutdown(ssl);
    }
    ERR_clear_error();
    SSL_free(ssl);
    ::close(fd);
  }
  SSL_CTX_free(ctx);
}

}  // namespace gw::test
