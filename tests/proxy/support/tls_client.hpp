#pragma once
// A blocking TLS client for tests, on OpenSSL: one connection to 127.0.0.1 that asks for a
// server name (SNI), trusts one CA file only, and sends HTTP/1.1 requests over it.

#include <openssl/ssl.h>

#include <cstdint>
#include <filesystem>
#include <string>

#include "tests/proxy/support/harness.hpp"

namespace gw::test {

struct TlsOptions {
  std::string alpn = "http/1.1";  // "" offers none; "h2" alone, or "h2,http/1.1"
  int max_version = 0;            // e.g. TLS1_2_VERSION; 0 = the newest
  SSL_SESSION* resume = nullptr;  // a session of an earlier connection to resume
  bool verify_name = true;        // false: the chain is verified, the name is not
};

class TlsClient {
 public:
  // Connects and completes the handshake, verifying the chain and `server_name` against
  // `ca_file`. Throws with OpenSSL's reason when it fails.
  TlsClient(std::uint16_t port, const std::string& server_name,
            const std::filesystem::path& ca_file, const TlsOptions& options = {});
  ~TlsClient();
  TlsClient(const TlsClient&) = delete;
  TlsClient& operator=(const TlsClient&) = delete;

  // One request on this connection (answers with a Content-Length, or chunked).
  Reply request(const std::string& method, const std::string& host, const std::string& target,
                const std::string& body = "");
  Reply get(const std::string& host, const std::string& target = "/") {
    return request("GET", host, target);
  }
  std::string serial() const;   // the served leaf's serial, hex without leading zeros
  std::string alpn() const;     // what the server chose, "" for none
  std::string version() const;  // "TLSv1.3"
  bool resumed() const;
  // Whether the server ends the connection with a close_notify before sending anything,
  // waiting up to the read timeout (10 s) for it.
  bool closedByServer();
  SSL_SESSION* session() const;  // a new reference, for TlsOptions::resume; free it

 private:
  int fd_ = -1;
  SSL_CTX* ctx_ = nullptr;
  SSL* ssl_ = nullptr;
};

}  // namespace gw::test
