#include "tests/proxy/support/tls_client.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/x509v3.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <stdexcept>

namespace gw::test {
namespace {

std::string sslReason(const std::string& what) {
  const unsigned long code = ERR_get_error();
  ERR_clear_error();
  return what + ": " + (code != 0 ? ERR_reason_error_string(code) : "failed");
}

std::string wireAlpn(const std::string& list) {
  std::string wire;
  std::size_t start = 0;
  while (start < list.size()) {
    std::size_t end = list.find(',', start);
    end = end == std::string::npos ? list.size() : end;
    wire += static_cast<char>(end - start);
    wire += list.substr(start, end - start);
    start = end + 1;
  }
  return wire;
}

}  // namespace

TlsClient::TlsClient(std::uint16_t port, const std::string& server_name,
                     const std::filesystem::path& ca_file, const TlsOptions& options) {
  ctx_ = SSL_CTX_new(TLS_client_method());
  if (ctx_ == nullptr || SSL_CTX_load_verify_locations(ctx_, ca_file.c_str(), nullptr) != 1) {
    throw std::runtime_error(sslReason("CA file " + ca_file.string()));
  }
  SSL_CTX_set_verify(ctx_, SSL_VERIFY_PEER, nullptr);
  if (options.max_version != 0) {
    SSL_CTX_set_max_proto_version(ctx_, options.max_version);
  }
  fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  const timeval wait{10, 0};
  ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &wait, sizeof wait);
  if (::connect(fd_, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
    throw std::runtime_error("connect to port " + std::to_string(port) + " failed");
  }
  ssl_ = SSL_new(ctx_);
  SSL_set_fd(ssl_, fd_);
  // SSL_set_tlsext_host_name, without the macro's C-style cast:
  SSL_ctrl(ssl_, SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name,
           const_cast<char*>(server_name.c_str()));
  if (options.verify_name) {
    SSL_set1_host(ssl_, server_name.c_str());
  }
  if (!options.alpn.empty()) {
    const std::string wire = wireAlpn(options.alpn);
    SSL_set_alpn_protos(ssl_, reinterpret_cast<const unsigned char*>(wire.data()),
                        static_cast<unsigned int>(wire.size()));
  }
  if (options.resume != nullptr) {
    SSL_set_session(ssl_, options.resume);
  }
  if (SSL_connect(ssl_) != 1) {
    throw std::runtime_error(sslReason("TLS handshake with " + server_name));
  }
}

TlsClient::~TlsClient() {
  if (ssl_ != nullptr) {
    SSL_shutdown(ssl_);
    SSL_free(ssl_);
  }
  if (fd_ >= 0) {
    ::close(fd_);
  }
  SSL_CTX_free(ctx_);
}

Reply TlsClient::request(const std::string& method, const std::string& host,
                         const std::string& target, const std::string& body) {
  const std::string request = method + " " + target + " HTTP/1.1\r\nHost: " + host +
                              "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" +
                              body;
  std::size_t sent = 0;
  while (sent < request.size()) {
    const int n = SSL_write(ssl_, request.data() + sent, static_cast<int>(request.size() - sent));
    if (n <= 0) {
      throw std::runtime_error(sslReason("TLS write"));
    }
    sent += static_cast<std::size_t>(n);
  }
  std::string got;
  std::size_t head_end = std::string::npos;
  std::size_t want = std::string::npos;
  bool chunked = false;
  char chunk[16384];
  const auto complete = [&] {
    if (head_end == std::string::npos) {
      return false;
    }
    return chunked ? got.find("\r\n0\r\n\r\n", head_end + 2) != std::string::npos
                   : got.size() >= want;
  };
  while (!complete()) {
    const int n = SSL_read(ssl_, chunk, sizeof chunk);
    if (n <= 0) {
      throw std::runtime_error(sslReason("TLS read (" + std::to_string(got.size()) + " bytes)"));
    }
    got.append(chunk, static_cast<std::size_t>(n));
    if (head_end == std::string::npos && (head_end = got.find("\r\n\r\n")) != std::string::npos) {
      std::string head = got.substr(0, head_end);
      std::ranges::transform(head, head.begin(),
                             [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
      const auto length = head.find("content-length:");
      chunked = head.find("transfer-encoding: chunked") != std::string::npos;
      want =
          head_end + 4 + (length == std::string::npos ? 0 : std::stoul(head.substr(length + 15)));
    }
  }
  Reply reply;
  reply.head = got.substr(0, head_end);
  reply.status = static_cast<unsigned>(std::stoul(got.substr(9, 3)));
  std::size_t line = got.find("\r\n") + 2;
  while (line < head_end) {
    const std::size_t end = got.find("\r\n", line);
    const std::string field = got.substr(line, end - line);
    const auto colon = field.find(':');
    std::string name = field.substr(0, colon);
    std::ranges::transform(name, name.begin(),
                           [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    std::string value = field.substr(colon + 1);
    value.erase(0, value.find_first_not_of(' '));
    reply.headers[name] = value;
    line = end + 2;
  }
  if (!chunked) {
    reply.body = got.substr(head_end + 4, want - head_end - 4);
    return reply;
  }
  std::size_t at = head_end + 4;  // size line, data, CRLF; until the zero-size chunk
  for (;;) {
    const std::size_t size = std::stoul(got.substr(at, got.find("\r\n", at) - at), nullptr, 16);
    at = got.find("\r\n", at) + 2;
    if (size == 0) {
      break;
    }
    reply.body += got.substr(at, size);
    at += size + 2;
  }
  return reply;
}

std::string TlsClient::serial() const {
  X509* leaf = SSL_get0_peer_certificate(ssl_);
  BIGNUM* number = ASN1_INTEGER_to_BN(X509_get0_serialNumber(leaf), nullptr);
  char* hex = BN_bn2hex(number);
  std::string out(hex);
  OPENSSL_free(hex);
  BN_free(number);
  // BN_bn2hex writes whole bytes ("07A1..."), openssl x509 -serial not always.
  const auto first = out.find_first_not_of('0');
  return first == std::string::npos ? "0" : out.substr(first);
}

std::string TlsClient::alpn() const {
  const unsigned char* chosen = nullptr;
  unsigned int length = 0;
  SSL_get0_alpn_selected(ssl_, &chosen, &length);
  return {reinterpret_cast<const char*>(chosen), length};
}

std::string TlsClient::version() const { return SSL_get_version(ssl_); }

bool TlsClient::resumed() const { return SSL_session_reused(ssl_) == 1; }

bool TlsClient::closedByServer() {
  char byte = 0;
  const int n = SSL_read(ssl_, &byte, 1);
  const bool closed = n <= 0 && SSL_get_error(ssl_, n) == SSL_ERROR_ZERO_RETURN;
  ERR_clear_error();
  return closed;
}

SSL_SESSION* TlsClient::session() const { return SSL_get1_session(ssl_); }

}  // namespace gw::test
