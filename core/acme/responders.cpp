#include "core/acme/responders.hpp"

#include "core/acme/key.hpp"

namespace gw::acme {

core::Status HttpFileResponder::present(const Challenge& challenge) {
  std::error_code ec;
  std::filesystem::create_directories(dir_, ec);
  return writeFileWithMode(dir_ / challenge.token, challenge.key_authorization, 0644);
}

void HttpFileResponder::cleanUp(const Challenge& challenge) {
  std::error_code ec;
  std::filesystem::remove(dir_ / challenge.token, ec);
}

core::Result<std::unique_ptr<ChallengeResponder>> makeResponder(
    ChallengeType type, const std::filesystem::path& acme_dir, const std::string& dns_hook) {
  static_cast<void>(dns_hook);
  if (type == ChallengeType::kHttp01) {
    return std::unique_ptr<ChallengeResponder>(
        std::make_unique<HttpFileResponder>(acme_dir / "http-01"));
  }
  return core::makeError(
      core::ErrorKind::kUsage,
      std::string(challengeTypeName(type)) + ": not answered by the gateway yet; use http-01");
}

}  // namespace gw::acme
