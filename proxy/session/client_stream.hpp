#pragma once
// The client's side of a connection, plain TCP or TLS (tls/stream.hpp): the listener gives it
// an SSL that accepts when the listener is https.

#include "proxy/tls/stream.hpp"

namespace gw::proxy {

using ClientStream = tls::Stream;

}  // namespace gw::proxy
