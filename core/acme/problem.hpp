#pragma once
// ACME problem documents (RFC 8555 section 6.7, RFC 7807) turned into words for people, and
// the Retry-After header (RFC 9110 section 10.2.3) the CA sends with a rate limit or a poll.

#include <chrono>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gw::acme {

using SystemTime = std::chrono::system_clock::time_point;

struct Problem {
  std::string type;    // e.g. "urn:ietf:params:acme:error:connection"
  std::string detail;  // the CA's own text
  long status = 0;
  std::string identifier;  // a subproblem's identifier value
  std::vector<Problem> subproblems;

  // The type without the ACME URN prefix: "connection", "rateLimited", ...
  std::string shortType() const;
};

// A problem document (a response body, or a challenge's "error" member); nullopt when `doc`
// is not one.
std::optional<Problem> parseProblem(const nlohmann::json& doc);
std::optional<Problem> parseProblemText(std::string_view body);

// What the CA said, in words: "the CA could not connect to 127.0.0.1:5002 (connection
// refused)". Known ACME types are said plainly, with the CA's detail where it adds something;
// unknown ones show the type and the detail.
std::string problemWords(const Problem& problem);

// Retry-After as delay-seconds or an HTTP-date; nullopt when absent or unreadable.
std::optional<SystemTime> parseRetryAfter(std::string_view value, SystemTime now);

// An RFC 3339 timestamp ("2026-11-30T05:00:00Z", fractions and offsets allowed).
std::optional<SystemTime> parseRfc3339(std::string_view text);

// "2026-11-30 05:00:00 UTC".
std::string formatUtc(SystemTime t);

}  // namespace gw::acme
