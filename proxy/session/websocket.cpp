// The WebSocket half of Session: the upgrade's headers passed on, and after the upstream's
// 101 (forward/relay.cpp) the hand-over of both connections to a Tunnel (tunnel.hpp), which
// copies bytes both ways while this session ends.

#include <algorithm>

#include "proxy/http/headers.hpp"
#include "proxy/session/session.hpp"
#include "proxy/session/tunnel.hpp"

namespace gw::proxy {
namespace {

// A WebSocket may rightly stay quiet for long; the gateway's idle timeout applies when longer.
constexpr Clock::duration kTunnelIdle = std::chrono::hours(1);

}  // namespace

void Session::keepUpgradeHeaders(http::fields& fields) const {
  if (exchange().websocket) {
    fields.set(http::field::connection, "Upgrade");
    fields.set(http::field::upgrade, "websocket");
  }
  if (exchange().te_trailers) {
    fields.set(http::field::te, "trailers");
  }
}

void Session::upgrade(std::string head, std::unique_ptr<UpstreamConnection> upstream) {
  const Clock::duration idle = std::max<Clock::duration>(kTunnelIdle, idleTimeout());
  logRequest();
  // From here on nothing depends on the config the upgrade was routed with, and the
  // connection is no longer HTTP: both sockets go to a Tunnel and this session ends.
  exchange().reset();  // the in-flight count lives in the snapshot let go below
  listener_ = nullptr;
  gateway_ = nullptr;
  snapshot_.reset();
  closed_ = true;
  client_deadline_ = kNever;
  auto tunnel = std::make_shared<Tunnel>(worker_, std::move(stream_), std::move(buffer_),
                                         std::move(upstream), idle);
  tunnel->start(std::move(head));
}

}  // namespace gw::proxy
