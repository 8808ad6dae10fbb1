#include "core/acme/key.hpp"

#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <array>
#include <system_error>

#include "core/acme/ossl.hpp"
#include "core/store/home.hpp"

namespace gw::acme {

namespace {

using core::ErrorKind;
using core::makeError;

struct KeyName {
  KeyType type;
  std::string_view name;
};
constexpr std::array<KeyName, 4> kKeyNames{{{KeyType::kEcdsaP256, "ecdsa-p256"},
                                            {KeyType::kEcdsaP384, "ecdsa-p384"},
                                            {KeyType::kRsa2048, "rsa2048"},
                                            {KeyType::kRsa4096, "rsa4096"}}};

// What kind of key `key` is, or why gw will not use it.
core::Result<KeyType> classify(EVP_PKEY* key) {
  if (EVP_PKEY_is_a(key, "EC") == 1) {
    std::array<char, 64> group{};
    std::size_t size = 0;
    if (EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME, group.data(), group.size(),
                                       &size) != 1) {
      return makeError(ErrorKind::kUsage, "the EC key names no curve");
    }
    const std::string_view name(group.data(), size);
    if (name == "prime256v1" || name == "P-256") {
      return KeyType::kEcdsaP256;
    }
    if (name == "secp384r1" || name == "P-384") {
      return KeyType::kEcdsaP384;
    }
    return makeError(ErrorKind::kUsage,
                     "the EC key is on curve " + std::string(name) + "; gw uses P-256 or P-384");
  }
  if (EVP_PKEY_is_a(key, "RSA") == 1) {
    const int bits = EVP_PKEY_get_bits(key);
    if (bits < 2048) {
      return makeError(ErrorKind::kUsage,
                       "the RSA key has " + std::to_string(bits) + " bits; gw needs at least 2048");
    }
    // 3072 and other sizes sign like 2048; the type only picks the name shown.
    return bits >= 4096 ? KeyType::kRsa4096 : KeyType::kRsa2048;
  }
  return makeError(ErrorKind::kUsage, std::string("the key is of type ") +
                                          EVP_PKEY_get0_type_name(key) +
                                          "; gw uses ECDSA (P-256, P-384) or RSA");
}

}  // namespace

void PrivateKey::Free::operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }

PrivateKey::PrivateKey(PrivateKey&&) noexcept = default;
PrivateKey& PrivateKey::operator=(PrivateKey&&) noexcept = default;
PrivateKey::~PrivateKey() = default;

std::string_view keyTypeName(KeyType type) {
  for (const auto& k : kKeyNames) {
    if (k.type == type) {
      return k.name;
    }
  }
  return "unknown";
}

core::Result<KeyType> parseKeyType(std::string_view name) {
  for (const auto& k : kKeyNames) {
    if (k.name == name) {
      return k.type;
    }
  }
  return makeError(ErrorKind::kUsage, "unknown key type '" + std::string(name) +
                                          "' (use ecdsa-p256, ecdsa-p384, rsa2048 or rsa4096)");
}

core::Result<PrivateKey> PrivateKey::generate(KeyType type) {
  EVP_PKEY* key = nullptr;
  switch (type) {
    case KeyType::kEcdsaP256:
      key = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256");
      break;
    case KeyType::kEcdsaP384:
      key = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-384");
      break;
    case KeyType::kRsa2048:
      key = EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", std::size_t{2048});
      break;
    case KeyType::kRsa4096:
      key = EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", std::size_t{4096});
      break;
  }
  if (key == nullptr) {
    return ossl::error("generating a " + std::string(keyTypeName(type)) + " key");
  }
  return PrivateKey(key, type);
}

core::Result<PrivateKey> PrivateKey::fromPem(std::string_view pem) {
  if (pem.find("ENCRYPTED PRIVATE KEY") != std::string_view::npos) {
    return makeError(ErrorKind::kUsage, "the private key is encrypted; gw needs it unencrypted");
  }
  auto bio = ossl::readBio(pem);
  // An empty passphrase callback: an encrypted key fails instead of prompting on a terminal.
  ossl::Pkey key(PEM_read_bio_PrivateKey(
      bio.get(), nullptr, [](char*, int, int, void*) { return 0; }, nullptr));
  if (!key) {
    ERR_clear_error();
    return makeError(ErrorKind::kUsage, "not a private key in PEM form");
  }
  auto type = classify(key.get());
  if (!type) {
    return std::move(type).error();
  }
  return PrivateKey(key.release(), *type);
}

core::Result<PrivateKey> PrivateKey::load(const std::filesystem::path& path) {
  auto text = core::readFile(path);
  if (!text) {
    return std::move(text).error();
  }
  auto key = fromPem(*text);
  if (!key) {
    return std::move(key).error().context(path.string());
  }
  return key;
}

std::string PrivateKey::pem() const {
  auto bio = ossl::writeBio();
  PEM_write_bio_PrivateKey(bio.get(), key_.get(), nullptr, nullptr, 0, nullptr, nullptr);
  return ossl::bioText(bio.get());
}

std::string PrivateKey::publicKeyPem() const {
  auto bio = ossl::writeBio();
  PEM_write_bio_PUBKEY(bio.get(), key_.get());
  return ossl::bioText(bio.get());
}

core::Status writeFileWithMode(const std::filesystem::path& path, std::string_view data,
                               unsigned mode) {
  if (path.has_parent_path()) {
    std::error_code ec;
    std::filesystem::create_directories(path.parent_path(), ec);
    if (ec) {
      return makeError(ErrorKind::kRuntime,
                       "creating " + path.parent_path().string() + ": " + ec.message());
    }
  }
  return core::writeFileAtomic(path, data, mode);
}

core::Status writeKeyFile(const std::filesystem::path& path, std::string_view pem) {
  if (path.has_parent_path() && !std::filesystem::exists(path.parent_path())) {
    std::error_code ec;
    std::filesystem::create_directories(path.parent_path(), ec);
    std::filesystem::permissions(path.parent_path(), std::filesystem::perms::owner_all, ec);
  }
  return writeFileWithMode(path, pem, 0600);
}

}  // namespace gw::acme
