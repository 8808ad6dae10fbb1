#pragma once
// Request mirroring (core::Mirror): a copy of `percent` of a route's requests goes to the
// mirror service, fire-and-forget, on the worker that serves the request. The copy is the
// request as forwarded (method, rewritten target, headers after the route's edits, body)
// plus `x-gw-mirror: 1`, so the mirror can tell shadow traffic apart; the Host is kept (as
// opposed to Envoy's "-shadow" suffix) so a mirror that routes by virtual host still serves
// it. The mirror's answer is read and dropped. The copy never delays or fails the primary:
// starting it costs one copy of the request and a non-blocking connect or write, nothing
// waits for it, it has its own short deadline, and it is skipped when the body is not
// replayable or when too many copies are already in flight on this worker (a slow or dead
// mirror must not pile up sockets).

#include <cstdint>
#include <string>
#include <string_view>

#include "proxy/net.hpp"
#include "proxy/observe/stats.hpp"

namespace gw::proxy {

class Worker;
struct EndpointEntry;

inline constexpr auto kMirrorTimeout = std::chrono::seconds(2);
inline constexpr int kMaxMirrorsInFlight = 128;  // per worker

// Sends `head` (a serialized request head, ending with the blank line) with
// `x-gw-mirror: 1` added, then `body`, to `endpoint`, and counts the copy's answer (or that
// it got none) on `stats`. Worker thread only.
void sendMirror(Worker& worker, const EndpointEntry& endpoint, std::string_view head,
                std::string_view body, bool head_request, std::shared_ptr<StatsNode> stats);

}  // namespace gw::proxy
