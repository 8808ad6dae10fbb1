#include "proxy/session/in_flight.hpp"

#include <malloc.h>

#include <chrono>
#include <utility>
#include <vector>

namespace gw::proxy {
namespace {

// Enough for the connections of one worker that start a request within one sweep: a busy
// connection keeps its own (session.cpp), so these serve new and waking connections. A
// burst beyond it allocates, and what comes back beyond it is freed.
constexpr std::size_t kCached = 64;

// malloc_trim walks the whole heap: worth it once a burst of frees has stopped (nothing freed
// during the last sweep), or while one goes on, not more often than kTrimEvery.
constexpr std::size_t kTrimQuiet = 256 * 1024;
constexpr std::size_t kTrimBusy = 16 * 1024 * 1024;
constexpr auto kTrimEvery = std::chrono::milliseconds(500);

struct Spares {
  std::vector<std::unique_ptr<InFlight>> in_flight;
  std::vector<beast::flat_buffer> buffers;
  std::size_t freed = 0;       // bytes freed beyond the caches since the last trim
  std::size_t freed_seen = 0;  // `freed` at the last sweep
  std::chrono::steady_clock::time_point trimmed;
};

Spares& spares() {
  thread_local Spares per_thread;
  return per_thread;
}

}  // namespace

std::unique_ptr<InFlight> takeInFlight(Worker& worker, Downstream& down) {
  auto& cached = spares().in_flight;
  if (cached.empty()) {
    return std::make_unique<InFlight>(worker, down);
  }
  std::unique_ptr<InFlight> taken = std::move(cached.back());
  cached.pop_back();
  taken->forwarder.attach(down);
  return taken;
}

void giveInFlight(std::unique_ptr<InFlight> in_flight) {
  auto& cached = spares().in_flight;
  if (cached.size() < kCached) {
    cached.push_back(std::move(in_flight));
  } else {
    spares().freed += sizeof(InFlight);
  }
}

beast::flat_buffer takeReadBuffer() {
  auto& cached = spares().buffers;
  if (cached.empty()) {
    return {};
  }
  beast::flat_buffer taken = std::move(cached.back());
  cached.pop_back();
  return taken;
}

void giveReadBuffer(beast::flat_buffer&& buffer) {
  auto& cached = spares().buffers;
  if (cached.size() < kCached && buffer.capacity() > 0) {
    cached.push_back(std::move(buffer));
  } else {
    spares().freed += buffer.capacity();
  }
  buffer = beast::flat_buffer();  // empty either way: the memory went to the cache or is freed
}

void releaseFreedMemory() {
  Spares& c = spares();
  const auto now = std::chrono::steady_clock::now();
  const bool quiet = c.freed >= kTrimQuiet && c.freed == c.freed_seen;
  const bool busy = c.freed >= kTrimBusy && now - c.trimmed >= kTrimEvery;
  c.freed_seen = c.freed;
  if (!quiet && !busy) {
    return;
  }
  c.freed = c.freed_seen = 0;
  c.trimmed = now;
  malloc_trim(0);
}

}  // namespace gw::proxy
