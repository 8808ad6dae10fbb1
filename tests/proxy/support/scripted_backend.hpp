#pragma once
// A backend made of a script: it accepts `connections` connections on 127.0.0.1 and runs
// `serve` for each on a thread of its own (so a connection held open keeps none waiting),
// then closes it. `stop` turns true (and is notified) when the backend is being destroyed: a
// script that holds a connection open waits for it with stop.wait(false). The scripts
// misbehave on purpose (bad_backend.hpp, early_backend.hpp).

#include <atomic>
#include <boost/asio/ip/tcp.hpp>
#include <functional>
#include <memory>
#include <string>

namespace gw::test {

class ScriptedBackend {
 public:
  using Serve = std::function<void(boost::asio::ip::tcp::socket&, const std::atomic<bool>& stop)>;

  ScriptedBackend(int connections, Serve serve);
  ~ScriptedBackend();
  ScriptedBackend(const ScriptedBackend&) = delete;
  ScriptedBackend& operator=(const ScriptedBackend&) = delete;

  std::string endpoint() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace gw::test
