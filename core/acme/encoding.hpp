#pragma once
// Byte encodings and digests ACME is built on: base64url without padding (RFC 7515 section 2,
// RFC 8555 section 6.1), SHA-256, HMAC-SHA256 (for External Account Binding, RFC 8555 7.3.4).
// Bytes travel in std::string. base64url lives in core/jose, which verifies the same encoding
// in tokens; it is named here too so that ACME code reads as it always has.

#include <string>
#include <string_view>

#include "core/jose/base64url.hpp"

namespace gw::acme {

using jose::base64url;
using jose::base64urlDecode;

// Raw 32-byte digests.
std::string sha256(std::string_view data);
std::string hmacSha256(std::string_view key, std::string_view data);

// Lower-case hex of `bytes`, for serial numbers and log lines.
std::string hex(std::string_view bytes);

}  // namespace gw::acme
