#pragma once
// State a filter keeps across requests (rate-limit buckets, counters, caches), kept across
// reloads the way endpoint health is: a snapshot build asks for the state of filter `name`
// in `scope` ("route/shop", "gateway/edge") together with the filter's spec, and gets the
// object the previous snapshot used when the spec is the same (compared with ==), a fresh
// one when the filter is new or its spec changed. After a snapshot is published, sweep()
// forgets the states its build did not ask for (a snapshot still serving keeps its own
// alive: the ownership is shared).
//
// Control plane only: builds are serialised by the server, so there is no lock here. What
// a state does on the request path (atomics, per-worker slots) is its own business.

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <typeindex>
#include <utility>

namespace gw::proxy::filter {

class StateRegistry {
 public:
  template <class State, class Spec, class Make>
  std::shared_ptr<State> stateFor(std::string_view scope, std::string_view name, const Spec& spec,
                                  Make&& make) {
    std::string key = std::string(scope) + '\x1f' + std::string(name);
    Entry& entry = entries_[std::move(key)];
    const std::type_index type = typeid(State);
    const auto* kept = static_cast<const Spec*>(entry.spec.get());
    if (entry.state && entry.type == type && entry.spec_type == std::type_index(typeid(Spec)) &&
        *kept == spec) {
      entry.used = true;
      return std::static_pointer_cast<State>(entry.state);
    }
    std::shared_ptr<State> state = std::forward<Make>(make)();
    entry.state = state;
    entry.type = type;
    entry.spec = std::make_shared<const Spec>(spec);
    entry.spec_type = typeid(Spec);
    entry.used = true;
    return state;
  }

  // After a snapshot was published: forgets the states its build did not ask for.
  void sweep();
  std::size_t size() const { return entries_.size(); }

 private:
  struct Entry {
    std::shared_ptr<void> state;
    std::type_index type = typeid(void);
    std::shared_ptr<const void> spec;
    std::type_index spec_type = typeid(void);
    bool used = false;
  };
  std::map<std::string, Entry, std::less<>> entries_;
};

}  // namespace gw::proxy::filter
