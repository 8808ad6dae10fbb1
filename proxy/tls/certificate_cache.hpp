#pragma once
// The certificates' contexts, kept from one snapshot to the next by certificate name:
//   - one whose files have not changed (same inode, size and modification time of both) is
//     not read again, and the old and new snapshots share its context;
//   - one whose new files are broken (a key that does not match the chain, a half-written or
//     truncated file, a key removed by hand) keeps serving the context loaded before, and
//     the problem says so; gw status shows it.
// Used by the thread that builds snapshots only.

#include <memory>
#include <string>
#include <unordered_map>

#include "proxy/tls/server_tls.hpp"

namespace gw::proxy::tls {

class CertificateCache {
 public:
  // The context for `files`; null (and why in `problem`) when they cannot be loaded and no
  // earlier context of that name is kept. `problem` is also set when an earlier one is
  // served instead of the broken files.
  SharedCertificate load(const CertificateFiles& files, bool session_tickets, std::string& problem);
  // Forgets what no load asked for since the last sweep (certificates deleted from the
  // document), after a snapshot was published.
  void sweep();
  std::size_t size() const { return entries_.size(); }

 private:
  struct Entry {
    std::string stamp;  // files, inodes, sizes, times and settings the context was made from
    SharedCertificate loaded;
    bool used = false;
  };
  std::unordered_map<std::string, Entry> entries_;
};

}  // namespace gw::proxy::tls
