#include "cli/cert_store.hpp"

#include <cstdlib>

#include "cli/cert_state.hpp"
#include "cli/mutate.hpp"
#include "core/acme/cert_files.hpp"
#include "core/store/home.hpp"

namespace gw::cli {

std::string eabHmacKey(const std::string& flag_value) {
  if (!flag_value.empty()) {
    return flag_value;
  }
  const char* env = std::getenv("GW_EAB_HMAC_KEY");
  return env == nullptr ? std::string() : std::string(env);
}

core::Status storeCertificate(const Context& ctx, const core::Certificate& entry,
                              const std::string& chain_pem, const std::string& key_pem,
                              const std::string& verb) {
  const auto dir = certDir(ctx, entry.name);
  const auto old_cert = core::readFile(dir / "cert.pem");
  const auto old_key = core::readFile(dir / "key.pem");
  if (auto written = acme::writeCertificateFiles(dir, chain_pem, key_pem); !written) {
    return written;
  }
  auto outcome = applyChange(ctx, {"certificate", entry.name}, verb, [&](core::Config& c) {
    if (!entry.gateway.empty() && c.findGateway(entry.gateway) == nullptr) {
      return core::Status(notFound("gateway", entry.gateway));
    }
    std::erase_if(c.certificates, [&](const core::Certificate& x) { return x.name == entry.name; });
    c.certificates.push_back(entry);
    return core::Status(core::Ok{});
  });
  if (!outcome) {
    if (old_cert && old_key) {  // best effort: the refusal is what the user hears about
      static_cast<void>(acme::writeCertificateFiles(dir, *old_cert, *old_key));
    } else {
      std::error_code ec;
      std::filesystem::remove_all(dir, ec);
    }
    return std::move(outcome).error();
  }
  // A new certificate starts its renewal history afresh.
  static_cast<void>(acme::writeRenewalState(dir, {}));
  if (!outcome->changed) {  // the same entry, new files: nothing else would reload the proxy
    return reloadRunningProxy(ctx, outcome->revision);
  }
  return core::Ok{};
}

}  // namespace gw::cli
