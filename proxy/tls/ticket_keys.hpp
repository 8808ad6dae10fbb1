#pragma once
// Session tickets (TLS 1.2 and 1.3 resumption) under keys the proxy makes itself and rotates:
// a fresh key encrypts new tickets every kRotateEvery, and the last kKept keys still decrypt,
// so a client resumes across a rotation while a leaked key opens at most a day of sessions.
// One set per process: a ticket from one worker's connection resumes on any other's, and
// across reloads and certificate swaps.

#include <openssl/ssl.h>

#include <chrono>

namespace gw::proxy::tls {

inline constexpr auto kRotateEvery = std::chrono::hours(6);
inline constexpr int kKept = 4;

// Installs the ticket key callback on `ctx`.
void useTicketKeys(SSL_CTX* ctx);

}  // namespace gw::proxy::tls
