#include "proxy/session/in_flight.hpp"

#include <utility>
#include <vector>

namespace gw::proxy {
namespace {

// Enough for the requests one worker has in flight at once under a steady load; a burst
// beyond it allocates, and what comes back beyond it is freed.
constexpr std::size_t kCached = 256;

struct Cache {
  std::vector<std::unique_ptr<InFlight>> in_flight;
  std::vector<beast::flat_buffer> buffers;
};

Cache& cache() {
  thread_local Cache per_thread;
  return per_thread;
}

}  // namespace

std::unique_ptr<InFlight> takeInFlight(Worker& worker, Downstream& down) {
  auto& cached = cache().in_flight;
  if (cached.empty()) {
    return std::make_unique<InFlight>(worker, down);
  }
  std::unique_ptr<InFlight> taken = std::move(cached.back());
  cached.pop_back();
  taken->forwarder.attach(down);
  return taken;
}

void giveInFlight(std::unique_ptr<InFlight> in_flight) {
  auto& cached = cache().in_flight;
  if (cached.size() < kCached) {
    cached.push_back(std::move(in_flight));
  }
}

beast::flat_buffer takeReadBuffer() {
  auto& cached = cache().buffers;
  if (cached.empty()) {
    return {};
  }
  beast::flat_buffer taken = std::move(cached.back());
  cached.pop_back();
  return taken;
}

void giveReadBuffer(beast::flat_buffer&& buffer) {
  auto& cached = cache().buffers;
  if (cached.size() < kCached && buffer.capacity() > 0) {
    cached.push_back(std::move(buffer));
  }
  buffer = beast::flat_buffer();  // empty either way: the memory went to the cache or is freed
}

}  // namespace gw::proxy
