#pragma once
// The consumers of one document, indexed for the request path: API keys by the SHA-256 of
// the key, basic-auth users by name, with a short-lived cache of checked passwords. Built
// once per document (it is filter state: a reload that leaves consumers[] alone keeps it,
// and its cache) and shared read-only by every worker. Verdicts live in a shared cache (with
// its own lock, written by the threads that run the checks) and in a small cache per thread
// in front of it, so a hit takes no lock and touches no memory another worker writes.
//
// API keys: the SHA-256 of what the client sent finds the entry, and the stored digest is
// then compared with CRYPTO_memcmp, so no early-exit comparison of secret bytes happens.
// Passwords: a crypt(3) check costs what the hash's cost factor says (bcrypt cost 10:
// ~50 ms); a verdict is remembered under the SHA-256 of the whole credential (no password is
// kept): an accepted one for kCacheTtl after its last use, so a busy client pays the check
// once, a refused one for kRefusalTtl, so guessing costs the gateway one check per guess.

#include <array>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/config/model.hpp"
#include "proxy/filter/auth/jwt_claims.hpp"

namespace gw::proxy::filter {

using Digest = std::array<std::uint8_t, 32>;

Digest sha256(std::string_view data);

struct DigestHash {
  std::size_t operator()(const Digest& d) const noexcept;
};

class ConsumerDirectory {
 public:
  static constexpr auto kCacheTtl = std::chrono::minutes(10);
  static constexpr auto kRefusalTtl = std::chrono::seconds(60);
  static constexpr std::size_t kCacheMax = 10'000;

  explicit ConsumerDirectory(const std::vector<core::Consumer>& consumers);

  // The index of the consumer holding API key `key` in config.consumers, or -1.
  int findKey(std::string_view key) const;

  // Checks `password` against user `user`'s hash: the consumer's index, or -1. Slow (crypt);
  // callers look in the cache first.
  int checkPassword(std::string_view user, std::string_view password) const;
  // A remembered verdict for the credential with digest `credential`: an index, -1 for a
  // refusal, nothing when not (or no longer) known.
  std::optional<int> cachedVerdict(const Digest& credential) const;
  void remember(const Digest& credential, int consumer) const;

  const std::string& name(int consumer) const { return names_[static_cast<std::size_t>(consumer)]; }
  // The consumer's groups, comma-separated (the x-gw-consumer-groups value).
  const std::string& groups(int consumer) const {
    return groups_[static_cast<std::size_t>(consumer)];
  }
  bool inGroup(int consumer, std::string_view group) const;
  // The consumer a verified token of provider `claims.provider` names (consumers[].jwt), or -1.
  int findJwt(const JwtClaims& claims) const;
  // The consumer one of a client certificate's identities names (consumers[].certificates),
  // or -1.
  int findCertificate(const std::vector<std::string>& identities) const;

 private:
  struct User {
    int consumer;
    std::string hash;
  };
  struct Verdict {
    int consumer;
    std::chrono::steady_clock::time_point expires;
  };
  using Verdicts = std::unordered_map<Digest, Verdict, DigestHash>;
  struct ThreadVerdicts {
    std::uint64_t owner = 0;
    Verdicts verdicts;
  };
  // This thread's cache, emptied when it last served another directory.
  ThreadVerdicts& threadVerdicts() const;
  static void keep(Verdicts& cache, const Digest& credential, const Verdict& verdict);

  std::vector<std::string> names_;
  std::vector<std::string> groups_;
  std::vector<std::vector<std::string>> group_lists_;
  std::unordered_map<Digest, int, DigestHash> keys_;
  std::unordered_map<std::string, User> users_;
  std::unordered_map<std::string, int> subjects_;
  // provider \x1f claim \x1f value -> consumer; and the claims each provider's identities use.
  std::unordered_map<std::string, int> jwt_identities_;
  std::unordered_map<std::string, std::vector<std::string>> jwt_claims_;

  const std::uint64_t id_;  // tells this directory's per-thread cache from an older one's
  mutable std::mutex cache_mutex_;
  mutable Verdicts cache_;
};

}  // namespace gw::proxy::filter
