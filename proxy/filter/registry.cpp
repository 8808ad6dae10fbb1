#include "proxy/filter/registry.hpp"

namespace gw::proxy::filter {

void StateRegistry::sweep() {
  for (auto it = entries_.begin(); it != entries_.end();) {
    if (!it->second.used) {
      it = entries_.erase(it);
      continue;
    }
    it->second.used = false;
    ++it;
  }
}

}  // namespace gw::proxy::filter
