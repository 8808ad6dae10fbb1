#pragma once
// A backend on 127.0.0.1 that counts the requests it receives and answers each with one
// fixed status after an optional delay (keep-alive, empty body): the always-503 upstream of
// the retry tests, the slow or counting mirror of the mirror tests. Runs on its own thread.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace gw::test {

class CountingBackend {
 public:
  explicit CountingBackend(unsigned status, std::chrono::milliseconds delay = {});
  ~CountingBackend();
  CountingBackend(const CountingBackend&) = delete;
  CountingBackend& operator=(const CountingBackend&) = delete;

  std::string endpoint() const;
  int requests() const { return requests_.load(); }
  // The value of header `name` in the last request ("" when absent).
  std::string lastHeader(const std::string& name) const;
  std::string lastMethod() const;
  std::string lastTarget() const;

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
  std::atomic<int> requests_{0};
  std::thread thread_;
};

}  // namespace gw::test
