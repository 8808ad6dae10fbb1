#pragma once
// One JWT provider at run time (core::JwtProvider): its policy, its keys and the tokens it
// has already verified. Filter state: a reload that keeps the provider's spec keeps it, its
// keys and its cache.
//
// Keys are inline, or come from the provider's JWKS URL (upstream/fetch.hpp): fetched once
// when the state is made, before the snapshot that uses it serves, then by a background
// thread at every jwksRefresh, and again when a token names a kid the keys lack (at most
// once per 30 s, so a flood of made-up kids costs one fetch). A failed fetch keeps the last
// good keys. Workers read the current keys under a short lock.
//
// Verifying ES256 costs tens of microseconds, more than proxying a small request; a client
// sends the same token until it expires, so a verified token is remembered (its claims and
// when it stops being valid) for at most a minute, and never past its exp or beyond a change
// of keys.

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>

#include "core/config/model.hpp"
#include "core/jose/jwt.hpp"
#include "proxy/filter/auth/jwt_claims.hpp"
#include "proxy/http/errors.hpp"

namespace gw::proxy::filter {

class JwtProviderState {
 public:
  static constexpr std::size_t kMaxTokenBytes = 8 * 1024;
  static constexpr auto kKidRefetchGap = std::chrono::seconds(30);
  static constexpr auto kFetchTimeout = std::chrono::seconds(5);
  static constexpr auto kCacheTtl = std::chrono::seconds(60);
  static constexpr std::size_t kCacheMax = 10'000;

  // `kid_gap`: the least time between two fetches asked for by unknown kids (tests shorten it).
  explicit JwtProviderState(const core::JwtProvider& spec,
                            std::chrono::milliseconds kid_gap = kKidRefetchGap);
  ~JwtProviderState();
  JwtProviderState(const JwtProviderState&) = delete;
  JwtProviderState& operator=(const JwtProviderState&) = delete;

  // The verdict on `token` (the compact form, without "Bearer "): kNone with its claims,
  // kAuthExpired for a token past exp (or not yet valid), kAuthInvalid for everything else.
  struct Outcome {
    Reason reason = Reason::kAuthInvalid;
    std::shared_ptr<const JwtClaims> claims;
    jose::Verdict verdict = jose::Verdict::kMalformed;
  };
  Outcome verify(std::string_view token);

  const core::JwtProvider& spec() const { return spec_; }
  // How many keys are held now (for tests and logs).
  std::size_t keyCount() const;

 private:
  struct Cached {
    std::shared_ptr<const JwtClaims> claims;
    std::chrono::steady_clock::time_point until;
    std::uint64_t generation;
  };

  std::shared_ptr<const jose::KeySet> keys(std::uint64_t& generation) const;
  void install(jose::KeySet keys);
  bool fetch();  // the URL's keys installed: true; a failure logged, old keys kept: false
  void refreshLoop();
  void askForRefetch();
  std::optional<Outcome> cached(const std::string& token, std::uint64_t generation);
  void remember(const std::string& token, const Outcome& outcome, std::uint64_t generation);

  core::JwtProvider spec_;
  jose::Policy policy_;
  std::chrono::milliseconds kid_gap_;

  mutable std::mutex keys_mutex_;
  std::shared_ptr<const jose::KeySet> keys_;
  std::uint64_t generation_ = 0;

  std::mutex cache_mutex_;
  std::unordered_map<std::string, Cached> cache_;

  std::mutex refresh_mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  bool refetch_ = false;
  std::chrono::steady_clock::time_point last_fetch_{};
  std::thread refresher_;
};

}  // namespace gw::proxy::filter
