#include "proxy/filter/auth/consumer_directory.hpp"

#include <crypt.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/sha.h>

#include <algorithm>
#include <atomic>
#include <cstring>
#include <memory>

namespace gw::proxy::filter {
namespace {

std::optional<Digest> fromHex(std::string_view hex) {
  if (hex.size() != 64) {
    return std::nullopt;
  }
  Digest out{};
  for (std::size_t i = 0; i < out.size(); ++i) {
    unsigned value = 0;
    for (const char c : hex.substr(i * 2, 2)) {
      value <<= 4U;
      if (c >= '0' && c <= '9') {
        value |= static_cast<unsigned>(c - '0');
      } else if (c >= 'a' && c <= 'f') {
        value |= static_cast<unsigned>(c - 'a' + 10);
      } else {
        return std::nullopt;
      }
    }
    out[i] = static_cast<std::uint8_t>(value);
  }
  return out;
}

}  // namespace

// SHA256() and EVP_Digest() look the algorithm up (under a lock) and allocate a context on
// every call, which costs more than hashing a key; each thread keeps its own context instead.
Digest sha256(std::string_view data) {
  static EVP_MD* const kSha256 = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  struct Context {
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    Context() = default;
    Context(const Context&) = delete;
    Context& operator=(const Context&) = delete;
    ~Context() { EVP_MD_CTX_free(ctx); }
  };
  thread_local const Context kContext;
  Digest out{};
  unsigned int size = 0;
  if (kSha256 == nullptr || kContext.ctx == nullptr ||
      EVP_DigestInit_ex2(kContext.ctx, kSha256, nullptr) != 1 ||
      EVP_DigestUpdate(kContext.ctx, data.data(), data.size()) != 1 ||
      EVP_DigestFinal_ex(kContext.ctx, out.data(), &size) != 1) {
    SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(), out.data());
  }
  return out;
}

std::size_t DigestHash::operator()(const Digest& d) const noexcept {
  std::size_t h = 0;
  std::memcpy(&h, d.data(), sizeof h);  // already uniformly distributed
  return h;
}

ConsumerDirectory::ConsumerDirectory(const std::vector<core::Consumer>& consumers)
    : id_([] {
        static std::atomic<std::uint64_t> next{1};
        return next.fetch_add(1, std::memory_order_relaxed);
      }()) {
  for (std::size_t i = 0; i < consumers.size(); ++i) {
    const core::Consumer& c = consumers[i];
    const int index = static_cast<int>(i);
    names_.push_back(c.name);
    std::string groups;
    for (const std::string& g : c.groups) {
      groups += groups.empty() ? "" : ",";
      groups += g;
    }
    groups_.push_back(std::move(groups));
    group_lists_.push_back(c.groups);
    for (const core::ApiKey& key : c.api_keys) {
      if (auto digest = fromHex(key.sha256)) {
        keys_.emplace(*digest, index);
      }
    }
    for (const core::BasicUser& user : c.basic_auth) {
      users_.emplace(user.user, User{index, user.hash});
    }
    for (const std::string& subject : c.certificates) {
      subjects_.emplace(subject, index);
    }
    for (const core::JwtIdentity& id : c.jwt) {
      jwt_identities_.emplace(id.provider + '\x1f' + id.claim + '\x1f' + id.value, index);
      auto& claims = jwt_claims_[id.provider];
      if (std::find(claims.begin(), claims.end(), id.claim) == claims.end()) {
        claims.push_back(id.claim);
      }
    }
  }
}

int ConsumerDirectory::findKey(std::string_view key) const {
  const Digest digest = sha256(key);
  const auto it = keys_.find(digest);
  if (it == keys_.end() || CRYPTO_memcmp(it->first.data(), digest.data(), digest.size()) != 0) {
    return -1;
  }
  return it->second;
}

int ConsumerDirectory::checkPassword(std::string_view user, std::string_view password) const {
  const auto it = users_.find(std::string(user));
  if (it == users_.end()) {
    return -1;
  }
  // crypt_r's state is large (~32 KiB): on the heap, not on a worker's stack.
  auto data = std::make_unique<crypt_data>();
  const std::string phrase(password);
  const char* result = crypt_r(phrase.c_str(), it->second.hash.c_str(), data.get());
  const std::string& hash = it->second.hash;
  if (result == nullptr || result[0] == '*' || std::strlen(result) != hash.size() ||
      CRYPTO_memcmp(result, hash.data(), hash.size()) != 0) {
    return -1;
  }
  return it->second.consumer;
}

ConsumerDirectory::ThreadVerdicts& ConsumerDirectory::threadVerdicts() const {
  thread_local ThreadVerdicts per_thread;
  if (per_thread.owner != id_) {
    per_thread.owner = id_;
    per_thread.verdicts.clear();
  }
  return per_thread;
}

void ConsumerDirectory::keep(Verdicts& cache, const Digest& credential, const Verdict& verdict) {
  if (cache.size() >= kCacheMax && cache.find(credential) == cache.end()) {
    cache.clear();  // crude but bounded: the busy clients come straight back
  }
  cache[credential] = verdict;
}

std::optional<int> ConsumerDirectory::cachedVerdict(const Digest& credential) const {
  const auto now = std::chrono::steady_clock::now();
  Verdicts& local = threadVerdicts().verdicts;
  auto it = local.find(credential);
  if (it == local.end() || it->second.expires < now) {
    Verdict shared{};
    {
      const std::lock_guard lock(cache_mutex_);
      const auto found = cache_.find(credential);
      if (found == cache_.end() || found->second.expires < now) {
        return std::nullopt;
      }
      shared = found->second;
    }
    keep(local, credential, shared);
    it = local.find(credential);
  }
  // A client in use keeps its verdict: no wave of checks when its entry would have expired.
  // Each thread slides its own copy; another thread that has none finds the shared one, or
  // checks the password once more.
  if (it->second.consumer >= 0 && it->second.expires - now < kCacheTtl / 2) {
    it->second.expires = now + kCacheTtl;
  }
  return it->second.consumer;
}

void ConsumerDirectory::remember(const Digest& credential, int consumer) const {
  const auto expires = std::chrono::steady_clock::now() + (consumer >= 0 ? kCacheTtl : kRefusalTtl);
  const std::lock_guard lock(cache_mutex_);
  keep(cache_, credential, Verdict{consumer, expires});
}

int ConsumerDirectory::findJwt(const JwtClaims& claims) const {
  const auto names = jwt_claims_.find(claims.provider);
  if (names == jwt_claims_.end()) {
    return -1;
  }
  for (const std::string& claim : names->second) {
    const std::string value = claims.text(claim);
    if (value.empty()) {
      continue;
    }
    std::string key = claims.provider;
    key += '\x1f';
    key += claim;
    key += '\x1f';
    key += value;
    const auto it = jwt_identities_.find(key);
    if (it != jwt_identities_.end()) {
      return it->second;
    }
  }
  return -1;
}

int ConsumerDirectory::findCertificate(const std::vector<std::string>& identities) const {
  for (const std::string& identity : identities) {
    if (const auto it = subjects_.find(identity); it != subjects_.end()) {
      return it->second;
    }
  }
  return -1;
}

bool ConsumerDirectory::inGroup(int consumer, std::string_view group) const {
  if (consumer < 0) {
    return false;
  }
  const auto& groups = group_lists_[static_cast<std::size_t>(consumer)];
  return std::find(groups.begin(), groups.end(), group) != groups.end();
}

}  // namespace gw::proxy::filter
