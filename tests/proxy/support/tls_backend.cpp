#include "tests/proxy/support/tls_backend.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <stdexcept>

namespace gw::test {
namespace {

constexpr std::size_t kMaxHead = 64 * 1024;

// ALPN: http/1.1 when the client offers it, as the upstreams gw talks to would.
int selectAlpn(SSL* /*ssl*/, const unsigned char** out, unsigned char* outlen,
               const unsigned char* in, unsigned int inlen, void* /*arg*/) {
  static constexpr unsigned char kHttp11[] = {8, 'h', 't', 't', 'p', '/', '1', '.', '1'};
  unsigned char* chosen = nullptr;
  if (SSL_select_next_proto(&chosen, outlen, kHttp11, sizeof kHttp11, in, inlen) !=
      OPENSSL_NPN_NEGOTIATED) {
    return SSL_TLSEXT_ERR_NOACK;
  }
  *out = chosen;
  return SSL_TLSEXT_ERR_OK;
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

// The value of header `name` (lower case) in `head`, "" when absent.
std::string headerOf(const std::string& head, const std::string& name) {
  std::size_t at = head.find("\r\n");
  while (at != std::string::npos && at + 2 < head.size()) {
    const std::size_t end = head.find("\r\n", at + 2);
    const std::string line = head.substr(at + 2, end - at - 2);
    const std::size_t colon = line.find(':');
    if (colon != std::string::npos && lower(line.substr(0, colon)) == name) {
      std::string value = line.substr(colon + 1);
      value.erase(0, value.find_first_not_of(' '));
      return value;
    }
    at = end;
  }
  return "";
}

bool readMore(SSL* ssl, std::string& into) {
  char chunk[16 * 1024];
  const int n = SSL_read(ssl, chunk, sizeof chunk);
  if (n <= 0) {
    return false;
  }
  into.append(chunk, static_cast<std::size_t>(n));
  return true;
}

bool writeAll(SSL* ssl, const std::string& bytes) {
  std::size_t sent = 0;
  while (sent < bytes.size()) {
    const int n = SSL_write(ssl, bytes.data() + sent, static_cast<int>(bytes.size() - sent));
    if (n <= 0) {
      return false;
    }
    sent += static_cast<std::size_t>(n);
  }
  return true;
}

}  // namespace

TlsBackend::TlsBackend(const std::filesystem::path& cert_file,
                       const std::filesystem::path& key_file, std::string name)
    : name_(std::move(name)), ctx_(SSL_CTX_new(TLS_server_method())) {
  if (ctx_ == nullptr ||
      SSL_CTX_use_certificate_chain_file(ctx_, cert_file.string().c_str()) != 1 ||
      SSL_CTX_use_PrivateKey_file(ctx_, key_file.string().c_str(), SSL_FILETYPE_PEM) != 1) {
    SSL_CTX_free(ctx_);
    throw std::runtime_error("tls backend: cannot load " + cert_file.string());
  }
  SSL_CTX_set_alpn_select_cb(ctx_, selectAlpn, nullptr);
  listen_fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t size = sizeof address;
  const auto* any = reinterpret_cast<sockaddr*>(&address);
  if (listen_fd_ < 0 || ::bind(listen_fd_, any, size) != 0 || ::listen(listen_fd_, 64) != 0 ||
      ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&address), &size) != 0) {
    SSL_CTX_free(ctx_);
    throw std::runtime_error("tls backend: cannot listen");
  }
  port_ = ntohs(address.sin_port);
  acceptor_ = std::thread([this] { acceptLoop(); });
}

TlsBackend::~TlsBackend() {
  stopping_ = true;
  ::shutdown(listen_fd_, SHUT_RDWR);  // ends the accept() in progress
  acceptor_.join();
  ::close(listen_fd_);
  std::vector<std::thread> threads;
  {
    const std::lock_guard lock(mutex_);
    for (const int fd : open_fds_) {
      ::shutdown(fd, SHUT_RDWR);  // ends the reads in progress
    }
    threads.swap(threads_);
  }
  for (auto& thread : threads) {
    thread.join();
  }
  SSL_CTX_free(ctx_);
}

std::vector<std::string> TlsBackend::serverNames() const {
  const std::lock_guard lock(mutex_);
  return server_names_;
}

std::vector<std::string> TlsBackend::alpn() const {
  const std::lock_guard lock(mutex_);
  return alpn_;
}

void TlsBackend::acceptLoop() {
  for (;;) {
    const int fd = ::accept(listen_fd_, nullptr, nullptr);
    if (fd < 0) {
      return;  // shut down
    }
    const std::lock_guard lock(mutex_);
    if (stopping_) {
      ::close(fd);
      return;
    }
    open_fds_.push_back(fd);
    threads_.emplace_back([this, fd] { serve(fd); });
  }
}

void TlsBackend::serve(int fd) {
  SSL* ssl = SSL_new(ctx_);
  SSL_set_fd(ssl, fd);
  if (SSL_accept(ssl) != 1) {
    ++failed_;
  } else {
    const char* sni = SSL_get_servername(ssl, TLSEXT_NAMETYPE_host_name);
    const unsigned char* alpn = nullptr;
    unsigned int alpn_size = 0;
    SSL_get0_alpn_selected(ssl, &alpn, &alpn_size);
    {
      const std::lock_guard lock(mutex_);
      server_names_.emplace_back(sni != nullptr ? sni : "");
      alpn_.emplace_back(reinterpret_cast<const char*>(alpn), alpn_size);
    }
    resumed_ += SSL_session_reused(ssl) == 1 ? 1 : 0;
    ++handshakes_;
    std::string pending;
    while (!stopping_ && answer(ssl, pending)) {
    }
    SSL_shutdown(ssl);
  }
  ERR_clear_error();
  SSL_free(ssl);
  const std::lock_guard lock(mutex_);
  std::erase(open_fds_, fd);
  ::close(fd);
}

bool TlsBackend::answer(SSL* ssl, std::string& pending) {
  std::size_t end = pending.find("\r\n\r\n");
  while (end == std::string::npos) {
    if (pending.size() > kMaxHead || !readMore(ssl, pending)) {
      return false;
    }
    end = pending.find("\r\n\r\n");
  }
  const std::string head = pending.substr(0, end + 2);
  pending.erase(0, end + 4);
  const std::string length = headerOf(head, "content-length");
  const std::size_t body_size = length.empty() ? 0 : std::stoul(length);
  while (pending.size() < body_size) {
    if (!readMore(ssl, pending)) {
      return false;
    }
  }
  std::string body = pending.substr(0, body_size);
  pending.erase(0, body_size);
  ++requests_;

  if (lower(headerOf(head, "upgrade")) == "websocket") {
    // The tunnel's bytes are not HTTP any more: whatever comes goes back.
    if (!writeAll(ssl,
                  "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                  "Connection: Upgrade\r\n\r\n" +
                      pending)) {
      return false;
    }
    std::string echo;
    while (readMore(ssl, echo) && writeAll(ssl, echo)) {
      echo.clear();
    }
    return false;
  }
  const std::string target = head.substr(head.find(' ') + 1);
  if (target.starts_with("/bytes/")) {
    body.assign(std::stoul(target.substr(7)), 'x');
  } else if (body.empty()) {
    body = name_ + "\n";
  }
  const bool close = close_each_ || lower(headerOf(head, "connection")) == "close";
  std::string out = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " +
                    std::to_string(body.size()) + "\r\n" + (close ? "Connection: close\r\n" : "") +
                    "\r\n";
  out += body;
  return writeAll(ssl, out) && !close;
}

}  // namespace gw::test
