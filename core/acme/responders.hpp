#pragma once
// Who answers challenges when gw orders a certificate for itself. The running gateway serves
// what these leave in the home's acme folder, so the CLI and the proxy's renewals need no
// listener of their own:
//
//   http-01      <acme_dir>/http-01/<token>: the key authorization, which every http listener
//                serves at /.well-known/acme-challenge/<token> (proxy/session/acme_challenge)
//   tls-alpn-01  <acme_dir>/tls-alpn-01/<domain>.pem: the challenge certificate and its key
//                (0600), which every https listener completes an acme-tls/1 handshake for
//                SNI <domain> with (proxy/tls/acme_tls_alpn)
//   dns-01       the user's hook publishes the TXT record (dns_hook.hpp)
//
// A failed `present` says so in one sentence that names the domain and the challenge.

#include <filesystem>
#include <memory>
#include <string>

#include "core/acme/challenge.hpp"
#include "core/result.hpp"

namespace gw::acme {

class HttpFileResponder final : public ChallengeResponder {
 public:
  explicit HttpFileResponder(std::filesystem::path dir) : dir_(std::move(dir)) {}
  core::Status present(const Challenge& challenge) override;
  void cleanUp(const Challenge& challenge) override;

 private:
  std::filesystem::path dir_;
};

class TlsAlpnFileResponder final : public ChallengeResponder {
 public:
  explicit TlsAlpnFileResponder(std::filesystem::path dir) : dir_(std::move(dir)) {}
  core::Status present(const Challenge& challenge) override;
  void cleanUp(const Challenge& challenge) override;

  // <dir>/<domain>.pem
  std::filesystem::path fileFor(const Challenge& challenge) const;

 private:
  std::filesystem::path dir_;
};

// The responder for `type`; `dns_hook` is the command dns-01 runs.
core::Result<std::unique_ptr<ChallengeResponder>> makeResponder(
    ChallengeType type, const std::filesystem::path& acme_dir, const std::string& dns_hook);

}  // namespace gw::acme
