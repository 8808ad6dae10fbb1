#include "proxy/tls/certificate_cache.hpp"

#include "core/store/home.hpp"
#include "proxy/tls/context.hpp"

namespace gw::proxy::tls {
SharedCertificate CertificateCache::load(const CertificateFiles& files, bool session_tickets,
                                         std::string& problem) {
  const std::string stamp = std::string(session_tickets ? "tickets|" : "no-tickets|") +
                            files.cert_file + '|' + core::fileStamp(files.cert_file) + '|' +
                            files.key_file + '|' + core::fileStamp(files.key_file);
  Entry& entry = entries_[files.name];
  entry.used = true;
  if (entry.loaded && entry.stamp == stamp) {
    return entry.loaded;
  }
  auto loaded = loadCertificate(files, problem);
  if (!loaded) {
    if (entry.loaded) {
      problem += "; still serving the certificate loaded before";
    }
    return entry.loaded;  // the earlier one, if any; its stamp stays, so the files are retried
  }
  ServerTls::prepare(loaded->ctx.get(), session_tickets);
  entry.stamp = stamp;
  entry.loaded = std::make_shared<const LoadedCertificate>(std::move(*loaded));
  return entry.loaded;
}

void CertificateCache::sweep() {
  std::erase_if(entries_, [](const auto& item) { return !item.second.used; });
  for (auto& [name, entry] : entries_) {
    entry.used = false;
  }
}

}  // namespace gw::proxy::tls
