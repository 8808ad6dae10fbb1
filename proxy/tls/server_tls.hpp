#pragma once
// The TLS side of one gateway's https listeners: an OpenSSL context per certificate, and the
// choice among them by the name the client asks for (SNI): the exact name, then a wildcard
// one label up, then the gateway's first certificate. Built with the snapshot from the
// certificate files, so a reload (a new or renewed certificate) serves new handshakes from
// the new contexts while open connections keep the ones they started with. The contexts come
// from a CertificateCache (certificate_cache.hpp): unchanged certificates keep theirs across
// reloads. Each connection's SSL holds the ServerTls its handshake started on, so a reload
// during a handshake frees nothing the handshake still looks at.
//
// Every context has the same settings: TLS 1.2 and 1.3 with Mozilla's "intermediate" cipher
// list, ALPN http/1.1, session tickets under the process's rotating keys (ticket_keys.hpp),
// and OpenSSL's buffers released while a connection is idle.
//
// With a challenge folder, the listeners also answer TLS-ALPN-01 (acme_tls_alpn.hpp), even
// before the gateway has any certificate: the first one may be proved that way. Without a
// certificate every other handshake fails with a handshake_failure alert, as
// session/tls_refusal does for listeners that answer no challenge.

#include <openssl/ssl.h>

#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace gw::proxy::tls {

struct CtxFree {
  void operator()(SSL_CTX* ctx) const { SSL_CTX_free(ctx); }
};
using CtxPtr = std::unique_ptr<SSL_CTX, CtxFree>;

struct SslFree {
  void operator()(SSL* ssl) const { SSL_free(ssl); }
};
using SslPtr = std::unique_ptr<SSL, SslFree>;

// One certificate of the document, with where its files are.
struct CertificateFiles {
  std::string name;
  std::string cert_file;  // the chain, leaf first (PEM)
  std::string key_file;   // its private key (PEM)
};

struct LoadedCertificate {
  std::string name;
  std::vector<std::string> dns_names;  // lower case, from subjectAltName (else the CN)
  long long not_after = 0;             // seconds since the epoch
  CtxPtr ctx;
};
using SharedCertificate = std::shared_ptr<const LoadedCertificate>;

class CertificateCache;
class ClientAuth;

class ServerTls : public std::enable_shared_from_this<ServerTls> {
 public:
  // Loads each certificate through `cache`; one that cannot be loaded (and has no earlier
  // context kept) is left out and described in `problems` ("certificate shop: key.pem is not
  // the key of cert.pem"). `challenge_dir`: where pending TLS-ALPN-01 answers are ("" = none
  // are answered). Null when no certificate loads and there is no challenge folder. Without
  // `session_tickets` no handshake is resumed.
  // `client_auth`: client certificates the listeners ask for (client_auth.hpp), or null.
  static std::shared_ptr<const ServerTls> build(
      const std::vector<CertificateFiles>& files, CertificateCache& cache,
      std::vector<std::string>& problems, std::string challenge_dir = "",
      bool session_tickets = true, std::shared_ptr<const ClientAuth> client_auth = nullptr);
  // Gives a freshly loaded context the callbacks every context of a ServerTls has (SNI, the
  // TLS-ALPN-01 look at the ClientHello) and the ticket setting.
  static void prepare(SSL_CTX* ctx, bool session_tickets);

  ServerTls() = default;
  ServerTls(const ServerTls&) = delete;
  ServerTls& operator=(const ServerTls&) = delete;
  ~ServerTls() = default;

  // A connection's TLS state, before its handshake; null when OpenSSL cannot make one.
  SslPtr newConnection(int fd) const;
  // Whether the listeners ask clients for certificates.
  bool asksForClientCertificates() const { return client_auth_ != nullptr; }
  // The context serving `server_name` ("" when the client sent none).
  SSL_CTX* pick(std::string_view server_name) const;
  // Empty when the listeners only answer challenges.
  const std::vector<SharedCertificate>& certificates() const { return certificates_; }
  const std::string& challengeDir() const { return challenge_dir_; }

 private:
  SSL_CTX* first() const;

  std::vector<SharedCertificate> certificates_;
  std::string challenge_dir_;
  CtxPtr no_certificate_;  // where handshakes start when certificates_ is empty
  std::unordered_map<std::string, std::size_t> exact_;
  std::unordered_map<std::string, std::size_t> wildcard_;  // "*.shop.test" under "shop.test"
  std::shared_ptr<const ClientAuth> client_auth_;
};

// "Shop.Test." -> "shop.test"
std::string normalizeName(std::string_view name);

}  // namespace gw::proxy::tls
