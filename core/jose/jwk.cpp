#include "core/jose/jwk.hpp"

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/obj_mac.h>

#include <algorithm>
#include <array>
#include <nlohmann/json.hpp>
#include <utility>

#include "core/jose/base64url.hpp"
#include "core/jose/jws_verify.hpp"
#include "core/jose/ossl.hpp"

namespace gw::jose {

namespace {

using Json = nlohmann::json;

core::Error refuse(std::string reason) {
  return core::makeError(core::ErrorKind::kValidation, std::move(reason));
}

std::string inQuotes(std::string_view text) { return "\"" + std::string(text) + "\""; }

// What parsing a kty's members yields; Key::fromJwk adds the JWK's common members.
struct Material {
  Curve curve = Curve::kNone;
  std::shared_ptr<EVP_PKEY> pkey;
  std::string secret;
  int bits = 0;
};

// A member that must be a string when present (kid, use, alg, crv, kty).
core::Result<std::optional<std::string>> optionalString(const Json& jwk, const char* name) {
  const auto it = jwk.find(name);
  if (it == jwk.end()) {
    return std::optional<std::string>();
  }
  if (!it->is_string()) {
    return refuse(std::string(name) + " is not a string");
  }
  return std::optional<std::string>(it->get_ref<const std::string&>());
}

// A required base64url member holding bytes (n, e, x, y, k).
core::Result<std::string> binaryMember(const Json& jwk, const char* name) {
  const auto it = jwk.find(name);
  if (it == jwk.end()) {
    return refuse(std::string("member ") + name + " is missing");
  }
  if (!it->is_string()) {
    return refuse(std::string("member ") + name + " is not a string");
  }
  auto bytes = base64urlDecode(it->get_ref<const std::string&>());
  if (!bytes || bytes->empty()) {
    return refuse(std::string("member ") + name + " is not base64url");
  }
  return bytes;
}

// The members that make a JWK private (RFC 7518 sections 6.2.2 and 6.3.2, RFC 8037 section 2).
// A verifier has no use for them, and a published set that carries them has leaked its keys:
// anyone could sign with them, so such a key proves nothing.
bool hasPrivateMembers(const Json& jwk) {
  constexpr std::array<const char*, 7> kPrivate{"d", "p", "q", "dp", "dq", "qi", "oth"};
  return std::any_of(kPrivate.begin(), kPrivate.end(),
                     [&](const char* name) { return jwk.contains(name); });
}

// RFC 7517 section 4.3: a key whose key_ops leave out "verify" is not for verifying.
bool verifyForbidden(const Json& jwk) {
  const auto it = jwk.find("key_ops");
  if (it == jwk.end()) {
    return false;
  }
  return !it->is_array() || std::find(it->begin(), it->end(), Json("verify")) == it->end();
}

// Builds a public key of `type` from `bld` (EVP_PKEY_fromdata), then runs OpenSSL's public key
// check, which confirms an EC point is on its curve and runs OpenSSL's sanity checks on RSA.
std::shared_ptr<EVP_PKEY> publicKey(const char* type, OSSL_PARAM_BLD* bld) {
  const ossl::Params params(OSSL_PARAM_BLD_to_param(bld));
  const ossl::PkeyCtx ctx(EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr));
  EVP_PKEY* raw = nullptr;
  if (!params || !ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1 ||
      EVP_PKEY_fromdata(ctx.get(), &raw, EVP_PKEY_PUBLIC_KEY, params.get()) != 1) {
    ossl::forgetErrors();
    return nullptr;
  }
  std::shared_ptr<EVP_PKEY> key(raw, EVP_PKEY_free);
  const ossl::PkeyCtx check(EVP_PKEY_CTX_new_from_pkey(nullptr, raw, nullptr));
  if (!check || EVP_PKEY_public_check(check.get()) != 1) {
    ossl::forgetErrors();
    return nullptr;
  }
  return key;
}

core::Result<Material> rsaMaterial(const Json& jwk) {
  auto n = binaryMember(jwk, "n");
  if (!n) {
    return std::move(n).error();
  }
  auto e = binaryMember(jwk, "e");
  if (!e) {
    return std::move(e).error();
  }
  const ossl::Bignum bn_n = ossl::bignum(*n);
  const ossl::Bignum bn_e = ossl::bignum(*e);
  if (!bn_n || !bn_e) {
    return refuse("out of memory");
  }
  // Counted before OpenSSL sees the key: a short one is refused for its size, with no checks
  // run on it, and a huge one costs nothing.
  const int bits = BN_num_bits(bn_n.get());
  if (bits < kMinRsaBits || bits > kMaxRsaBits) {
    return refuse("RSA key of " + std::to_string(bits) + " bits: " +
                  (bits < kMinRsaBits ? "below " + std::to_string(kMinRsaBits)
                                      : "above " + std::to_string(kMaxRsaBits)));
  }
  const ossl::ParamBld bld(OSSL_PARAM_BLD_new());
  if (!bld || OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_N, bn_n.get()) != 1 ||
      OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_E, bn_e.get()) != 1) {
    return refuse("out of memory");
  }
  auto pkey = publicKey("RSA", bld.get());
  if (!pkey) {
    return refuse("n and e are not an RSA public key");
  }
  return Material{Curve::kNone, std::move(pkey), {}, bits};
}

