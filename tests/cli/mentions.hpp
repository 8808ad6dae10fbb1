#pragma once
// Text searches for documentation tests: whether a flag or word is mentioned as a whole
// token (so "-f" is not found inside "--file").

#include <cctype>
#include <sstream>
#include <string>

namespace gw::test {

inline bool isTokenChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '_';
}

// `token` occurs in `text` with no token character right before or after it.
inline bool mentionsToken(const std::string& text, const std::string& token) {
  for (auto pos = text.find(token); pos != std::string::npos; pos = text.find(token, pos + 1)) {
    const bool start_ok = pos == 0 || !isTokenChar(text[pos - 1]) || !isTokenChar(token.front());
    const auto end = pos + token.size();
    const bool end_ok = end >= text.size() || !isTokenChar(text[end]) || !isTokenChar(token.back());
    if (start_ok && end_ok) {
      return true;
    }
  }
  return false;
}

// Some line of `text` contains `anchor` and mentions `token`.
inline bool lineMentions(const std::string& text, const std::string& anchor,
                         const std::string& token) {
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    if (line.find(anchor) != std::string::npos && mentionsToken(line, token)) {
      return true;
    }
  }
  return false;
}

}  // namespace gw::test
