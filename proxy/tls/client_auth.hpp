#pragma once
// Client certificates on a gateway's https listeners (core::ClientCertificates, mTLS): the
// listeners ask for one (mode request) or refuse a handshake without one (require), and a
// certificate must chain to the gateway's CA file; one that does not fails the handshake.
// The settings go on each connection's SSL, not on the certificate's context, so they hold
// whichever certificate SNI picks and are not shared with other gateways.
//
// What a verified certificate says about its holder is read once per connection
// (peerIdentities) in the forms consumers[].certificates uses: "CN=NAME" for the subject's
// common name, "dns:NAME", "email:ADDRESS" and "uri:URI" for its subjectAltNames.

#include <openssl/ssl.h>

#include <memory>
#include <string>
#include <vector>

#include "core/config/model.hpp"

namespace gw::proxy::tls {

class ClientAuth {
 public:
  // Null, with `problem` saying why, when the CA file cannot be read or holds no certificate.
  static std::shared_ptr<const ClientAuth> build(const core::ClientCertificates& spec,
                                                 std::string& problem);
  ~ClientAuth();
  ClientAuth(const ClientAuth&) = delete;
  ClientAuth& operator=(const ClientAuth&) = delete;

  // Before the handshake: the verify mode, the trusted CAs, their names in the request, and
  // the session id context resumed sessions need.
  void apply(SSL* ssl) const;

 private:
  ClientAuth() = default;
  int mode_ = SSL_VERIFY_PEER;
  X509_STORE* store_ = nullptr;
  STACK_OF(X509_NAME) * names_ = nullptr;
};

// The verified peer certificate's identities; empty when there is none, or it did not verify.
std::vector<std::string> peerIdentities(SSL* ssl);

}  // namespace gw::proxy::tls
