#include "proxy/runtime/worker.hpp"

#include <pthread.h>

#include <boost/asio/post.hpp>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <random>
#include <string>

#include "proxy/observe/event_log.hpp"
#include "proxy/runtime/listener.hpp"
#include "proxy/session/in_flight.hpp"

namespace gw::proxy {
namespace {

constexpr auto kFlushEvery = std::chrono::seconds(1);
// How often connection deadlines are checked: the precision of every timeout.
constexpr auto kSweepEvery = std::chrono::milliseconds(50);
// After finish(), the thread should return as soon as the aborted operations complete; this
// bounds the wait should something keep it busy.
constexpr auto kJoinGrace = std::chrono::seconds(3);

std::uint64_t seed() {
  std::random_device device;
  const std::uint64_t value = std::uint64_t{device()} << 32 | device();
  return value == 0 ? 0x9e3779b97f4a7c15ULL : value;  // xorshift must not start at zero
}

}  // namespace

Worker::Worker(int index, const AccessLogFile* access_log)
    : index_(index), rng_state_(seed()), flush_timer_(ioc_), sweep_timer_(ioc_) {
  if (access_log != nullptr) {
    access_writer_.emplace(*access_log);
  }
  guard_.emplace(ioc_.get_executor());
}

Worker::~Worker() {
  // A worker thread that cannot be stopped and joined would outlive what it points into.
  try {
    if (thread_.joinable()) {
      finish();
      join();
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "gw proxy: worker %d: cannot stop: %s\n", index_, e.what());
    std::abort();
  }
}

void Worker::start() {
  asio::post(ioc_, [this] {
    scheduleSweep();
    if (access_writer_) {
      scheduleFlush();
    }
  });
  thread_ = std::thread([this] { run(); });
}

void Worker::run() {
  // "gw-worker-N" in top -H, perf and /proc/PID/task/*/comm (at most 15 characters).
  const std::string name = "gw-worker-" + std::to_string(index_ % 100000);
  pthread_setname_np(pthread_self(), name.c_str());
  for (;;) {
    try {
      ioc_.run();
      break;
    } catch (const std::exception& e) {
      logEvent("worker " + std::to_string(index_) + ": unexpected error: " + e.what());
    }
  }
  const std::lock_guard lock(stopped_mutex_);
  stopped_ = true;
  stopped_cv_.notify_all();
}

void Worker::apply(std::shared_ptr<const Snapshot> snapshot, std::vector<OpenedListener> opened,
                   std::vector<std::uint32_t> closed, std::function<void()> done) {
  asio::post(ioc_, [this, snapshot = std::move(snapshot), opened = std::move(opened),
                    closed = std::move(closed), done = std::move(done)]() mutable {
    for (OpenedListener& listener : opened) {
      auto slot = std::make_shared<ListenerSlot>(*this, listener.id, listener.protocol,
                                                 std::move(listener.acceptor));
      if (!draining_) {
        slot->accept();
      }
      listeners_[listener.id] = std::move(slot);
    }
    for (const std::uint32_t id : closed) {
      const auto it = listeners_.find(id);
      if (it != listeners_.end()) {
        it->second->close();
        listeners_.erase(it);
      }
    }
    if (snapshot) {
      std::vector<bool> kept;
      for (const ServiceEntry& service : snapshot->services) {
        for (const EndpointEntry& endpoint : service.endpoints) {
          if (endpoint.id >= kept.size()) {
            kept.resize(endpoint.id + 1);
          }
          kept[endpoint.id] = true;
        }
      }
      pool_.retain(kept);
      snapshot_ = std::move(snapshot);
    }
    done();
  });
}

void Worker::closeListeners() {
  for (auto& [id, slot] : listeners_) {
    slot->close();
  }
  listeners_.clear();
}

void Worker::beginDrain() {
  asio::post(ioc_, [this] {
    draining_ = true;
    closeListeners();
    pool_.closeAll();
    for (Connection* c = connections_; c != nullptr;) {
      Connection* next = c->next_;
      c->onDrain();
      c = next;
    }
  });
}

void Worker::finish() {
  asio::post(ioc_, [this] {
    draining_ = true;
    closeListeners();
    for (Connection* c = connections_; c != nullptr;) {
      Connection* next = c->next_;
      c->closeNow();
      c = next;
    }
    pool_.closeAll();
    for (const auto& close : at_finish_) {
      close();
    }
    at_finish_.clear();
    flush_timer_.cancel();
    sweep_timer_.cancel();
    if (access_writer_) {
      access_writer_->flush();
    }
    guard_.reset();
  });
}

void Worker::join() {
  if (!thread_.joinable()) {
    return;
  }
  {
    std::unique_lock lock(stopped_mutex_);
    if (!stopped_cv_.wait_for(lock, kJoinGrace, [this] { return stopped_; })) {
      ioc_.stop();
    }
  }
  thread_.join();
}

std::uint32_t Worker::roll() {
  // xorshift64*: a few instructions, plenty for spreading traffic by weight.
  rng_state_ ^= rng_state_ >> 12;
  rng_state_ ^= rng_state_ << 25;
  rng_state_ ^= rng_state_ >> 27;
  return static_cast<std::uint32_t>((rng_state_ * 0x2545F4914F6CDD1DULL) >> 32);
}

void Worker::attach(Connection* connection) {
  connection->prev_ = nullptr;
  connection->next_ = connections_;
  if (connections_ != nullptr) {
    connections_->prev_ = connection;
  }
  connections_ = connection;
  connection_count_.store(connection_count_.load(std::memory_order_relaxed) + 1,
                          std::memory_order_relaxed);
}

void Worker::detach(Connection* connection) {
  if (connection->prev_ != nullptr) {
    connection->prev_->next_ = connection->next_;
  } else if (connections_ == connection) {
    connections_ = connection->next_;
  }
  if (connection->next_ != nullptr) {
    connection->next_->prev_ = connection->prev_;
  }
  connection->prev_ = connection->next_ = nullptr;
  connection_count_.store(connection_count_.load(std::memory_order_relaxed) - 1,
                          std::memory_order_relaxed);
}

void Worker::scheduleSweep() {
  sweep_timer_.expires_after(kSweepEvery);
  sweep_timer_.async_wait([this](error_code ec) {
    if (ec) {
      return;
    }
    const auto now = Clock::now();
    for (Connection* c = connections_; c != nullptr;) {
      Connection* next = c->next_;
      c->onTick(now);
      c = next;
    }
    releaseFreedMemory();
    scheduleSweep();
  });
}

void Worker::scheduleFlush() {
  flush_timer_.expires_after(kFlushEvery);
  flush_timer_.async_wait([this](error_code ec) {
    if (ec || !access_writer_) {
      return;
    }
    access_writer_->flush();
    scheduleFlush();
  });
}

}  // namespace gw::proxy
