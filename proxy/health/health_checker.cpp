#include "proxy/health/health_checker.hpp"

#include <algorithm>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/parser.hpp>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <mutex>
#include <optional>
#include <thread>

#include "proxy/http/headers.hpp"
#include "proxy/observe/event_log.hpp"
#include "proxy/upstream/call.hpp"

namespace gw::proxy::health {
namespace {

constexpr std::uint32_t kHeaderLimit = 16 * 1024;

// One endpoint's probe loop. Lives on the checker thread; stop() makes every pending
// completion a no-op. Each probe is one UpstreamCall on a fresh connection (probes do not
// share the workers' pools), under a timer since this thread has no sweep.
class Probe : public std::enable_shared_from_this<Probe> {
 public:
  Probe(asio::io_context& ioc, CheckTarget target)
      : target_(std::move(target)), timer_(ioc), call_(ioc, UpstreamCall::Deadlines::kTimer) {
    http::request<http::empty_body> request;
    request.method(http::verb::get);
    request.target(target_.check.path.empty() ? "/" : target_.check.path);
    request.version(11);
    request.set(http::field::host, target_.host);
    request.set(http::field::user_agent, "gw-health-check");
    request.set(http::field::connection, "close");
    appendHead(request, request_);
  }

  void start() { schedule(Clock::duration::zero()); }

  void stop() {
    stopped_ = true;
    timer_.cancel();
    call_.noDeadline();
    call_.abort();
  }

 private:
  void schedule(Clock::duration delay) {
    timer_.expires_after(delay);
    timer_.async_wait([self = shared_from_this()](error_code ec) {
      if (!ec && !self->stopped_) {
        self->probe();
      }
    });
  }

  void probe() {
    call_.expiresAt(Clock::now() +
                    std::max<Clock::duration>(target_.check.timeout, core::Millis{1}));
    call_.connect(target_.address, 0, target_.tls.get(), &sessions_,
                  [self = shared_from_this()](error_code ec) { self->onConnect(ec); });
  }

  void onConnect(error_code ec) {
    if (stopped_) {
      return;
    }
    if (ec) {
      finish(false);
      return;
    }
    call_.write(
        asio::buffer(request_),
        [self = shared_from_this()](error_code write_ec, std::size_t) { self->onWrite(write_ec); });
  }

  void onWrite(error_code ec) {
    if (stopped_) {
      return;
    }
    if (ec) {
      finish(false);
      return;
    }
    parser_.emplace();
    parser_->header_limit(kHeaderLimit);
    call_.readHeader(*parser_, [self = shared_from_this()](error_code read_ec, std::size_t) {
      self->onHeader(read_ec);
    });
  }

  void onHeader(error_code ec) {
    if (stopped_) {
      return;
    }
    const unsigned status = ec ? 0 : parser_->get().result_int();
    finish(status >= 200 && status < 400);
  }

  void finish(bool pass) {
    call_.finish(&sessions_, false, Clock::now());  // closed; a TLS session is kept
    const bool was_healthy = target_.state->healthy();
    target_.state->recordProbe(pass, target_.check.healthy_threshold,
                               target_.check.unhealthy_threshold);
    if (target_.state->healthy() != was_healthy) {
      logEvent("health: endpoint " + target_.host + " is now " +
               (was_healthy ? "unhealthy (GET " + target_.check.path + " failed; threshold " +
                                  std::to_string(target_.check.unhealthy_threshold) + ")"
                            : std::string("healthy again")));
    }
    schedule(std::max(target_.check.interval, core::Millis{1}));
  }

  CheckTarget target_;
  asio::steady_timer timer_;
  UpstreamCall call_;
  UpstreamPool sessions_;  // holds no connection: the TLS session the next probe resumes
  std::string request_;    // the probe's request, serialised once
  std::optional<http::response_parser<http::empty_body>> parser_;
  bool stopped_ = false;
};

}  // namespace

struct HealthChecker::Impl {
  asio::io_context ioc{1};
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> guard;
  std::thread thread;
  std::vector<std::shared_ptr<Probe>> probes;  // checker thread only
  std::mutex mutex;                            // guards what follows
  bool started = false;
  bool stopped = false;

  void run() {
    for (;;) {
      try {
        ioc.run();
        return;
      } catch (const std::exception& e) {
        logEvent(std::string("health checks: unexpected error: ") + e.what());
      }
    }
  }

  void stopProbes() {
    for (const auto& probe : probes) {
      probe->stop();
    }
    probes.clear();
  }
};

HealthChecker::HealthChecker() : impl_(std::make_unique<Impl>()) {}

HealthChecker::~HealthChecker() {
  // Stopping joins the probe thread; a process that cannot do that cannot end cleanly.
  try {
    stop();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "gw: cannot stop the health checker: %s\n", e.what());
    std::abort();
  }
}

void HealthChecker::update(std::vector<CheckTarget> targets,
                           std::vector<std::shared_ptr<EndpointState>> unchecked) {
  const std::lock_guard lock(impl_->mutex);
  if (impl_->stopped) {
    return;
  }
  if (!impl_->started) {
    if (targets.empty()) {
      return;  // nothing was ever checked, so every endpoint is still healthy
    }
    impl_->started = true;
    impl_->guard.emplace(impl_->ioc.get_executor());
    impl_->thread = std::thread([impl = impl_.get()] { impl->run(); });
  }
  asio::post(impl_->ioc, [impl = impl_.get(), targets = std::move(targets),
                          unchecked = std::move(unchecked)]() mutable {
    impl->stopProbes();
    for (const auto& state : unchecked) {
      state->passes = 0;
      state->failures = 0;
      state->setHealthy(true);
    }
    for (CheckTarget& target : targets) {
      impl->probes.push_back(std::make_shared<Probe>(impl->ioc, std::move(target)));
      impl->probes.back()->start();
    }
  });
}

void HealthChecker::stop() {
  {
    const std::lock_guard lock(impl_->mutex);
    if (impl_->stopped) {
      return;
    }
    impl_->stopped = true;
    if (!impl_->started) {
      return;
    }
    // Closing the probes completes their operations at once; then run() runs out of work.
    asio::post(impl_->ioc, [impl = impl_.get()] {
      impl->stopProbes();
      impl->guard.reset();
    });
  }
  impl_->thread.join();
}

}  // namespace gw::proxy::health
