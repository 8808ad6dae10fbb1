#pragma once
// A filter: one step of the chain a gateway and a route run on every request they serve.
// As in Envoy, each filter is split in two: the Filter object is the config half, built once
// per snapshot from its validated spec (proxy/filter/build.cpp) and shared by every worker,
// so it is const on the request path; what one request needs lives in its Exchange, and what
// lasts across requests (counters, buckets, caches) in a FilterState from the registry
// (registry.hpp), which survives reloads while the spec stays the same.
//
// Hooks, each optional (hooks() says which a filter has, so the chain calls no other):
//   onRequest   the request head is here (and a body up to 64 KiB, or the start of a longer
//               one). Return kContinue to go on, kAnswer after filling exchange.local to
//               answer without the upstream, or kPause to wait for something (a Redis
//               lookup, a JWKS fetch) and call host.resume(kContinue or kAnswer) later, on
//               the worker's thread, exactly once.
//   onResponse  the answer's head is about to go to the client: an upstream's, or one a
//               later filter made. Filters see the answer in reverse order.
//   onDone      the exchange is over (logging, metering). Called for every exchange that
//               reached the filter's onRequest.
// No exceptions on the request path: a filter reports trouble by answering.

#include <boost/beast/http/message.hpp>
#include <cstdint>

#include "proxy/exchange/exchange.hpp"
#include "proxy/net.hpp"

namespace gw::proxy {
class Worker;
}

namespace gw::proxy::filter {

enum class Status { kContinue, kAnswer, kPause };

// A filter's refusal: the gateway's answer for `reason` (401 auth_missing, 403 ip_denied, ...).
inline Status refuse(Exchange& exchange, Reason reason) {
  exchange.answerWith(reason);
  return Status::kAnswer;
}

// What a filter may ask of the connection running its exchange.
class FilterHost {
 public:
  virtual ~FilterHost() = default;
  // Goes on after a kPause: the chain continues after the filter that paused (kContinue) or
  // the answer in exchange.local goes out (kAnswer). The host stays alive until it is called.
  virtual void resume(Status status) = 0;
  // A uniformly random number, cheap (the worker's generator).
  virtual std::uint32_t roll() = 0;
  // The worker serving the exchange (for calls the gateway makes itself); null in unit tests.
  virtual Worker* worker() = 0;
  // Its index, for per-worker state (0 in unit tests).
  virtual int workerIndex() = 0;
};

enum Hook : unsigned { kOnRequest = 1, kOnResponse = 2, kOnDone = 4 };

class Filter {
 public:
  virtual ~Filter() = default;
  virtual unsigned hooks() const = 0;  // a mask of Hook
  virtual Status onRequest(Exchange& /*exchange*/, FilterHost& /*host*/) const {
    return Status::kContinue;
  }
  virtual void onResponse(Exchange& /*exchange*/, http::response_header<>& /*head*/) const {}
  virtual void onDone(const Exchange& /*exchange*/) const {}
};

}  // namespace gw::proxy::filter
