#include "proxy/redis/health.hpp"

#include <map>

namespace gw::proxy::redis {
namespace {

std::int64_t ticks(std::chrono::steady_clock::time_point t) { return t.time_since_epoch().count(); }

struct Board {
  std::mutex mutex;
  std::map<std::string, std::weak_ptr<Health>> servers;
};

Board& board() {
  static Board servers;
  return servers;
}

}  // namespace

bool Health::allows(std::chrono::steady_clock::time_point now) const {
  return in_a_row_.load(std::memory_order_relaxed) < kThreshold ||
         ticks(now) >= open_until_.load(std::memory_order_relaxed);
}

void Health::succeeded() {
  calls_.fetch_add(1, std::memory_order_relaxed);
  in_a_row_.store(0, std::memory_order_relaxed);
}

void Health::failed(std::chrono::steady_clock::time_point now, const std::string& why) {
  calls_.fetch_add(1, std::memory_order_relaxed);
  failures_.fetch_add(1, std::memory_order_relaxed);
  if (in_a_row_.fetch_add(1, std::memory_order_relaxed) + 1 >= kThreshold) {
    open_until_.store(ticks(now + kOpenFor), std::memory_order_relaxed);
  }
  const std::lock_guard lock(error_mutex_);
  last_error_ = why;
}

Health::View Health::view() const {
  View v;
  v.address = address_;
  v.open = !allows(std::chrono::steady_clock::now());
  v.failures = failures_.load(std::memory_order_relaxed);
  v.calls = calls_.load(std::memory_order_relaxed);
  const std::lock_guard lock(error_mutex_);
  v.last_error = last_error_;
  return v;
}

std::shared_ptr<Health> healthFor(const std::string& address) {
  Board& b = board();
  const std::lock_guard lock(b.mutex);
  auto& slot = b.servers[address];
  auto health = slot.lock();
  if (!health) {
    health = std::make_shared<Health>(address);
    slot = health;
  }
  return health;
}

std::vector<Health::View> healthViews() {
  Board& b = board();
  const std::lock_guard lock(b.mutex);
  std::vector<Health::View> out;
  for (auto it = b.servers.begin(); it != b.servers.end();) {
    if (auto health = it->second.lock()) {
      out.push_back(health->view());
      ++it;
    } else {
      it = b.servers.erase(it);
    }
  }
  return out;
}

}  // namespace gw::proxy::redis
