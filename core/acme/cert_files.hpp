#pragma once
// A certificate's files in the home, shared by the CLI and the running gateway's renewals:
//
//   <dir>/cert.pem     the chain, leaf first (0644)
//   <dir>/key.pem      its private key (0600)
//   <dir>/state.json   how renewal went: failures in a row, the last error, when to try
//                      again (read by gw cert list and gw status)
//   <dir>/.lock        held while the certificate is being renewed
//
// Each file is replaced atomically. The key is written before the chain, and the gateway
// only swaps to a pair whose key matches its certificate, so a reader that comes between the
// two writes keeps serving the old pair.

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>

#include "core/result.hpp"

namespace gw::acme {

using SystemTime = std::chrono::system_clock::time_point;

core::Status writeCertificateFiles(const std::filesystem::path& dir, std::string_view chain_pem,
                                   std::string_view key_pem);

struct RenewalState {
  int failures = 0;        // failed renewals in a row; 0 after a success
  std::string last_error;  // the last failure's sentence
  std::optional<SystemTime> last_attempt;
  std::optional<SystemTime> next_attempt;  // after a failure: the backoff's time
  std::optional<SystemTime> renewed_at;    // the last success
  // The CA's renewal window (ARI) as last asked, and when to ask again.
  std::optional<SystemTime> ari_start;
  std::optional<SystemTime> ari_end;
  std::optional<SystemTime> ari_next_check;
  bool operator==(const RenewalState&) const = default;
};

// A missing or unreadable state file is a fresh state: renewal then simply starts over.
RenewalState readRenewalState(const std::filesystem::path& dir);
core::Status writeRenewalState(const std::filesystem::path& dir, const RenewalState& state);

// One renewal per certificate at a time, across processes (flock on <dir>/.lock). Released
// when destroyed, and by the kernel when the process dies.
class RenewalLock {
 public:
  // nullopt when another process holds it.
  static core::Result<std::optional<RenewalLock>> tryAcquire(const std::filesystem::path& dir);

  RenewalLock(RenewalLock&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  RenewalLock& operator=(RenewalLock&&) = delete;
  RenewalLock(const RenewalLock&) = delete;
  RenewalLock& operator=(const RenewalLock&) = delete;
  ~RenewalLock();

 private:
  explicit RenewalLock(int fd) : fd_(fd) {}
  int fd_ = -1;
};

}  // namespace gw::acme
