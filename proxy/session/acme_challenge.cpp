#include "proxy/session/acme_challenge.hpp"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <iterator>

namespace gw::proxy {
namespace {

constexpr std::size_t kMaxToken = 256;
constexpr std::size_t kMaxAnswer = 1024;  // a token, a dot and a 43-character thumbprint

// ACME tokens are base64url: nothing else may name a file.
bool isToken(std::string_view token) {
  return !token.empty() && token.size() <= kMaxToken &&
         std::ranges::all_of(
             token, [](unsigned char c) { return std::isalnum(c) != 0 || c == '-' || c == '_'; });
}

}  // namespace

std::optional<std::string> acmeChallengeAnswer(std::string_view target, const std::string& dir) {
  if (dir.empty() || !target.starts_with(kAcmeChallengePrefix)) {
    return std::nullopt;
  }
  const std::string_view token = target.substr(kAcmeChallengePrefix.size());
  if (!isToken(token)) {
    return std::nullopt;
  }
  // Read on the worker thread: a file of a few dozen bytes, asked for a few times per
  // certificate, never on the path of ordinary requests.
  std::ifstream file(dir + "/" + std::string(token), std::ios::binary);
  if (!file) {
    return std::nullopt;
  }
  std::string answer;
  answer.resize(kMaxAnswer);
  file.read(answer.data(), static_cast<std::streamsize>(answer.size()));
  answer.resize(static_cast<std::size_t>(file.gcount()));
  while (!answer.empty() && (answer.back() == '\n' || answer.back() == '\r')) {
    answer.pop_back();
  }
  if (answer.empty()) {
    return std::nullopt;
  }
  return answer;
}

}  // namespace gw::proxy
