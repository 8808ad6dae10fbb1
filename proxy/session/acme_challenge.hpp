#pragma once
// HTTP-01 answers (RFC 8555 section 8.3). While `gw cert issue` runs, each pending
// challenge's key authorization is a file <dir>/<token>; every http listener answers
// GET /.well-known/acme-challenge/<token> from it, for any host, before routing. A token with
// no file (or not a token at all) falls through to the routes, as any other path.

#include <optional>
#include <string>
#include <string_view>

namespace gw::proxy {

inline constexpr std::string_view kAcmeChallengePrefix = "/.well-known/acme-challenge/";

// The key authorization to answer `target` with, or nothing.
std::optional<std::string> acmeChallengeAnswer(std::string_view target, const std::string& dir);

}  // namespace gw::proxy
