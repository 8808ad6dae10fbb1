#include "core/jose/jwt.hpp"

#include <algorithm>
#include <cmath>
#include <utility>

#include "core/jose/base64url.hpp"

namespace gw::jose {

namespace {

using Json = nlohmann::json;

core::Error refuse(std::string reason) {
  return core::makeError(core::ErrorKind::kValidation, "token: " + std::move(reason));
}

// One base64url part holding a JSON object (the header or the claims).
core::Result<Json> objectPart(std::string_view part, const char* what) {
  auto text = base64urlDecode(part);
  if (!text) {
    return refuse(std::string("the ") + what + " is not base64url");
  }
  // No exceptions on the request path: a parse error is a discarded value.
  Json value = Json::parse(*text, nullptr, /*allow_exceptions=*/false);
  if (value.is_discarded()) {
    return refuse(std::string("the ") + what + " is not JSON");
  }
  if (!value.is_object()) {
    return refuse(std::string("the ") + what + " is not a JSON object");
  }
  return value;
}

// alg and kid out of the header, and the refusal of crit.
core::Status readHeader(Token& token) {
  const Json& header = token.header;
  const auto alg = header.find("alg");
  if (alg == header.end() || !alg->is_string()) {
    return refuse("the header has no string \"alg\"");
  }
  if (header.contains("crit")) {
    return refuse("the header asks for extensions (\"crit\"), which gw does not implement");
  }
  const auto kid = header.find("kid");
  if (kid != header.end()) {
    if (!kid->is_string()) {
      return refuse("the header's \"kid\" is not a string");
    }
    token.kid = kid->get<std::string>();
  }
  token.alg_name = alg->get<std::string>();
  token.alg = parseAlg(token.alg_name);
  return core::Ok{};
}

Verdict checkSignature(const Token& token, Alg alg, const KeySet& keys) {
  bool candidate = false;
  for (const Key& key : keys.keys()) {
    // A kid names the key; the alg then only has to fit it, which verifySignature checks.
    const bool chosen = token.kid ? key.kid() == token.kid : keyFits(alg, key);
    if (!chosen) {
      continue;
    }
    candidate = true;
    if (verifySignature(alg, key, token.signing_input, token.signature)) {
      return Verdict::kOk;
    }
  }
  return candidate ? Verdict::kBadSignature : Verdict::kUnknownKey;
}

// A NumericDate claim (RFC 7519 section 2): seconds since the epoch, fractions allowed.
struct TimeClaim {
  bool malformed = false;
  std::optional<double> seconds;
};

TimeClaim timeClaim(const Json& claims, const char* name) {
  const auto it = claims.find(name);
  if (it == claims.end()) {
    return {};
  }
  if (!it->is_number()) {
    return {true, std::nullopt};
  }
  const auto seconds = it->get<double>();
  if (!std::isfinite(seconds)) {
    return {true, std::nullopt};  // 1e999 parses as infinity: a token that never expires
  }
  return {false, seconds};
}

Verdict checkTimes(const Json& claims, std::int64_t skew_seconds, std::int64_t now_seconds) {
  const TimeClaim exp = timeClaim(claims, "exp");
  const TimeClaim nbf = timeClaim(claims, "nbf");
  const TimeClaim iat = timeClaim(claims, "iat");
  if (exp.malformed || nbf.malformed || iat.malformed) {
    return Verdict::kMalformed;
  }
  // In double: the claims may be fractional, and a huge one cannot overflow.
  const auto now = static_cast<double>(now_seconds);
  const auto skew = static_cast<double>(std::max<std::int64_t>(skew_seconds, 0));
  // RFC 7519 section 4.1.4: the token is good only while now is before exp.
  if (exp.seconds && *exp.seconds + skew <= now) {
    return Verdict::kExpired;
  }
  // Section 4.1.5: from nbf on. A token issued in the future (iat) is refused the same way: it
  // comes from a clock that is off, or was minted to outlive its exp.
  if ((nbf.seconds && *nbf.seconds - skew > now) || (iat.seconds && *iat.seconds - skew > now)) {
    return Verdict::kNotYetValid;
  }
  return Verdict::kOk;
}

Verdict checkIssuer(const Json& claims, const std::string& issuer) {
  if (issuer.empty()) {
    return Verdict::kOk;
  }
  const auto it = claims.find("iss");
  if (it == claims.end()) {
    return Verdict::kIssuer;
  }
  if (!it->is_string()) {
    return Verdict::kMalformed;
  }
  return it->get_ref<const std::string&>() == issuer ? Verdict::kOk : Verdict::kIssuer;
}

// RFC 7519 section 4.1.3: aud is one string or an array of them; one must be ours.
Verdict checkAudience(const Json& claims, const std::vector<std::string>& audiences) {
  if (audiences.empty()) {
    return Verdict::kOk;
  }
  const auto ours = [&](const Json& aud) {
    return std::find(audiences.begin(), audiences.end(), aud.get_ref<const std::string&>()) !=
           audiences.end();
  };
  const auto it = claims.find("aud");
  if (it == claims.end()) {
    return Verdict::kAudience;
  }
  if (it->is_string()) {
    return ours(*it) ? Verdict::kOk : Verdict::kAudience;
  }
  if (!it->is_array()) {
    return Verdict::kMalformed;
  }
  bool found = false;
  for (const Json& aud : *it) {
    if (!aud.is_string()) {
      return Verdict::kMalformed;
    }
    found = found || ours(aud);
  }
  return found ? Verdict::kOk : Verdict::kAudience;
}

}  // namespace

core::Result<Token> decode(std::string_view compact, std::size_t max_bytes) {
  // Before any decoding: base64 and JSON work grow with the input, the limit must not.
  if (compact.size() > max_bytes) {
    return refuse(std::to_string(compact.size()) + " bytes, above the limit of " +
                  std::to_string(max_bytes));
  }
  const std::size_t first = compact.find('.');
  const std::size_t second = first == std::string_view::npos ? first : compact.find('.', first + 1);
  if (second == std::string_view::npos || compact.find('.', second + 1) != std::string_view::npos) {
    return refuse("not three parts separated by dots");
  }
  Token token;
  auto header = objectPart(compact.substr(0, first), "header");
  if (!header) {
    return std::move(header).error();
  }
  token.header = std::move(*header);
  if (auto read = readHeader(token); !read) {
    return std::move(read).error();
  }
  auto claims = objectPart(compact.substr(first + 1, second - first - 1), "claims set");
  if (!claims) {
    return std::move(claims).error();
  }
  token.claims = std::move(*claims);
  auto signature = base64urlDecode(compact.substr(second + 1));
  if (!signature) {
    return refuse("the signature is not base64url");
  }
  token.signature = std::move(*signature);
  token.signing_input = std::string(compact.substr(0, second));
  return token;
}

std::string_view toString(Verdict verdict) {
  switch (verdict) {
    case Verdict::kOk:
      return "ok";
    case Verdict::kMalformed:
      return "malformed claims";
    case Verdict::kAlgorithmNotAllowed:
      return "algorithm not allowed";
    case Verdict::kUnknownKey:
      return "unknown key";
    case Verdict::kBadSignature:
      return "bad signature";
    case Verdict::kExpired:
      return "expired";
    case Verdict::kNotYetValid:
      return "not yet valid";
    case Verdict::kIssuer:
      return "wrong issuer";
    case Verdict::kAudience:
      break;
  }
  return "wrong audience";
}

Verdict verify(const Token& token, const KeySet& keys, const Policy& policy,
               std::int64_t now_seconds) {
  // "none" never parses into an Alg, so no policy can let an unsigned token through.
  if (!token.alg || std::find(policy.algorithms.begin(), policy.algorithms.end(), *token.alg) ==
                        policy.algorithms.end()) {
    return Verdict::kAlgorithmNotAllowed;
  }
  if (const Verdict v = checkSignature(token, *token.alg, keys); v != Verdict::kOk) {
    return v;
  }
  if (!token.claims.is_object()) {
    return Verdict::kMalformed;
  }
  if (const Verdict v = checkTimes(token.claims, policy.clock_skew, now_seconds);
      v != Verdict::kOk) {
    return v;
  }
  if (const Verdict v = checkIssuer(token.claims, policy.issuer); v != Verdict::kOk) {
    return v;
  }
  return checkAudience(token.claims, policy.audiences);
}

}  // namespace gw::jose
