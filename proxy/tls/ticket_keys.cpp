#include "proxy/tls/ticket_keys.hpp"

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <array>
#include <cstring>
#include <deque>
#include <mutex>
#include <optional>

namespace gw::proxy::tls {
namespace {

using Clock = std::chrono::steady_clock;

struct Key {
  std::array<unsigned char, 16> name{};
  std::array<unsigned char, 32> aes{};
  std::array<unsigned char, 32> hmac{};
  Clock::time_point made;
};

class KeyRing {
 public:
  // The key new tickets are sealed with (a new one when the current is due).
  std::optional<Key> current() {
    const std::lock_guard lock(mutex_);
    const auto now = Clock::now();
    if (keys_.empty() || now - keys_.front().made >= kRotateEvery) {
      Key fresh;
      if (RAND_bytes(fresh.name.data(), fresh.name.size()) != 1 ||
          RAND_bytes(fresh.aes.data(), fresh.aes.size()) != 1 ||
          RAND_bytes(fresh.hmac.data(), fresh.hmac.size()) != 1) {
        return std::nullopt;
      }
      fresh.made = now;
      keys_.push_front(fresh);
      while (keys_.size() > static_cast<std::size_t>(kKept)) {
        keys_.pop_back();
      }
    }
    return keys_.front();
  }

  // The key named `name`, and whether it is the newest.
  std::optional<std::pair<Key, bool>> find(const unsigned char* name) {
    const std::lock_guard lock(mutex_);
    for (std::size_t i = 0; i < keys_.size(); ++i) {
      if (std::memcmp(keys_[i].name.data(), name, keys_[i].name.size()) == 0) {
        return std::pair{keys_[i], i == 0 && Clock::now() - keys_[i].made < kRotateEvery};
      }
    }
    return std::nullopt;
  }

 private:
  std::mutex mutex_;  // taken once per full handshake or resumption, never per request
  std::deque<Key> keys_;
};

KeyRing& ring() {
  static KeyRing keys;
  return keys;
}

bool setHmacKey(EVP_MAC_CTX* hctx, Key& key) {
  char digest[] = "SHA256";
  const OSSL_PARAM params[] = {
      OSSL_PARAM_construct_octet_string(OSSL_MAC_PARAM_KEY, key.hmac.data(), key.hmac.size()),
      OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
      OSSL_PARAM_construct_end()};
  return EVP_MAC_CTX_set_params(hctx, params) == 1;
}

// OpenSSL's contract: 1 = done, 2 = decrypted but please issue a new ticket, 0 = no such key
// (a full handshake follows), -1 = failure.
int onTicketKey(SSL* /*ssl*/, unsigned char* key_name, unsigned char* iv, EVP_CIPHER_CTX* cctx,
                EVP_MAC_CTX* hctx, int encrypt) {
  if (encrypt == 1) {
    std::optional<Key> key = ring().current();
    if (!key || RAND_bytes(iv, EVP_MAX_IV_LENGTH) != 1) {
      return -1;
    }
    std::memcpy(key_name, key->name.data(), key->name.size());
    if (EVP_EncryptInit_ex(cctx, EVP_aes_256_cbc(), nullptr, key->aes.data(), iv) != 1 ||
        !setHmacKey(hctx, *key)) {
      return -1;
    }
    return 1;
  }
  auto found = ring().find(key_name);
  if (!found) {
    return 0;
  }
  auto& [key, newest] = *found;
  if (!setHmacKey(hctx, key) ||
      EVP_DecryptInit_ex(cctx, EVP_aes_256_cbc(), nullptr, key.aes.data(), iv) != 1) {
    return -1;
  }
  return newest ? 1 : 2;
}

}  // namespace

void useTicketKeys(SSL_CTX* ctx) { SSL_CTX_set_tlsext_ticket_key_evp_cb(ctx, onTicketKey); }

}  // namespace gw::proxy::tls
