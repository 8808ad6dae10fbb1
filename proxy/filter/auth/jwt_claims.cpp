#include "proxy/filter/auth/jwt_claims.hpp"

#include <algorithm>

namespace gw::proxy {
namespace {

bool hasWord(std::string_view text, std::string_view word) {
  while (!text.empty()) {
    const auto space = text.find(' ');
    if (text.substr(0, space) == word) {
      return true;
    }
    text = space == std::string_view::npos ? std::string_view{} : text.substr(space + 1);
  }
  return false;
}

}  // namespace

bool JwtClaims::has(std::string_view name, std::string_view value) const {
  const auto it = claims.find(name);
  if (it == claims.end()) {
    return false;
  }
  if (it->is_string()) {
    return hasWord(it->get_ref<const std::string&>(), value);
  }
  if (it->is_array()) {
    return std::any_of(it->begin(), it->end(), [&](const nlohmann::json& item) {
      return item.is_string() && item.get_ref<const std::string&>() == value;
    });
  }
  return it->is_primitive() && it->dump() == value;
}

std::string JwtClaims::text(std::string_view name) const {
  const auto it = claims.find(name);
  if (it == claims.end() || it->is_object() || it->is_null()) {
    return "";
  }
  if (it->is_string()) {
    return it->get<std::string>();
  }
  if (it->is_array()) {
    std::string out;
    for (const auto& item : *it) {
      out += out.empty() ? "" : ",";
      out += item.is_string() ? item.get<std::string>() : item.dump();
    }
    return out;
  }
  return it->dump();
}

}  // namespace gw::proxy
