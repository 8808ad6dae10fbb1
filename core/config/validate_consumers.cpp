// consumers[] and jwtProviders[]: names, credentials (hashes only, never a secret in plain
// text) and the providers' algorithms and keys.

#include <algorithm>
#include <array>
#include <nlohmann/json.hpp>
#include <unordered_map>

#include "core/config/checks.hpp"
#include "core/config/validate_context.hpp"

namespace gw::core {
namespace {

bool isLowerHex(std::string_view s) {
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

// The crypt(3) schemes gw verifies: bcrypt as htpasswd -B writes it, yescrypt, sha512crypt.
bool isCryptHash(std::string_view hash) {
  constexpr std::array<std::string_view, 5> kSchemes{"$2y$", "$2b$", "$2a$", "$y$", "$6$"};
  return std::any_of(kSchemes.begin(), kSchemes.end(), [&](std::string_view scheme) {
    return hash.size() > scheme.size() + 20 && hash.substr(0, scheme.size()) == scheme;
  });
}

bool isCertificateSubject(std::string_view s) {
  constexpr std::array<std::string_view, 4> kKinds{"CN=", "dns:", "email:", "uri:"};
  return std::any_of(kKinds.begin(), kKinds.end(), [&](std::string_view kind) {
    return s.size() > kind.size() && s.substr(0, kind.size()) == kind;
  });
}

// Unique across consumers: one key id, one basic user, one subject names one consumer.
struct Owners {
  std::unordered_map<std::string, std::string> key_ids;
  std::unordered_map<std::string, std::string> key_hashes;
  std::unordered_map<std::string, std::string> users;
  std::unordered_map<std::string, std::string> subjects;

  // Adds `value` for consumer `name`; reports when another consumer has it.
  static void claim(std::unordered_map<std::string, std::string>& seen, const std::string& value,
                    const std::string& name, const std::string& path, const char* what,
                    Checker& check) {
    const auto [it, added] = seen.emplace(value, name);
    if (!added) {
      check.add(path, std::string(what) + " " + quote(value) + " already belongs to consumer " +
                          quote(it->second));
    }
  }
};

void checkKeys(const Consumer& c, const std::string& path, Owners& owners, Checker& check) {
  for (std::size_t i = 0; i < c.api_keys.size(); ++i) {
    const ApiKey& key = c.api_keys[i];
    const std::string kpath = path + ".apiKeys[" + std::to_string(i) + "]";
    if (key.id.empty() || !isValidName(key.id)) {
      check.add(kpath + ".id", "must be lower-case letters and digits (got " + quote(key.id) + ")");
    } else {
      Owners::claim(owners.key_ids, key.id, c.name, kpath + ".id", "key id", check);
    }
    if (key.sha256.size() != 64 || !isLowerHex(key.sha256)) {
      check.add(kpath + ".sha256",
                "must be the key's SHA-256 as 64 lower-case hex digits (gw consumer key create "
                "makes keys; the document never holds a key itself)");
    } else {
      Owners::claim(owners.key_hashes, key.sha256, c.name, kpath + ".sha256", "key", check);
    }
  }
}

void checkBasicUsers(const Consumer& c, const std::string& path, Owners& owners, Checker& check) {
  for (std::size_t i = 0; i < c.basic_auth.size(); ++i) {
    const BasicUser& user = c.basic_auth[i];
    const std::string upath = path + ".basicAuth[" + std::to_string(i) + "]";
    if (user.user.empty() || user.user.find(':') != std::string::npos) {
      check.add(upath + ".user",
                "must be a non-empty name without ':' (got " + quote(user.user) + ")");
    } else {
      Owners::claim(owners.users, user.user, c.name, upath + ".user", "user", check);
    }
    if (!isCryptHash(user.hash)) {
      check.add(upath + ".hash",
                "must be a crypt(3) hash ($2y$ or $2b$ bcrypt as htpasswd -B writes it, $y$ "
                "yescrypt or $6$ sha512crypt), never the password itself");
    }
  }
}

void checkIdentities(const Config& config, const Consumer& c, const std::string& path,
                     Owners& owners, Checker& check) {
  for (std::size_t i = 0; i < c.jwt.size(); ++i) {
    const JwtIdentity& id = c.jwt[i];
    const std::string ipath = path + ".jwt[" + std::to_string(i) + "]";
    const bool known = std::any_of(config.jwt_providers.begin(), config.jwt_providers.end(),
                                   [&](const JwtProvider& p) { return p.name == id.provider; });
    if (!known) {
      check.add(ipath + ".provider", "unknown JWT provider " + quote(id.provider));
    }
    if (id.claim.empty()) {
      check.add(ipath + ".claim", "must not be empty");
    }
    if (id.value.empty()) {
      check.add(ipath + ".value", "must not be empty");
    }
  }
  for (std::size_t i = 0; i < c.certificates.size(); ++i) {
    const std::string& subject = c.certificates[i];
    const std::string spath = path + ".certificates[" + std::to_string(i) + "]";
    if (!isCertificateSubject(subject)) {
      check.add(spath,
                "must be CN=NAME, dns:NAME, email:ADDRESS or uri:URI (got " + quote(subject) + ")");
    } else {
      Owners::claim(owners.subjects, subject, c.name, spath, "certificate subject", check);
    }
  }
}

void checkProviderKeys(const JwtProvider& p, const std::string& path, Checker& check) {
  if (p.jwks_url.empty() == p.keys.empty()) {
    check.add(path + ".jwksUrl", "give exactly one of jwksUrl and keys");
    return;
  }
  if (!p.jwks_url.empty() && p.jwks_url.rfind("http://", 0) != 0 &&
      p.jwks_url.rfind("https://", 0) != 0) {
    check.add(path + ".jwksUrl",
              "must be an http:// or https:// URL (got " + quote(p.jwks_url) + ")");
  }
  if (!p.keys.empty()) {
    const auto parsed = nlohmann::json::parse(p.keys, nullptr, false);
    if (parsed.is_discarded() || !parsed.is_object()) {
      check.add(path + ".keys", "must be a JWK set ({\"keys\": [...]}) or one JWK, as JSON");
    }
  }
}

void checkProvider(const JwtProvider& p, const std::string& path, Checker& check) {
  constexpr std::array<std::string_view, 8> kAlgorithms{"RS256", "RS384", "RS512", "PS256",
                                                        "ES256", "ES384", "EdDSA", "HS256"};
  if (p.algorithms.empty()) {
    check.add(path + ".algorithms", "must name at least one algorithm (RS256, ES256, ...)");
  }
  for (std::size_t i = 0; i < p.algorithms.size(); ++i) {
    const std::string& alg = p.algorithms[i];
    const std::string apath = path + ".algorithms[" + std::to_string(i) + "]";
    if (toLower(alg) == "none") {
      check.add(apath, "\"none\" is never accepted: an unsigned token proves nothing");
    } else if (std::find(kAlgorithms.begin(), kAlgorithms.end(), alg) == kAlgorithms.end()) {
      check.add(apath,
                "must be one of RS256, RS384, RS512, PS256, ES256, ES384, EdDSA, HS256 "
                "(got " +
                    quote(alg) + ")");
    }
  }
  checkProviderKeys(p, path, check);
  if (p.clock_skew.count() < 0 || p.clock_skew > std::chrono::minutes(5)) {
    check.add(path + ".clockSkew", "must be 0s..5m");
  }
  if (p.jwks_refresh < std::chrono::seconds(30)) {
    check.add(path + ".jwksRefresh", "must be at least 30s");
  }
  for (std::size_t i = 0; i < p.claims_to_headers.size(); ++i) {
    const ClaimHeader& h = p.claims_to_headers[i];
    if (!isToken(h.header)) {
      check.add(path + ".claimsToHeaders[" + std::to_string(i) + "].header",
                "must be a header name (got " + quote(h.header) + ")");
    }
  }
}

}  // namespace

void validateConsumers(const Config& config, Checker& check) {
  check.uniqueNames(config.jwt_providers, "jwtProviders", "JWT provider");
  for (std::size_t i = 0; i < config.jwt_providers.size(); ++i) {
    checkProvider(config.jwt_providers[i], at("jwtProviders", i), check);
  }
  check.uniqueNames(config.consumers, "consumers", "consumer");
  Owners owners;
  for (std::size_t i = 0; i < config.consumers.size(); ++i) {
    const Consumer& c = config.consumers[i];
    const std::string path = at("consumers", i);
    for (std::size_t g = 0; g < c.groups.size(); ++g) {
      check.name(path + ".groups[" + std::to_string(g) + "]", c.groups[g]);
    }
    checkKeys(c, path, owners, check);
    checkBasicUsers(c, path, owners, check);
    checkIdentities(config, c, path, owners, check);
  }
}

}  // namespace gw::core
