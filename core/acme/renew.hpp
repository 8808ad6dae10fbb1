#pragma once
// One certificate's renewal, shared by `gw cert renew` and the running gateway's renewer:
// take its lock, decide whether it is due (renewal.hpp: two thirds of the lifetime, the CA's
// ARI window, the backoff after failures), obtain a new one the way its entry says, and write
// the files and the renewal state. A failure leaves the old files serving and records the
// reason and the next attempt in state.json.

#include <filesystem>
#include <random>
#include <string>

#include "core/acme/cert_files.hpp"
#include "core/acme/obtain.hpp"
#include "core/config/model.hpp"

namespace gw::acme {

struct RenewRequest {
  SystemTime now;
  bool force = false;  // renew even when not due, and despite a backoff
  std::chrono::milliseconds deadline = std::chrono::seconds(300);
};

struct RenewReport {
  enum class Result { kRenewed, kNotDue, kBusy, kSkipped, kFailed };
  Result result = Result::kNotDue;
  std::string message;    // one sentence for people: what happened, or why not
  SystemTime next_check;  // when this certificate next needs looking at
};

// When renewIfDue next has something to ask of a CA for this certificate (issue it, renew
// it, or ask for its renewal window), read from its files alone: `now` means now. Imported
// certificates never do.
SystemTime nextCaWork(const std::filesystem::path& dir, const core::Certificate& entry,
                      SystemTime now);

// `dir` is the certificate's folder (<home>/certs/<name>).
RenewReport renewIfDue(const IssuerHome& home, const std::filesystem::path& dir,
                       const core::Certificate& entry, const RenewRequest& request,
                       std::mt19937_64& random);

}  // namespace gw::acme
