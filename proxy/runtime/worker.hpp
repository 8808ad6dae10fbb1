#pragma once
// One worker thread: its own io_context (concurrency hint 1), one SO_REUSEPORT acceptor per
// listener, its client connections, their upstream connections and its upstream pool. Every
// member below "worker thread only" is touched by that thread alone, so the request path
// takes no lock; the control plane reaches a worker by posting to its io_context.

#include <atomic>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/steady_timer.hpp>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>
#include <vector>

#include "core/config/model.hpp"
#include "proxy/net.hpp"
#include "proxy/observe/access_log.hpp"
#include "proxy/session/connection.hpp"
#include "proxy/snapshot/snapshot.hpp"
#include "proxy/upstream/pool.hpp"

namespace gw::proxy {

class ListenerSlot;

struct OpenedListener {
  std::uint32_t id = 0;
  core::Protocol protocol = core::Protocol::kHttp;
  Acceptor acceptor;
};

class Worker {
 public:
  Worker(int index, const AccessLogFile* access_log);
  ~Worker();
  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;

  void start();
  asio::io_context& context() { return ioc_; }
  int index() const { return index_; }

  // Any thread: each posts to the worker, which then serves `snapshot`, accepts on `opened`
  // and stops accepting on `closed`, and calls `done` on its own thread.
  void apply(std::shared_ptr<const Snapshot> snapshot, std::vector<OpenedListener> opened,
             std::vector<std::uint32_t> closed, std::function<void()> done);
  void beginDrain();  // stop accepting; connections end after their current request
  void finish();      // close what is left; the thread then returns
  void join();
  std::size_t connections() const { return connection_count_.load(std::memory_order_relaxed); }
  std::uint64_t requests() const { return requests_.load(std::memory_order_relaxed); }

  // Worker thread only.
  const std::shared_ptr<const Snapshot>& snapshot() const { return snapshot_; }
  UpstreamPool& pool() { return pool_; }
  AccessLogWriter* accessLog() { return access_writer_ ? &*access_writer_ : nullptr; }
  bool draining() const { return draining_; }
  std::uint32_t roll();
  void countRequest() {
    requests_.store(requests_.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
  }
  // Something of the worker's to close when it finishes (a Redis connection, ...).
  void atFinish(std::function<void()> close) { at_finish_.push_back(std::move(close)); }
  void attach(Connection* connection);
  void detach(Connection* connection);

 private:
  void run();
  void scheduleFlush();
  void scheduleSweep();
  void closeListeners();

  std::vector<std::function<void()>> at_finish_;
  const int index_;
  // Declared before the io_context: connections still owned by handlers are destroyed with
  // it and unlink themselves from this list.
  Connection* connections_ = nullptr;
  std::atomic<std::size_t> connection_count_{0};
  alignas(64) std::atomic<std::uint64_t> requests_{0};

  asio::io_context ioc_{1};
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> guard_;
  std::thread thread_;
  std::mutex stopped_mutex_;
  std::condition_variable stopped_cv_;
  bool stopped_ = false;

  std::shared_ptr<const Snapshot> snapshot_;
  std::unordered_map<std::uint32_t, std::shared_ptr<ListenerSlot>> listeners_;
  UpstreamPool pool_;
  std::uint64_t rng_state_;
  bool draining_ = false;
  std::optional<AccessLogWriter> access_writer_;
  asio::steady_timer flush_timer_;
  asio::steady_timer sweep_timer_;
};

}  // namespace gw::proxy
