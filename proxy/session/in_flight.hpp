#pragma once
// What a connection needs only while a request is in flight: the Exchange with its Forwarder,
// and the buffer the request is read into. An idle connection gives both back to its worker
// thread's cache and takes them again when the next request's first bytes are there, so an
// idle connection holds almost nothing (as in nginx and HAProxy) while a busy one allocates
// nothing per request. The caches are per thread (a connection never leaves its worker's
// thread) and bounded: what goes back beyond kCached is freed.

#include <boost/beast/core/flat_buffer.hpp>
#include <memory>

#include "proxy/exchange/exchange.hpp"
#include "proxy/forward/forwarder.hpp"

namespace gw::proxy {

class Worker;

struct InFlight {
  InFlight(Worker& worker, Downstream& down) : forwarder(worker, down, exchange) {}
  InFlight(const InFlight&) = delete;
  InFlight& operator=(const InFlight&) = delete;
  ~InFlight() = default;

  Exchange exchange;
  Forwarder forwarder;  // after the exchange it refers to
};

// A reset exchange and an idle forwarder serving `down`.
std::unique_ptr<InFlight> takeInFlight(Worker& worker, Downstream& down);
// `in_flight` must be idle (Forwarder::idle) with its exchange reset.
void giveInFlight(std::unique_ptr<InFlight> in_flight);

// A buffer with room for a first read (its capacity kept from an earlier request).
beast::flat_buffer takeReadBuffer();
// `buffer` must be empty.
void giveReadBuffer(beast::flat_buffer&& buffer);

// Hands the memory freed beyond the caches back to the system once enough of it has been
// freed since the last time: a burst of connections that went idle leaves the heap with
// holes the allocator keeps resident otherwise. Called from the worker's sweep.
void releaseFreedMemory();

}  // namespace gw::proxy
