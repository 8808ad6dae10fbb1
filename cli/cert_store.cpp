#include "cli/cert_store.hpp"

#include "cli/mutate.hpp"
#include "core/store/home.hpp"

namespace gw::cli {

std::filesystem::path certDir(const Context& ctx, const std::string& name) {
  return ctx.home().file("certs") / name;
}

core::Status storeCertificate(const Context& ctx, const StoredCertificate& cert,
                              const std::string& verb) {
  const auto dir = certDir(ctx, cert.name);
  const auto old_cert = core::readFile(dir / "cert.pem");
  const auto old_key = core::readFile(dir / "key.pem");
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  std::filesystem::permissions(dir, std::filesystem::perms::owner_all, ec);
  if (auto written = core::writeFileAtomic(dir / "key.pem", cert.key_pem, 0600); !written) {
    return written;
  }
  if (auto written = core::writeFileAtomic(dir / "cert.pem", cert.chain_pem, 0644); !written) {
    return written;
  }
  auto outcome = applyChange(ctx, quoted("certificate", cert.name), verb, [&](core::Config& c) {
    if (!cert.gateway.empty() && c.findGateway(cert.gateway) == nullptr) {
      return core::Status(notFound("gateway", cert.gateway));
    }
    std::erase_if(c.certificates, [&](const core::Certificate& x) { return x.name == cert.name; });
    core::Certificate entry;
    entry.name = cert.name;
    entry.domains = cert.domains;
    entry.issuer = cert.issuer;
    entry.gateway = cert.gateway;
    c.certificates.push_back(entry);
    return core::Status(core::Ok{});
  });
  if (!outcome) {
    if (old_cert && old_key) {  // best effort: the refusal is what the user hears about
      static_cast<void>(core::writeFileAtomic(dir / "key.pem", *old_key, 0600));
      static_cast<void>(core::writeFileAtomic(dir / "cert.pem", *old_cert, 0644));
    } else {
      std::filesystem::remove_all(dir, ec);
    }
    return std::move(outcome).error();
  }
  return core::Ok{};
}

}  // namespace gw::cli
