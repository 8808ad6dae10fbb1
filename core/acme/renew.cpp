#include "core/acme/renew.hpp"

#include <ctime>
#include <functional>
#include <optional>

#include "core/store/home.hpp"

namespace gw::acme {
namespace {

using Result = RenewReport::Result;
using std::chrono::hours;
using std::chrono::minutes;

constexpr auto kAriRecheck = hours(6);     // the CA's window is asked about this often
constexpr auto kNoAriRecheck = hours(24);  // ... and a CA without ARI, once a day
constexpr auto kLockedRecheck = std::chrono::seconds(30);

std::string iso(SystemTime t) {
  const std::time_t seconds = std::chrono::system_clock::to_time_t(t);
  std::tm parts{};
  gmtime_r(&seconds, &parts);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &parts);
  return text;
}

// Asks the CA for its renewal window when the last answer has gone stale.
void refreshWindow(const IssuerHome& home, const core::Certificate& entry,
                   const std::string& chain_pem, SystemTime now, RenewalState& state) {
  if (!core::isAcme(entry.issuer) || (state.ari_next_check && now < *state.ari_next_check)) {
    return;
  }
  auto window = renewalWindow(home, entry, chain_pem);
  if (!window) {
    state.ari_next_check = now + kAriRecheck;
    return;
  }
  if (!*window) {
    state.ari_start.reset();
    state.ari_end.reset();
    state.ari_next_check = now + kNoAriRecheck;
    return;
  }
  state.ari_start = (*window)->start;
  state.ari_end = (*window)->end;
  state.ari_next_check = (*window)->retry_after.value_or(now + kAriRecheck);
}

// When `leaf` is due: two thirds of its life, or a point of the CA's window that stays the
// same for the same certificate (seeded by its serial), so every pass agrees.
SystemTime dueTime(const CertificateInfo& leaf, const RenewalState& state) {
  std::optional<RenewalWindow> window;
  if (state.ari_start && state.ari_end) {
    window = RenewalWindow{*state.ari_start, *state.ari_end, {}, {}};
  }
  std::mt19937_64 same_point(std::hash<std::string>{}(leaf.serial_hex));
  return renewalTime(leaf.not_before, leaf.not_after, window, same_point);
}

std::optional<CertificateInfo> currentLeaf(const std::string& chain_pem) {
  if (chain_pem.empty()) {
    return std::nullopt;
  }
  auto chain = parseCertificateChain(chain_pem);
  if (!chain) {
    return std::nullopt;
  }
  return chain->front();
}

RenewReport failed(const std::filesystem::path& dir, RenewalState& state, std::string reason,
                   SystemTime now, std::mt19937_64& random) {
  state.failures += 1;
  state.last_error = std::move(reason);
  state.next_attempt = nextAttempt(now, state.failures, std::nullopt, random);
  static_cast<void>(writeRenewalState(dir, state));
  return {Result::kFailed,
          state.last_error + "; the current certificate (if any) still serves; next attempt at " +
              iso(*state.next_attempt),
          *state.next_attempt};
}

// Why the certificate is not to be renewed now (a backoff, or not due yet), or nullopt.
std::optional<RenewReport> notDue(const IssuerHome& home, const std::filesystem::path& dir,
                                  const core::Certificate& entry, const std::string& chain_pem,
                                  const std::optional<CertificateInfo>& leaf, SystemTime now,
                                  RenewalState& state) {
  if (state.failures > 0 && state.next_attempt && now < *state.next_attempt) {
    return RenewReport{Result::kNotDue,
                       "waiting until " + iso(*state.next_attempt) + " after: " + state.last_error,
                       *state.next_attempt};
  }
  if (leaf) {
    const RenewalState before = state;
    refreshWindow(home, entry, chain_pem, now, state);
    if (!(state == before)) {
      static_cast<void>(writeRenewalState(dir, state));
    }
    const SystemTime due = dueTime(*leaf, state);
    if (now < due) {
      SystemTime next = due;
      if (state.ari_next_check && *state.ari_next_check < next) {
        next = *state.ari_next_check;
      }
      return RenewReport{Result::kNotDue, "not due until " + iso(due), next};
    }
  }
  return std::nullopt;
}

}  // namespace

SystemTime nextCaWork(const std::filesystem::path& dir, const core::Certificate& entry,
                      SystemTime now) {
  if (entry.issuer == core::Issuer::kImported) {
    return now + kNoAriRecheck;
  }
  const RenewalState state = readRenewalState(dir);
  if (state.failures > 0 && state.next_attempt && now < *state.next_attempt) {
    return *state.next_attempt;
  }
  auto read = core::readFile(dir / "cert.pem");
  const auto leaf = currentLeaf(read ? *read : std::string());
  if (!leaf ||
      (core::isAcme(entry.issuer) && (!state.ari_next_check || *state.ari_next_check <= now))) {
    return now;
  }
  SystemTime next = dueTime(*leaf, state);
  if (core::isAcme(entry.issuer) && *state.ari_next_check < next) {
    next = *state.ari_next_check;
  }
  return next;
}

RenewReport renewIfDue(const IssuerHome& home, const std::filesystem::path& dir,
                       const core::Certificate& entry, const RenewRequest& request,
                       std::mt19937_64& random) {
  const SystemTime now = request.now;
  if (entry.issuer == core::Issuer::kImported) {
    return {Result::kSkipped, "imported, so renewed by nobody: import a new one when it expires",
            now + kNoAriRecheck};
  }
  // Whether it is due is decided without the lock, so that looking (every pass of every
  // running gateway) never shows as "renewing" nor blocks a renewal.
  RenewalState state = readRenewalState(dir);
  auto read = core::readFile(dir / "cert.pem");
  std::string chain_pem = read ? std::move(*read) : std::string();
  const auto leaf = currentLeaf(chain_pem);
  if (!request.force) {
    if (auto waiting = notDue(home, dir, entry, chain_pem, leaf, now, state)) {
      return *waiting;
    }
  }
  auto lock = RenewalLock::tryAcquire(dir);
  if (!lock) {
    return {Result::kFailed, lock.error().message, now + minutes(1)};
  }
  if (!lock->has_value()) {
    return {Result::kBusy, "being renewed by another gw process", now + kLockedRecheck};
  }
  // Another process may have renewed it between the look and the lock.
  read = core::readFile(dir / "cert.pem");
  if (!request.force && read && *read != chain_pem) {
    return {Result::kNotDue, "just renewed by another gw process", now + minutes(1)};
  }
  state = readRenewalState(dir);
  state.last_attempt = now;
  ObtainOptions options;
  options.previous_chain_pem = chain_pem;
  options.deadline = request.deadline;
  auto issued = obtain(home, entry, options);
  if (!issued) {
    return failed(dir, state, issued.error().message, now, random);
  }
  if (auto written = writeCertificateFiles(dir, issued->chain_pem, issued->key_pem); !written) {
    return failed(dir, state, written.error().message, now, random);
  }
  RenewalState fresh;
  fresh.renewed_at = now;
  fresh.last_attempt = now;
  static_cast<void>(writeRenewalState(dir, fresh));
  const auto renewed = currentLeaf(issued->chain_pem);
  const SystemTime next = renewed ? dueTime(*renewed, fresh) : now + hours(1);
  return {Result::kRenewed,
          std::string(leaf ? "renewed" : "issued") + "; valid until " + iso(issued->not_after),
          next};
}

}  // namespace gw::acme
