#include "core/acme/problem.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdio>
#include <ctime>

namespace gw::acme {

namespace {

constexpr std::string_view kAcmeUrn = "urn:ietf:params:acme:error:";

struct Words {
  std::string_view type;
  std::string_view words;
};
// RFC 8555 section 6.7's table, RFC 8737 and RFC 9773's additions, said for a person.
constexpr std::array<Words, 25> kWords{{
    {"accountDoesNotExist", "the CA has no account for this key"},
    {"alreadyRevoked", "the certificate is already revoked"},
    {"badCSR", "the CA refused the certificate request"},
    {"badNonce", "the CA refused the request's nonce"},
    {"badPublicKey", "the CA does not accept this key"},
    {"badRevocationReason", "the CA does not accept this revocation reason"},
    {"badSignatureAlgorithm", "the CA does not accept this key's signature algorithm"},
    {"caa", "a CAA record forbids this CA to issue for the name"},
    {"compound", "the CA found several problems"},
    {"connection", "the CA could not connect"},
    {"dns", "the CA could not look the name up in DNS"},
    {"externalAccountRequired",
     "the CA requires External Account Binding: give the key id and HMAC key it hands out "
     "(gw cert issue --eab-kid --eab-hmac-key, or gw gateway update --tls-eab-kid "
     "--tls-eab-hmac-key)"},
    {"incorrectResponse", "the CA fetched a wrong answer"},
    {"invalidContact", "the CA refused the contact address"},
    {"malformed", "the CA found the request malformed"},
    {"orderNotReady", "the order was not ready to finalize"},
    {"rateLimited", "the CA's rate limit was reached"},
    {"rejectedIdentifier", "the CA will not issue for this name"},
    {"serverInternal", "the CA had an internal error"},
    {"tls", "the TLS handshake from the CA failed"},
    {"unauthorized", "the CA refused the answer"},
    {"unsupportedContact", "the CA does not support this contact address"},
    {"unsupportedIdentifier", "the CA does not issue for this kind of name"},
    {"userActionRequired", "the CA needs you to act first, on its website"},
    {"badCertificateProfile", "the CA does not offer this certificate profile"},
}};

// Go's dialer says "dial tcp 127.0.0.1:5002: connect: connection refused"; a person wants
// "to 127.0.0.1:5002 (connection refused)".
std::optional<std::string> dialFailure(std::string_view detail) {
  const std::size_t at = detail.find("dial tcp ");
  if (at == std::string_view::npos) {
    return std::nullopt;
  }
  std::string_view rest = detail.substr(at + 9);
  const std::size_t colon_space = rest.find(": ");
  if (colon_space == std::string_view::npos) {
    return std::nullopt;
  }
  const std::string_view address = rest.substr(0, colon_space);
  std::string_view reason = rest.substr(colon_space + 2);
  if (reason.starts_with("connect: ")) {
    reason.remove_prefix(9);
  }
  return " to " + std::string(address) + " (" + std::string(reason) + ")";
}

std::string trimmed(std::string_view s) {
  while (!s.empty() &&
         (std::isspace(static_cast<unsigned char>(s.back())) != 0 || s.back() == '.')) {
    s.remove_suffix(1);
  }
  return std::string(s);
}

}  // namespace

std::string Problem::shortType() const {
  return type.starts_with(kAcmeUrn) ? type.substr(kAcmeUrn.size()) : type;
}

std::optional<Problem> parseProblem(const nlohmann::json& doc) {
  if (!doc.is_object() || !doc.contains("type") || !doc["type"].is_string()) {
    return std::nullopt;
  }
  Problem p;
  p.type = doc["type"].get<std::string>();
  p.detail = doc.value("detail", "");
  if (doc.contains("status") && doc["status"].is_number_integer()) {
    p.status = doc["status"].get<long>();
  }
  if (doc.contains("identifier") && doc["identifier"].is_object()) {
    p.identifier = doc["identifier"].value("value", "");
  }
  if (doc.contains("subproblems") && doc["subproblems"].is_array()) {
    for (const auto& sub : doc["subproblems"]) {
      if (auto parsed = parseProblem(sub)) {
        p.subproblems.push_back(std::move(*parsed));
      }
    }
  }
  return p;
}

std::optional<Problem> parseProblemText(std::string_view body) {
  const auto doc = nlohmann::json::parse(body, nullptr, false);
  return doc.is_discarded() ? std::nullopt : parseProblem(doc);
}

std::string problemWords(const Problem& problem) {
  const std::string type = problem.shortType();
  const std::string detail = trimmed(problem.detail);
  const auto* known =
      std::find_if(kWords.begin(), kWords.end(), [&](const Words& w) { return w.type == type; });
  if (known != kWords.end()) {
    std::string out(known->words);
    if (type == "connection") {
      if (auto dial = dialFailure(detail)) {
        return out + *dial;
      }
    }
    for (const auto& sub : problem.subproblems) {
      out += "; ";
      if (!sub.identifier.empty()) {
        out += sub.identifier;
        out += ": ";
      }
      out += problemWords(sub);
    }
    if (problem.subproblems.empty() && !detail.empty()) {
      out += " (" + detail + ")";
    }
    return out;
  }
  const std::string shown = type.empty() ? "an unnamed problem" : type;
  return "the CA reported " + shown + (detail.empty() ? "" : " (" + detail + ")");
}

std::optional<SystemTime> parseRetryAfter(std::string_view value, SystemTime now) {
  while (!value.empty() && value.front() == ' ') {
    value.remove_prefix(1);
  }
  if (value.empty()) {
    return std::nullopt;
  }
  if (std::isdigit(static_cast<unsigned char>(value.front())) != 0) {
    long long seconds = 0;
    for (const char c : value) {
      if (std::isdigit(static_cast<unsigned char>(c)) == 0) {
        return std::nullopt;
      }
      seconds = seconds * 10 + (c - '0');
      if (seconds > 10LL * 365 * 24 * 3600) {
        return std::nullopt;
      }
    }
    return now + std::chrono::seconds(seconds);
  }
  // IMF-fixdate, the only form RFC 9110 asks senders to use: "Sun, 06 Nov 1994 08:49:37 GMT".
  std::tm tm{};
  const std::string text(value);
  const char* end = strptime(text.c_str(), "%a, %d %b %Y %H:%M:%S GMT", &tm);
  if (end == nullptr || *end != '\0') {
    return std::nullopt;
  }
  return std::chrono::system_clock::from_time_t(timegm(&tm));
}

std::optional<SystemTime> parseRfc3339(std::string_view text) {
  std::tm tm{};
  const std::string copy(text);
  const char* rest = strptime(copy.c_str(), "%Y-%m-%dT%H:%M:%S", &tm);
  if (rest == nullptr) {
    return std::nullopt;
  }
  if (*rest == '.') {  // fractions of a second: dropped, renewal works in seconds
    ++rest;
    while (std::isdigit(static_cast<unsigned char>(*rest)) != 0) {
      ++rest;
    }
  }
  long offset = 0;
  if (*rest == 'Z' || *rest == 'z') {
    ++rest;
  } else if (*rest == '+' || *rest == '-') {
    int hours = 0;
    int minutes = 0;
    if (std::sscanf(rest + 1, "%2d:%2d", &hours, &minutes) != 2) {
      return std::nullopt;
    }
    offset = (*rest == '+' ? 1 : -1) * (hours * 3600L + minutes * 60L);
    rest += 6;
  } else {
    return std::nullopt;
  }
  if (*rest != '\0') {
    return std::nullopt;
  }
  return std::chrono::system_clock::from_time_t(timegm(&tm) - offset);
}

std::string formatUtc(SystemTime t) {
  const std::time_t seconds = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  std::array<char, 32> out{};
  const std::size_t n = std::strftime(out.data(), out.size(), "%Y-%m-%d %H:%M:%S UTC", &tm);
  return {out.data(), n};
}

}  // namespace gw::acme
