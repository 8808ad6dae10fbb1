#include "core/acme/responders.hpp"

#include "core/acme/dns_hook.hpp"
#include "core/acme/key.hpp"

namespace gw::acme {
namespace {

core::Status notInPlace(core::Status written, const Challenge& challenge) {
  if (written) {
    return written;
  }
  return std::move(written).error().context(challenge.domain + ": " +
                                            std::string(challengeLabel(challenge.type)) +
                                            ": could not put the answer in place");
}

}  // namespace

core::Status HttpFileResponder::present(const Challenge& challenge) {
  return notInPlace(writeFileWithMode(dir_ / challenge.token, challenge.key_authorization, 0644),
                    challenge);
}

void HttpFileResponder::cleanUp(const Challenge& challenge) {
  std::error_code ec;
  std::filesystem::remove(dir_ / challenge.token, ec);
}

std::filesystem::path TlsAlpnFileResponder::fileFor(const Challenge& challenge) const {
  return dir_ / (challenge.domain + ".pem");
}

// The certificate and its key in one file, so the proxy never sees one without the other
// (the write is atomic); 0600 for the key.
core::Status TlsAlpnFileResponder::present(const Challenge& challenge) {
  return notInPlace(
      writeFileWithMode(fileFor(challenge),
                        challenge.tls_alpn_cert_pem + challenge.tls_alpn_key_pem, 0600),
      challenge);
}

void TlsAlpnFileResponder::cleanUp(const Challenge& challenge) {
  std::error_code ec;
  std::filesystem::remove(fileFor(challenge), ec);
}

core::Result<std::unique_ptr<ChallengeResponder>> makeResponder(
    ChallengeType type, const std::filesystem::path& acme_dir, const std::string& dns_hook) {
  switch (type) {
    case ChallengeType::kHttp01:
      return std::unique_ptr<ChallengeResponder>(
          std::make_unique<HttpFileResponder>(acme_dir / "http-01"));
    case ChallengeType::kTlsAlpn01:
      return std::unique_ptr<ChallengeResponder>(
          std::make_unique<TlsAlpnFileResponder>(acme_dir / "tls-alpn-01"));
    case ChallengeType::kDns01:
      if (dns_hook.empty()) {
        return core::makeError(core::ErrorKind::kUsage,
                               "dns-01 needs a hook that publishes the TXT record (dnsHook)");
      }
      return std::unique_ptr<ChallengeResponder>(std::make_unique<DnsHookResponder>(dns_hook));
  }
  return core::makeError(core::ErrorKind::kUsage, "unknown challenge type");
}

}  // namespace gw::acme
