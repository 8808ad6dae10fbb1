#pragma once
// A backend that misbehaves on purpose: it answers each of `connections` connections with
// `answer` (nothing when empty) once the request head is in, then closes the connection.

#include <string>

#include "tests/proxy/support/scripted_backend.hpp"

namespace gw::test {

class BadBackend {
 public:
  BadBackend(std::string answer, int connections);
  std::string endpoint() const { return backend_.endpoint(); }

 private:
  ScriptedBackend backend_;
};

}  // namespace gw::test
