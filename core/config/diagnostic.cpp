#include "core/config/diagnostic.hpp"

namespace gw::core {

Position SourceMap::find(const std::string& path) const {
  std::string p = path;
  while (true) {
    if (auto it = positions.find(p); it != positions.end()) {
      return it->second;
    }
    if (p.empty()) {
      return {};
    }
    // Drop the last step: "a.b[2].c" -> "a.b[2]" -> "a.b" -> "a" -> "".
    const auto cut = p.find_last_of(".[");
    p = cut == std::string::npos ? std::string() : p.substr(0, cut);
  }
}

std::string Diagnostic::str() const {
  std::string out;
  if (!file.empty()) {
    out += file;
    if (pos.line > 0) {
      // Appended piece by piece: GCC 12 warns wrongly (-Wrestrict) on chained + at -O3.
      out.append(":").append(std::to_string(pos.line));
      out.append(":").append(std::to_string(pos.col));
    }
    out.append(": ");
  }
  if (!path.empty()) {
    out.append(path).append(": ");
  }
  out += message;
  return out;
}

}  // namespace gw::core