core::Result<Material> ecMaterial(const Json& jwk, std::string_view crv) {
  // RFC 7518 section 6.2.1.2: x and y are the full size of a coordinate, leading zeros kept.
  const bool p256 = crv == "P-256";
  const std::size_t width = p256 ? 32 : 48;
  auto x = binaryMember(jwk, "x");
  if (!x) {
    return std::move(x).error();
  }
  auto y = binaryMember(jwk, "y");
  if (!y) {
    return std::move(y).error();
  }
  if (x->size() != width || y->size() != width) {
    return refuse("x and y are not " + std::to_string(width) + " bytes each, as " +
                  std::string(crv) + " needs");
  }
  // The uncompressed point of SEC 1 section 2.3.3: OpenSSL decodes it onto the curve or fails.
  const std::string point = '\x04' + *x + *y;
  const ossl::ParamBld bld(OSSL_PARAM_BLD_new());
  if (!bld ||
      OSSL_PARAM_BLD_push_utf8_string(bld.get(), OSSL_PKEY_PARAM_GROUP_NAME,
                                      p256 ? SN_X9_62_prime256v1 : SN_secp384r1, 0) != 1 ||
      OSSL_PARAM_BLD_push_octet_string(bld.get(), OSSL_PKEY_PARAM_PUB_KEY, point.data(),
                                       point.size()) != 1) {
    return refuse("out of memory");
  }
  auto pkey = publicKey("EC", bld.get());
  if (!pkey) {
    return refuse("x and y are not a point on " + std::string(crv));
  }
  return Material{p256 ? Curve::kP256 : Curve::kP384, std::move(pkey), {}, p256 ? 256 : 384};
}

core::Result<Material> okpMaterial(const Json& jwk) {
  auto x = binaryMember(jwk, "x");
  if (!x) {
    return std::move(x).error();
  }
  if (x->size() != 32) {
    return refuse("x is not 32 bytes, as Ed25519 needs");
  }
  const ossl::ParamBld bld(OSSL_PARAM_BLD_new());
  if (!bld || OSSL_PARAM_BLD_push_octet_string(bld.get(), OSSL_PKEY_PARAM_PUB_KEY, x->data(),
                                               x->size()) != 1) {
    return refuse("out of memory");
  }
  auto pkey = publicKey("ED25519", bld.get());
  if (!pkey) {
    return refuse("x is not an Ed25519 public key");
  }
  return Material{Curve::kEd25519, std::move(pkey), {}, 256};
}

core::Result<Material> octMaterial(const Json& jwk) {
  auto k = binaryMember(jwk, "k");
  if (!k) {
    return std::move(k).error();
  }
  if (k->size() < kMinHmacSecretBytes) {
    return refuse("HMAC secret of " + std::to_string(k->size()) + " bytes: below " +
                  std::to_string(kMinHmacSecretBytes));
  }
  const int bits = static_cast<int>(k->size() * 8);
  return Material{Curve::kNone, nullptr, std::move(*k), bits};
}

// The kty's members, once kty (and crv where it has one) are known to be supported.
core::Result<Material> material(const Json& jwk, KeyType type,
                                const std::optional<std::string>& crv) {
  switch (type) {
    case KeyType::kRsa:
      return rsaMaterial(jwk);
    case KeyType::kEc:
      return ecMaterial(jwk, crv.value_or(""));
    case KeyType::kOkp:
      return okpMaterial(jwk);
    case KeyType::kOct:
      break;
  }
  return octMaterial(jwk);
}

