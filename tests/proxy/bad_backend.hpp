#pragma once
// A backend that misbehaves on purpose: it answers each of `connections` connections with
// `answer` (nothing when empty) once the request head is in, then closes the connection.

#include <memory>
#include <string>

namespace gw::test {

class BadBackend {
 public:
  BadBackend(std::string answer, int connections);
  ~BadBackend();
  BadBackend(const BadBackend&) = delete;
  BadBackend& operator=(const BadBackend&) = delete;

  std::string endpoint() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace gw::test
