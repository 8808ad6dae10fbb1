#pragma once
// Concurrent misses for one key collapsed into one upstream request, as nginx's
// proxy_cache_lock and Varnish's waiting list do: the first request that misses leads (it
// goes to the upstream and fills the cache), the ones after it wait, and when the leader's
// answer is stored (or turns out not to be storable, or fails) every waiter is woken to look
// again: it finds the answer, or goes to the upstream itself. Shared by every worker; the
// lock is held only to join or release, never while a waiter is woken.

#include <functional>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

namespace gw::proxy::cache {

class Collapser {
 public:
  // Called on the leader's thread when it is done; it must post to the waiter's own thread.
  using Wake = std::function<void()>;

  // True: the caller leads the fetch of `key` and must call release(key) when it is done.
  // False: another request leads it, and `wake` runs when it is done.
  bool join(const std::string& key, Wake wake);
  // True when the caller now leads `key` (no request did).
  bool lead(const std::string& key);
  // The leader is done: every waiter is woken.
  void release(const std::string& key);

  std::size_t waiting() const;  // waiters of every key (for tests)

 private:
  mutable std::mutex mutex_;
  std::unordered_map<std::string, std::vector<Wake>> waiters_;
};

}  // namespace gw::proxy::cache
