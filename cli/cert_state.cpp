#include "cli/cert_state.hpp"

#include <chrono>
#include <ctime>

#include "core/acme/cert_files.hpp"
#include "core/acme/key.hpp"
#include "core/acme/renewal.hpp"
#include "core/config/auto_tls.hpp"
#include "core/store/home.hpp"

namespace gw::cli {
namespace {

constexpr long long kImportedNoticeDays = 14;

long long seconds(acme::SystemTime t) {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

// When the renewer will next act: the backoff's time after a failure, else 2/3 of the
// lifetime (the CA's ARI window, when it has one, is only known by asking it).
std::string renewAt(const core::Certificate& entry, const acme::CertificateInfo& leaf,
                    const acme::RenewalState& renewal) {
  if (entry.issuer == core::Issuer::kImported) {
    return "";
  }
  if (renewal.failures > 0 && renewal.next_attempt) {
    return isoTime(seconds(*renewal.next_attempt));
  }
  return isoTime(seconds(leaf.not_before + (leaf.not_after - leaf.not_before) * 2 / 3));
}

}  // namespace

std::filesystem::path certDir(const Context& ctx, const std::string& name) {
  return ctx.home().file("certs") / name;
}

core::Result<acme::CertificateInfo> checkPair(const std::filesystem::path& cert_file,
                                              const std::filesystem::path& key_file) {
  auto cert_pem = core::readFile(cert_file);
  if (!cert_pem) {
    return std::move(cert_pem).error();
  }
  auto chain = acme::parseCertificateChain(*cert_pem);
  if (!chain) {
    return core::makeError(
        core::ErrorKind::kValidation,
        cert_file.string() + ": not a PEM certificate chain (" + chain.error().message + ")");
  }
  auto key_pem = core::readFile(key_file);
  if (!key_pem) {
    return std::move(key_pem).error();
  }
  auto key = acme::PrivateKey::fromPem(*key_pem);
  if (!key) {
    return core::makeError(core::ErrorKind::kValidation,
                           key_file.string() + ": not a PEM private key");
  }
  if (!acme::certificateMatchesKey(*cert_pem, *key)) {
    return core::makeError(core::ErrorKind::kValidation,
                           key_file.string() + " is not the key of " + cert_file.string());
  }
  return chain->front();
}

CertState stateOf(const std::filesystem::path& dir, const core::Certificate& entry) {
  CertState out;
  const acme::RenewalState renewal = acme::readRenewalState(dir);
  std::error_code ec;
  if (!std::filesystem::exists(dir / "cert.pem", ec)) {
    out.state = "not issued";
    return out;
  }
  auto leaf = checkPair(dir / "cert.pem", dir / "key.pem");
  if (!leaf) {
    out.state = "failed";
    out.reason = leaf.error().message;
    return out;
  }
  const long long now = seconds(std::chrono::system_clock::now());
  out.not_after = seconds(leaf->not_after);
  out.days_left = (out.not_after - now) / 86400;
  out.served_names = leaf->dns_names;
  out.renew_at = renewAt(entry, *leaf, renewal);
  if (renewal.failures > 0) {
    out.last_error = renewal.last_error;
  }
  auto lock = acme::RenewalLock::tryAcquire(dir);
  if (lock && !lock->has_value()) {
    out.state = "renewing";
  } else if (out.not_after <= now) {
    out.state = "expired";
  } else if (renewal.failures > 0) {
    out.state = "failed";
    out.reason = "renewal: " + renewal.last_error + " (the current certificate still serves)";
  } else {
    // Expiring: one gw renews has less than a sixth of its life left, half of the third in
    // which renewal happens (15 days of a 90-day certificate, one of a 6-day one); one that
    // nobody renews (imported) under two weeks, time for a person to act.
    const long long lifetime = out.not_after - seconds(leaf->not_before);
    const bool expiring = entry.issuer == core::Issuer::kImported
                              ? out.days_left < kImportedNoticeDays
                              : (out.not_after - now) * 6 < lifetime;
    out.state = expiring ? "expiring" : "valid";
  }
  return out;
}

std::vector<core::Certificate> allCertificates(const core::Config& config) {
  std::vector<core::Certificate> out = config.certificates;
  for (core::Certificate& automatic : core::autoCertificates(config)) {
    out.push_back(std::move(automatic));
  }
  return out;
}

std::string isoTime(long long seconds) {
  if (seconds == 0) {
    return "";
  }
  const std::time_t t = seconds;
  std::tm parts{};
  gmtime_r(&t, &parts);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &parts);
  return text;
}

Json certJson(const core::Certificate& c, const CertState& state) {
  Json out;
  out["name"] = c.name;
  out["domains"] = c.domains;
  out["issuer"] = core::toString(c.issuer);
  out["gateway"] = c.gateway;
  out["state"] = state.state;
  if (!state.reason.empty()) {
    out["reason"] = state.reason;
  }
  if (state.not_after != 0) {
    out["notAfter"] = isoTime(state.not_after);
    out["daysLeft"] = state.days_left;
  }
  if (!state.renew_at.empty()) {
    out["renewAt"] = state.renew_at;
  }
  if (!state.last_error.empty()) {
    out["lastError"] = state.last_error;
  }
  out["renewedBy"] = c.issuer == core::Issuer::kImported ? "nobody (imported)" : "gw";
  return out;
}

std::string stateText(const CertState& state) {
  return state.reason.empty() ? state.state : state.state + ": " + state.reason;
}

}  // namespace gw::cli
