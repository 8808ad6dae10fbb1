#pragma once
// base64url without padding (RFC 4648 section 5, as RFC 7515 section 2 uses it): the encoding
// of every part of a JWS and of every binary JWK member. core/acme uses the same two functions
// for its requests (RFC 8555 section 6.1). Bytes travel in std::string.

#include <string>
#include <string_view>

#include "core/result.hpp"

namespace gw::jose {

std::string base64url(std::string_view bytes);
// Refuses padding, whitespace and characters outside the URL-safe alphabet, which RFC 7515
// section 2 leaves out of the encoding: a token that carries them is not one a signer made.
core::Result<std::string> base64urlDecode(std::string_view text);

}  // namespace gw::jose
