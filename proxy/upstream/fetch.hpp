#pragma once
// A document the gateway fetches for itself (a JWT provider's key set): GET `url`, http:// or
// https://, through an UpstreamCall on a private io_context, blocking the calling thread (a
// snapshot build or a background refresher, never a worker) for at most `timeout`. Over
// https the server's certificate is verified against `ca_file`, or the system's store when
// it is empty, and must name the URL's host.

#include <chrono>
#include <cstddef>
#include <string>

#include "core/result.hpp"

namespace gw::proxy {

// The body of a 2xx answer, at most `max_bytes`; anything else is an error saying what
// happened ("GET https://id.test/jwks.json: 404", "...: timed out after 5s").
core::Result<std::string> fetchDocument(const std::string& url, const std::string& ca_file,
                                        std::chrono::milliseconds timeout,
                                        std::size_t max_bytes = 1024 * 1024);

}  // namespace gw::proxy
