#include "proxy/cache/collapse.hpp"

namespace gw::proxy::cache {

bool Collapser::join(const std::string& key, Wake wake) {
  const std::lock_guard lock(mutex_);
  const auto [it, inserted] = waiters_.try_emplace(key);
  if (!inserted) {
    it->second.push_back(std::move(wake));
  }
  return inserted;
}

bool Collapser::lead(const std::string& key) {
  const std::lock_guard lock(mutex_);
  return waiters_.try_emplace(key).second;
}

void Collapser::release(const std::string& key) {
  std::vector<Wake> woken;
  {
    const std::lock_guard lock(mutex_);
    const auto it = waiters_.find(key);
    if (it == waiters_.end()) {
      return;
    }
    woken = std::move(it->second);
    waiters_.erase(it);
  }
  for (Wake& wake : woken) {
    wake();
  }
}

std::size_t Collapser::waiting() const {
  const std::lock_guard lock(mutex_);
  std::size_t n = 0;
  for (const auto& [key, list] : waiters_) {
    n += list.size();
  }
  return n;
}

}  // namespace gw::proxy::cache
