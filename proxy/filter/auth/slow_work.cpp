#include "proxy/filter/auth/slow_work.hpp"

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

namespace gw::proxy::filter {
namespace {

class SlowWork {
 public:
  SlowWork() {
    const unsigned threads = std::clamp(std::thread::hardware_concurrency() / 2, 1U, 4U);
    for (unsigned i = 0; i < threads; ++i) {
      std::thread([this] { run(); }).detach();
    }
  }

  bool push(std::function<void()> job) {
    {
      const std::lock_guard lock(mutex_);
      if (jobs_.size() >= kMaxQueued) {
        return false;
      }
      jobs_.push_back(std::move(job));
    }
    ready_.notify_one();
    return true;
  }

 private:
  [[noreturn]] void run() {
    for (;;) {
      std::function<void()> job;
      {
        std::unique_lock lock(mutex_);
        ready_.wait(lock, [this] { return !jobs_.empty(); });
        job = std::move(jobs_.front());
        jobs_.pop_front();
      }
      job();
    }
  }

  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<std::function<void()>> jobs_;
};

}  // namespace

bool runSlow(std::function<void()> job) {
  // Never destroyed: its detached threads may still be waiting when the process exits.
  static auto* work = new SlowWork();  // NOLINT(cppcoreguidelines-owning-memory)
  return work->push(std::move(job));
}

}  // namespace gw::proxy::filter
