#pragma once
// The verified claims of a request's JWT, for the filters after auth (authorization's claim
// rules). Kept behind a pointer in ExchangeFacts, which only forward-declares it, so the
// exchange does not pull in a JSON library.

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace gw::proxy {

// bugprone-exception-escape is off: nlohmann::json's destructor may in theory allocate.
struct JwtClaims {        // NOLINT(bugprone-exception-escape)
  nlohmann::json claims;  // the payload, an object
  std::string provider;

  // Whether claim `name` holds `value`: equal as a string, an element of an array, or one
  // word of a space-separated string (OAuth's "scope": "orders:read orders:write").
  bool has(std::string_view name, std::string_view value) const;
  // The claim as header text: a string as it is, a number or boolean as JSON, an array's
  // strings joined with ","; empty when absent or an object.
  std::string text(std::string_view name) const;
};

}  // namespace gw::proxy
