#include "proxy/aggregate/fan_out.hpp"

#include <boost/asio/post.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <optional>

#include "core/config/model.hpp"
#include "proxy/runtime/worker.hpp"
#include "proxy/session/connection.hpp"
#include "proxy/snapshot/snapshot.hpp"
#include "proxy/upstream/call.hpp"

namespace gw::proxy::aggregate {
namespace {

constexpr std::uint32_t kHeaderLimit = 64 * 1024;

std::string describeError(error_code ec, std::chrono::milliseconds timeout) {
  if (ec == beast::error::timeout) {
    return "timed out after " + core::formatDuration(timeout);
  }
  if (ec == http::error::body_limit) {
    return "answered with a body over the aggregate's maxBodySize";
  }
  if (ec == asio::error::connection_refused) {
    return "connection refused";
  }
  if (ec == http::error::end_of_stream || ec == asio::error::eof ||
      ec == asio::error::connection_reset) {
    return "closed the connection before answering";
  }
  return "failed: " + ec.message();
}

class FanOut final : public Connection, public std::enable_shared_from_this<FanOut> {
 public:
  struct Call {
    explicit Call(asio::io_context& ioc) : call(ioc) {}
    UpstreamCall call;
    std::optional<http::response_parser<http::string_body>> parser;
    const EndpointEntry* endpoint = nullptr;
    std::uint32_t endpoint_index = 0;
    Clock::time_point started{};
    bool reused = false;  // on a pooled connection, which the upstream may have closed
    bool done = false;
  };

  FanOut(Worker& worker, const Snapshot& snapshot, std::vector<CallPlan> plans,
         std::int64_t max_body, Clock::time_point deadline, std::chrono::milliseconds timeout,
         Done done)
      : worker_(worker),
        snapshot_(snapshot),
        plans_(std::move(plans)),
        outcomes_(plans_.size()),
        max_body_(max_body),
        deadline_(deadline),
        timeout_(timeout),
        done_(std::move(done)) {
    worker_.attach(this);
  }
  ~FanOut() override { worker_.detach(this); }

  void start() {
    const auto now = Clock::now();
    calls_.reserve(plans_.size());
    for (std::size_t i = 0; i < plans_.size(); ++i) {
      calls_.push_back(std::make_unique<Call>(worker_.context()));
      if (plans_[i].request.empty()) {
        outcomes_[i].error = plans_[i].skipped;
        calls_[i]->done = true;
        continue;
      }
      ++pending_;
      launch(i, now);
    }
    if (pending_ == 0) {  // nothing to wait for: answer from the worker's loop, not from here
      asio::post(worker_.context(), [self = shared_from_this()] { self->finish(); });
    }
  }

  void onDrain() override {}  // a request in flight: it ends by its deadline
  void closeNow() override {
    for (auto& call : calls_) {
      if (!call->done) {
        call->call.noDeadline();
        call->call.abort();
      }
    }
  }
  void onTick(Clock::time_point now) override {
    for (auto& call : calls_) {
      if (!call->done) {
        call->call.expire(now);
      }
    }
  }

 private:
  void launch(std::size_t i, Clock::time_point now) {
    Call& call = *calls_[i];
    const ServiceEntry& service = snapshot_.services[plans_[i].service];
    call.endpoint_index = plans_[i].endpoint;
    call.endpoint = &service.endpoints[call.endpoint_index];
    call.started = now;
    call.call.expiresAt(deadline_);
    call.reused = call.call.takePooled(worker_.pool(), call.endpoint->id, now, false);
    if (call.reused) {
      send(i);
      return;
    }
    connect(i);
  }

  void connect(std::size_t i) {
    Call& call = *calls_[i];
    call.call.connect(call.endpoint->address, call.endpoint->id, call.endpoint->tls.get(),
                      &worker_.pool(), [self = shared_from_this(), i](error_code ec) {
                        if (ec) {
                          return self->complete(i, ec);
                        }
                        self->send(i);
                      });
  }

