#pragma once
// Private keys for ACME accounts and certificates: ECDSA P-256 (the default), P-384, RSA 2048
// and 4096, generated with OpenSSL 3's EVP API and moved around as unencrypted PKCS#8 PEM.
// The caller stores a key; writeKeyFile writes it with mode 0600.

#include <openssl/types.h>

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace gw::acme {

enum class KeyType { kEcdsaP256, kEcdsaP384, kRsa2048, kRsa4096 };

// "ecdsa-p256", "ecdsa-p384", "rsa2048", "rsa4096": the names the CLI and meta.json use.
std::string_view keyTypeName(KeyType type);
core::Result<KeyType> parseKeyType(std::string_view name);

class PrivateKey {
 public:
  static core::Result<PrivateKey> generate(KeyType type);
  // Accepts EC keys on P-256 or P-384 and RSA keys of 2048 bits or more, PKCS#8 or the
  // traditional "EC/RSA PRIVATE KEY" form; refuses anything else with a sentence saying why.
  static core::Result<PrivateKey> fromPem(std::string_view pem);
  static core::Result<PrivateKey> load(const std::filesystem::path& path);

  PrivateKey(PrivateKey&& other) noexcept;
  PrivateKey& operator=(PrivateKey&& other) noexcept;
  PrivateKey(const PrivateKey&) = delete;
  PrivateKey& operator=(const PrivateKey&) = delete;
  ~PrivateKey();

  KeyType type() const { return type_; }
  std::string pem() const;           // PKCS#8, unencrypted
  std::string publicKeyPem() const;  // SubjectPublicKeyInfo
  // For core/acme's own OpenSSL calls; the key stays owned by this object.
  EVP_PKEY* native() const { return key_.get(); }

 private:
  struct Free {
    void operator()(EVP_PKEY* key) const;
  };
  PrivateKey(EVP_PKEY* key, KeyType type) : key_(key), type_(type) {}

  std::unique_ptr<EVP_PKEY, Free> key_;
  KeyType type_ = KeyType::kEcdsaP256;
};

// Writes `pem` to `path` atomically (temp file, fsync, rename) with mode 0600, creating the
// folder (0700) when missing: private keys are never readable by others, not even briefly.
core::Status writeKeyFile(const std::filesystem::path& path, std::string_view pem);

// Writes any file atomically with `mode` (temp file in the same folder, fsync, rename).
core::Status writeFileWithMode(const std::filesystem::path& path, std::string_view data,
                               unsigned mode);

}  // namespace gw::acme
