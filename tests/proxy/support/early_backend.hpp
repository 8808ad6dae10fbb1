#pragma once
// A backend that answers before it has a request's body, on each of `connections`
// connections (each served on its own thread). Once a request head is in it sends `early`;
// then, without `then`, it keeps the connection open reading nothing more until the backend
// is destroyed (an upstream that refuses an upload and stops reading, with no close to
// tell); with `then`, it reads the whole Content-Length body, sends then(bytes read) and
// closes.

#include <functional>
#include <string>

#include "tests/proxy/support/scripted_backend.hpp"

namespace gw::test {

class EarlyBackend {
 public:
  using Then = std::function<std::string(std::size_t body_bytes)>;

  EarlyBackend(std::string early, int connections, Then then = {});
  std::string endpoint() const { return backend_.endpoint(); }

 private:
  ScriptedBackend backend_;
};

// then(): a whole answer with `status` whose body is the number of body bytes read.
EarlyBackend::Then answerCount(unsigned status);

}  // namespace gw::test
