#pragma once
// What a worker needs of every client connection it owns (HTTP sessions and TLS refusals):
// drain asks it to stop after the current exchange (closing at once when idle), closeNow
// ends it, and onTick lets it enforce its deadlines. Deadlines are plain time points checked
// by the worker's periodic sweep, so arming one costs a store instead of a timer operation.
// Workers keep their connections in an intrusive list; no allocation per link.

#include "proxy/net.hpp"

namespace gw::proxy {

class Connection {
 public:
  virtual ~Connection() = default;
  virtual void onDrain() = 0;
  virtual void closeNow() = 0;
  virtual void onTick(Clock::time_point now) = 0;

 private:
  friend class Worker;
  Connection* prev_ = nullptr;
  Connection* next_ = nullptr;
};

}  // namespace gw::proxy
