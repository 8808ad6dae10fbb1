#include "proxy/filter/auth/jwt_provider.hpp"

#include <ctime>

#include "proxy/observe/event_log.hpp"
#include "proxy/upstream/fetch.hpp"

namespace gw::proxy::filter {
namespace {

using SteadyClock = std::chrono::steady_clock;

jose::Policy policyOf(const core::JwtProvider& spec) {
  jose::Policy policy;
  policy.issuer = spec.issuer;
  policy.audiences = spec.audiences;
  for (const std::string& name : spec.algorithms) {
    if (const auto alg = jose::parseAlg(name)) {
      policy.algorithms.push_back(*alg);
    }
  }
  policy.clock_skew = spec.clock_skew.count();
  return policy;
}

Reason reasonOf(jose::Verdict verdict) {
  switch (verdict) {
    case jose::Verdict::kOk:
      return Reason::kNone;
    case jose::Verdict::kExpired:
    case jose::Verdict::kNotYetValid:
      return Reason::kAuthExpired;
    default:
      return Reason::kAuthInvalid;
  }
}

}  // namespace

JwtProviderState::JwtProviderState(const core::JwtProvider& spec, std::chrono::milliseconds kid_gap)
    : spec_(spec), policy_(policyOf(spec)), kid_gap_(kid_gap) {
  if (!spec_.keys.empty()) {
    auto parsed = jose::KeySet::parse(spec_.keys);
    if (parsed) {
      install(std::move(*parsed));
    } else {
      logEvent("jwt provider " + spec_.name + ": keys: " + parsed.error().message);
    }
    return;
  }
  fetch();  // before the snapshot that uses it serves
  refresher_ = std::thread([this] { refreshLoop(); });
}

JwtProviderState::~JwtProviderState() {
  {
    const std::lock_guard lock(refresh_mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (refresher_.joinable()) {
    refresher_.join();
  }
}

std::size_t JwtProviderState::keyCount() const {
  std::uint64_t generation = 0;
  const auto held = keys(generation);
  return held ? held->keys().size() : 0;
}

std::shared_ptr<const jose::KeySet> JwtProviderState::keys(std::uint64_t& generation) const {
  const std::lock_guard lock(keys_mutex_);
  generation = generation_;
  return keys_;
}

void JwtProviderState::install(jose::KeySet keys) {
  for (const jose::SkippedKey& skipped : keys.skipped()) {
    logEvent("jwt provider " + spec_.name + ": key " +
             (skipped.kid.empty() ? "#" + std::to_string(skipped.index) : skipped.kid) +
             " skipped: " + skipped.reason);
  }
  auto shared = std::make_shared<const jose::KeySet>(std::move(keys));
  const std::lock_guard lock(keys_mutex_);
  keys_ = std::move(shared);
  ++generation_;
}

bool JwtProviderState::fetch() {
  {
    const std::lock_guard lock(refresh_mutex_);
    last_fetch_ = SteadyClock::now();
  }
  auto body = fetchDocument(spec_.jwks_url, spec_.ca_file, kFetchTimeout);
  if (!body) {
    logEvent("jwt provider " + spec_.name + ": " + body.error().message +
             " (the last keys stay in use)");
    return false;
  }
  auto parsed = jose::KeySet::parse(*body);
  if (!parsed) {
    logEvent("jwt provider " + spec_.name + ": " + spec_.jwks_url + ": " + parsed.error().message +
             " (the last keys stay in use)");
    return false;
  }
  install(std::move(*parsed));
  return true;
}

void JwtProviderState::refreshLoop() {
  std::unique_lock lock(refresh_mutex_);
  while (!stopping_) {
    const auto due = last_fetch_ + spec_.jwks_refresh;
    wake_.wait_until(lock, due, [&] { return stopping_ || refetch_; });
    if (stopping_) {
      return;
    }
    const bool asked = refetch_;
    refetch_ = false;
    if (!asked && SteadyClock::now() < last_fetch_ + spec_.jwks_refresh) {
      continue;  // woken early for nothing
    }
    lock.unlock();
    fetch();
    lock.lock();
  }
}

void JwtProviderState::askForRefetch() {
  if (spec_.jwks_url.empty()) {
    return;
  }
  {
    const std::lock_guard lock(refresh_mutex_);
    if (SteadyClock::now() < last_fetch_ + kid_gap_) {
      return;
    }
    refetch_ = true;
    last_fetch_ = SteadyClock::now();  // the gap starts now, whatever the fetch does
  }
  wake_.notify_all();
}

std::optional<JwtProviderState::Outcome> JwtProviderState::cached(const std::string& token,
                                                                  std::uint64_t generation) {
  const std::lock_guard lock(cache_mutex_);
  const auto it = cache_.find(token);
  if (it == cache_.end()) {
    return std::nullopt;
  }
  if (it->second.generation != generation || it->second.until <= SteadyClock::now()) {
    cache_.erase(it);
    return std::nullopt;
  }
  return Outcome{Reason::kNone, it->second.claims, jose::Verdict::kOk};
}

void JwtProviderState::remember(const std::string& token, const Outcome& outcome,
                                std::uint64_t generation) {
  // Valid until exp (minus nothing: the skew already let it in) or a minute, whichever first.
  auto until = SteadyClock::now() + kCacheTtl;
  const auto exp = outcome.claims->claims.find("exp");
  if (exp != outcome.claims->claims.end() && exp->is_number()) {
    const auto left = exp->get<double>() + static_cast<double>(spec_.clock_skew.count()) -
                      static_cast<double>(std::time(nullptr));
    if (left < static_cast<double>(kCacheTtl.count())) {
      until = SteadyClock::now() +
              std::chrono::milliseconds(static_cast<std::int64_t>(std::max(0.0, left) * 1000));
    }
  }
  const std::lock_guard lock(cache_mutex_);
  if (cache_.size() >= kCacheMax) {
    cache_.clear();
  }
  cache_[token] = Cached{outcome.claims, until, generation};
}

JwtProviderState::Outcome JwtProviderState::verify(std::string_view token) {
  std::uint64_t generation = 0;
  const auto keys = this->keys(generation);
  const std::string text(token);
  if (auto hit = cached(text, generation)) {
    return *hit;
  }
  Outcome outcome;
  auto decoded = jose::decode(token, kMaxTokenBytes);
  if (!decoded) {
    return outcome;  // kMalformed, kAuthInvalid
  }
  static const jose::KeySet kNoKeys;
  outcome.verdict = jose::verify(*decoded, keys ? *keys : kNoKeys, policy_,
                                 static_cast<std::int64_t>(std::time(nullptr)));
  outcome.reason = reasonOf(outcome.verdict);
  if (outcome.verdict == jose::Verdict::kUnknownKey) {
    askForRefetch();
  }
  if (outcome.verdict != jose::Verdict::kOk) {
    return outcome;
  }
  auto claims = std::make_shared<JwtClaims>();
  claims->claims = std::move(decoded->claims);
  claims->provider = spec_.name;
  outcome.claims = std::move(claims);
  remember(text, outcome, generation);
  return outcome;
}

}  // namespace gw::proxy::filter