  // A pooled connection that failed before any answer came (the upstream closed it, its idle
  // timeout racing the request) is no failure of the backend: as a forward's stale retry
  // (retry/tries.hpp), the call goes again on a fresh connection, once.
  bool retryFresh(std::size_t i, error_code ec) {
    Call& call = *calls_[i];
    if (!call.reused || ec == beast::error::timeout || (call.parser && call.parser->got_some())) {
      return false;
    }
    call.reused = false;
    call.call.finish(nullptr, false, Clock::now());
    call.call.expiresAt(deadline_);
    connect(i);
    return true;
  }

  void send(std::size_t i) {
    Call& call = *calls_[i];
    call.parser.emplace();
    call.parser->header_limit(kHeaderLimit);
    call.parser->body_limit(static_cast<std::uint64_t>(max_body_));
    call.call.write(asio::buffer(plans_[i].request),
                    [self = shared_from_this(), i](error_code ec, std::size_t /*n*/) {
                      if (ec) {
                        return self->complete(i, ec);
                      }
                      self->read(i);
                    });
  }

  void read(std::size_t i) {
    Call& call = *calls_[i];
    call.call.read(*call.parser, [self = shared_from_this(), i](error_code ec, std::size_t /*n*/) {
      self->complete(i, ec);
    });
  }

  void complete(std::size_t i, error_code ec) {
    Call& call = *calls_[i];
    if (call.done) {
      return;
    }
    ec = call.call.outcome(ec);
    if (ec && retryFresh(i, ec)) {
      return;
    }
    call.done = true;
    Outcome& outcome = outcomes_[i];
    unsigned status = 0;
    const auto now = Clock::now();
    if (ec) {
      outcome.error = describeError(ec, timeout_);
      call.call.finish(nullptr, false, now);
    } else {
      auto& res = call.parser->get();
      status = res.result_int();
      if (status >= 200 && status < 300) {
        outcome.answered = true;
        outcome.body = std::move(res.body());
      } else {
        outcome.error = "answered " + std::to_string(status);
      }
      call.call.finish(&worker_.pool(), call.parser->keep_alive(), now);
    }
    count(i, status, now);
    if (--pending_ == 0) {
      finish();
    }
  }

  void count(std::size_t i, unsigned status, Clock::time_point now) const {
    if (!snapshot_.stats) {
      return;
    }
    const auto micros = static_cast<std::uint64_t>(
        std::chrono::duration_cast<std::chrono::microseconds>(now - calls_[i]->started).count());
    const auto& services = snapshot_.stats->services;
    const std::uint32_t service = plans_[i].service;
    if (service < services.size()) {
      if (services[service].node) {
        services[service].node->record(worker_.index(), status, micros);
      }
      const auto& endpoints = services[service].endpoints;
      if (calls_[i]->endpoint_index < endpoints.size() && endpoints[calls_[i]->endpoint_index]) {
        endpoints[calls_[i]->endpoint_index]->record(worker_.index(), status, micros);
      }
    }
  }

  void finish() {
    if (done_) {
      auto done = std::move(done_);
      done_ = nullptr;
      done(std::move(outcomes_));
    }
  }

  Worker& worker_;
  const Snapshot& snapshot_;
  std::vector<CallPlan> plans_;
  std::vector<Outcome> outcomes_;
  std::vector<std::unique_ptr<Call>> calls_;
  std::size_t pending_ = 0;
  std::int64_t max_body_;
  Clock::time_point deadline_;         // every call's
  std::chrono::milliseconds timeout_;  // what it was, for the error
  Done done_;
};

}  // namespace

void fanOut(Worker& worker, const Snapshot& snapshot, std::vector<CallPlan> plans,
            std::int64_t max_body, Clock::time_point deadline, std::chrono::milliseconds timeout,
            Done done) {
  std::make_shared<FanOut>(worker, snapshot, std::move(plans), max_body, deadline, timeout,
                           std::move(done))
      ->start();
}

}  // namespace gw::proxy::aggregate
