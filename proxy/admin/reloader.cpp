#include "proxy/admin/reloader.hpp"

#include <utility>

namespace gw::proxy {

AdminReloader::AdminReloader(std::string address, std::string token)
    : client_(std::move(address), std::move(token)) {}

core::Result<std::uint64_t> AdminReloader::reload(std::uint64_t revision) {
  const std::string rev = "revision " + std::to_string(revision);
  auto reply = client_.reload();
  if (!reply) {
    return std::move(reply).error().context("the proxy did not answer the reload of " + rev);
  }
  if (reply->refusal) {
    return std::move(*reply->refusal).context("the proxy refused " + rev);
  }
  if (!reply->served) {
    return core::makeError(core::ErrorKind::kRuntime,
                           "unexpected answer to the reload of " + rev + ": " + reply->body);
  }
  return *reply->served;
}

}  // namespace gw::proxy