// kty, and crv for EC and OKP: which of them gw verifies with.
core::Result<KeyType> supportedType(const Json& jwk, const std::optional<std::string>& crv) {
  auto kty = optionalString(jwk, "kty");
  if (!kty) {
    return std::move(kty).error();
  }
  if (!kty->has_value()) {
    return refuse("kty is missing");
  }
  const std::string& name = **kty;
  const std::string curve = crv.value_or("");
  if (name == "RSA") {
    return KeyType::kRsa;
  }
  if (name == "oct") {
    return KeyType::kOct;
  }
  if (name == "EC" && (curve == "P-256" || curve == "P-384")) {
    return KeyType::kEc;
  }
  if (name == "OKP" && curve == "Ed25519") {
    return KeyType::kOkp;
  }
  if (name == "EC" || name == "OKP") {
    return refuse(crv ? "unsupported crv " + inQuotes(curve) + " for kty " + name
                      : std::string("crv is missing"));
  }
  return refuse("unsupported kty " + inQuotes(name));
}

// Why a key with these use, key_ops and private members cannot verify, or nothing.
std::optional<std::string> unfitForVerifying(const Json& jwk, const std::optional<std::string>& use,
                                             KeyType type) {
  if (use && *use != "sig") {
    return "use is " + inQuotes(*use) + ", not \"sig\"";
  }
  if (verifyForbidden(jwk)) {
    return "key_ops does not include \"verify\"";
  }
  if (type != KeyType::kOct && hasPrivateMembers(jwk)) {
    return "holds private key members: publish the public key only";
  }
  return std::nullopt;
}

// The kid of a key being skipped, for the log line; empty when it has none.
std::string kidOf(const Json& jwk) {
  if (!jwk.is_object()) {
    return {};
  }
  const auto kid = jwk.find("kid");
  return kid != jwk.end() && kid->is_string() ? kid->get<std::string>() : std::string();
}

}  // namespace

core::Result<Key> Key::fromJwk(const Json& jwk) {
  if (!jwk.is_object()) {
    return refuse("not a JSON object");
  }
  auto crv = optionalString(jwk, "crv");
  auto kid = optionalString(jwk, "kid");
  auto use = optionalString(jwk, "use");
  auto alg = optionalString(jwk, "alg");
  for (const auto* member : {&crv, &kid, &use, &alg}) {
    if (!*member) {
      return member->error();
    }
  }
  auto type = supportedType(jwk, *crv);
  if (!type) {
    return std::move(type).error();
  }
  if (auto why = unfitForVerifying(jwk, *use, *type)) {
    return refuse(std::move(*why));
  }
  auto parts = material(jwk, *type, *crv);
  if (!parts) {
    return std::move(parts).error();
  }
  Key key;
  key.type_ = *type;
  key.curve_ = parts->curve;
  key.kid_ = std::move(*kid);
  key.use_ = std::move(*use);
  key.alg_ = std::move(*alg);
  key.pkey_ = std::move(parts->pkey);
  key.secret_ = std::move(parts->secret);
  key.bits_ = parts->bits;
  // A key bound to an algorithm gw does not verify, or one its type cannot do, would only ever
  // fail: say so now rather than at every token.
  if (key.alg_) {
    const std::optional<Alg> bound = parseAlg(*key.alg_);
    if (!bound) {
      return refuse("unsupported alg " + inQuotes(*key.alg_));
    }
    if (!keyFits(*bound, key)) {
      return refuse("alg " + inQuotes(*key.alg_) + " does not fit this key");
    }
  }
  return key;
}

core::Result<KeySet> KeySet::parse(std::string_view jwks_json) {
  const Json doc = Json::parse(jwks_json, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) {
    return refuse("the JWK Set is not JSON");
  }
  if (!doc.is_object()) {
    return refuse("the JWK Set is not a JSON object");
  }
  KeySet set;
  const auto take = [&set](const Json& jwk, std::size_t index) {
    auto key = Key::fromJwk(jwk);
    if (key) {
      set.keys_.push_back(std::move(*key));
    } else {
      set.skipped_.push_back({index, kidOf(jwk), std::move(key).error().message});
    }
  };
  const auto keys = doc.find("keys");
  if (keys == doc.end()) {
    if (!doc.contains("kty")) {
      return refuse(R"(neither a JWK Set (no "keys") nor a JWK (no "kty"))");
    }
    take(doc, 0);  // a lone JWK: a set of one
    return set;
  }
  if (!keys->is_array()) {
    return refuse("\"keys\" of the JWK Set is not an array");
  }
  for (std::size_t i = 0; i < keys->size(); ++i) {
    take((*keys)[i], i);
  }
  return set;
}

}  // namespace gw::jose
