#pragma once
// A backend that answers before it has a request's body, on each of `connections`
// connections (each served on its own thread). Once a request head is in it sends `early`;
// then either it keeps the connection open without reading anything more until the backend
// is destroyed (an upstream that refuses an upload and stops reading, with no close to tell),
// or, with `then_status`, it reads the whole Content-Length body, answers that status with
// the number of body bytes it read as the body, and closes.

#include <string>

#include "tests/proxy/scripted_backend.hpp"

namespace gw::test {

class EarlyBackend {
 public:
  EarlyBackend(std::string early, int connections, unsigned then_status = 0);
  std::string endpoint() const { return backend_.endpoint(); }

 private:
  ScriptedBackend backend_;
};

}  // namespace gw::test
