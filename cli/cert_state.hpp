#pragma once
// What a certificate's files and renewal state say now, for gw cert list/get and gw status:
// valid, expiring (under a sixth of its life left; imported ones, under 14 days), expired, not
// issued, renewing (another process holds its renewal lock), or failed with the reason (broken
// files, or the last renewal failed while the old certificate still serves).

#include <filesystem>
#include <string>
#include <vector>

#include "cli/context.hpp"
#include "cli/output.hpp"
#include "core/acme/certificate.hpp"
#include "core/config/model.hpp"
#include "core/result.hpp"

namespace gw::cli {

std::filesystem::path certDir(const Context& ctx, const std::string& name);

struct CertState {
  std::string state;   // valid, expiring, expired, not issued, renewing, failed
  std::string reason;  // why, for "failed"
  long long not_after = 0;
  long long days_left = 0;
  std::vector<std::string> served_names;
  std::string renew_at;    // when the next renewal (or retry) is due, ISO 8601; "" if none
  std::string last_error;  // the last renewal's failure, while the old certificate serves
};

// `dir` is the certificate's folder (certDir).
CertState stateOf(const std::filesystem::path& dir, const core::Certificate& entry);

// The chain in `cert_file` and the key in `key_file`, checked to belong together; refusals
// name the file and say what is wrong ("K is not the key of C").
core::Result<acme::CertificateInfo> checkPair(const std::filesystem::path& cert_file,
                                              const std::filesystem::path& key_file);

// The document's certificates, then the automatic ones of tls.mode auto gateways
// (core/config/auto_tls.hpp), which gw cert list, get, renew and revoke show alike.
std::vector<core::Certificate> allCertificates(const core::Config& config);

std::string isoTime(long long seconds);
Json certJson(const core::Certificate& c, const CertState& state);
std::string stateText(const CertState& state);

}  // namespace gw::cli
