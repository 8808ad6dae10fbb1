#pragma once
// Stable small integers for things that outlive one config snapshot: a listener keeps its
// id (and its open sockets) across reloads while its address, port and protocol stay the
// same; an upstream endpoint keeps its id so each worker's connection pool survives reloads.
// Used on the control plane only (snapshot building), under the caller's lock.

#include <cstdint>
#include <string>
#include <unordered_map>

namespace gw::proxy {

class IdRegistry {
 public:
  std::uint32_t idFor(const std::string& key) {
    const auto [it, inserted] = ids_.try_emplace(key, next_);
    if (inserted) {
      ++next_;
    }
    return it->second;
  }
  std::uint32_t size() const { return next_; }

 private:
  std::unordered_map<std::string, std::uint32_t> ids_;
  std::uint32_t next_ = 0;
};

}  // namespace gw::proxy
