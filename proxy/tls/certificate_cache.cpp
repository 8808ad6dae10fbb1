#include "proxy/tls/certificate_cache.hpp"

#include <sys/stat.h>

#include "proxy/tls/context.hpp"

namespace gw::proxy::tls {
namespace {

void appendStamp(std::string& stamp, const std::string& file) {
  struct stat st {};
  stamp += file;
  if (::stat(file.c_str(), &st) != 0) {
    stamp += "|-|";
    return;
  }
  stamp += '|' + std::to_string(st.st_ino) + '|' + std::to_string(st.st_size) + '|' +
           std::to_string(st.st_mtim.tv_sec) + '.' + std::to_string(st.st_mtim.tv_nsec) + '|';
}

}  // namespace

SharedCertificate CertificateCache::load(const CertificateFiles& files, bool session_tickets,
                                         std::string& problem) {
  std::string stamp = session_tickets ? "tickets|" : "no-tickets|";
  appendStamp(stamp, files.cert_file);
  appendStamp(stamp, files.key_file);
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
  entry.stamp = std::move(stamp);
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
