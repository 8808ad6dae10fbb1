#include "proxy/upstream/mirror.hpp"

#include <array>
#include <boost/beast/http/buffer_body.hpp>
#include <boost/beast/http/parser.hpp>
#include <memory>

#include "proxy/runtime/worker.hpp"
#include "proxy/session/connection.hpp"
#include "proxy/snapshot/snapshot.hpp"
#include "proxy/upstream/call.hpp"

namespace gw::proxy {
namespace {

constexpr std::string_view kMarker = "x-gw-mirror: 1\r\n";
constexpr std::uint32_t kHeaderLimit = 64 * 1024;

// Copies in flight on this thread. Each worker is one thread, so this is the worker's own
// count without a lock or a field in Worker; signed because a call destroyed at shutdown
// may be destroyed on another thread.
thread_local int mirrors_in_flight = 0;

// One mirrored request. A Connection of the worker, so the worker's sweep enforces its
// deadline and drain or shutdown closes it at once (a copy never holds a drain up).
class MirrorCall final : public Connection, public std::enable_shared_from_this<MirrorCall> {
 public:
  MirrorCall(Worker& worker, const EndpointEntry& endpoint, std::string bytes, bool head_request,
             std::shared_ptr<StatsNode> stats)
      : worker_(worker),
        stats_(std::move(stats)),
        address_(endpoint.address),
        id_(endpoint.id),
        tls_(endpoint.tls),
        bytes_(std::move(bytes)),
        call_(worker.context()) {
    ++mirrors_in_flight;
    worker_.attach(this);
    parser_.header_limit(kHeaderLimit);
    parser_.body_limit(boost::none);  // drained through a small buffer, never held
    parser_.skip(head_request);
  }
  ~MirrorCall() override {
    --mirrors_in_flight;
    worker_.detach(this);
  }

  void start() {
    const auto now = Clock::now();
    call_.expiresAt(now + kMirrorTimeout);
    if (call_.takePooled(worker_.pool(), id_, now, false)) {
      send();
      return;
    }
    call_.connect(
        address_, id_, tls_.get(), &worker_.pool(),
        [self = shared_from_this()](error_code ec) { self->guarded(ec, [&] { self->send(); }); });
  }

  void onDrain() override { closeNow(); }
  void closeNow() override {
    count(0);
    closed_ = true;
    call_.noDeadline();
    call_.abort();
  }
  void onTick(Clock::time_point now) override {
    if (call_.expire(now)) {
      count(0);
      closed_ = true;
    }
  }

 private:
  // Any failure ends the copy quietly; nothing of it may reach the primary.
  template <class Fn>
  void guarded(error_code ec, Fn&& fn) {
    if (ec == http::error::need_buffer) {
      ec = {};
    }
    if (ec || closed_) {
      closeNow();
      return;
    }
    try {
      fn();
    } catch (...) {
      closeNow();
    }
  }

  void send() {
    call_.write(asio::buffer(bytes_), [self = shared_from_this()](error_code ec, std::size_t) {
      self->guarded(ec, [&] { self->read(); });
    });
  }

  void read() {
    auto& body = parser_.get().body();
    body.data = discard_.data();
    body.size = discard_.size();
    call_.read(parser_, [self = shared_from_this()](error_code ec, std::size_t) {
      self->guarded(ec, [&] { self->onRead(); });
    });
  }

  void onRead() {
    if (!parser_.is_done()) {
      read();
      return;
    }
    count(parser_.get().result_int());
    call_.finish(&worker_.pool(), parser_.keep_alive(), Clock::now());
    closed_ = true;
  }

  // Once per copy, on the worker's thread: the answer's status, or 0 for none.
  void count(unsigned status) {
    if (counted_ || !stats_) {
      return;
    }
    counted_ = true;
    const auto micros =
        std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - started_).count();
    stats_->record(worker_.index(), status, static_cast<std::uint64_t>(micros));
  }

  Worker& worker_;
  std::shared_ptr<StatsNode> stats_;
  Clock::time_point started_ = Clock::now();
  bool counted_ = false;
  tcp::endpoint address_;
  std::uint32_t id_;
  std::shared_ptr<const tls::EndpointTls> tls_;  // null: plain TCP
  std::string bytes_;
  UpstreamCall call_;
  http::response_parser<http::buffer_body> parser_;
  std::array<char, 4096> discard_{};
  bool closed_ = false;
};

}  // namespace

void sendMirror(Worker& worker, const EndpointEntry& endpoint, std::string_view head,
                std::string_view body, bool head_request, std::shared_ptr<StatsNode> stats) {
  if (mirrors_in_flight >= kMaxMirrorsInFlight || worker.draining() || head.size() < 2) {
    return;
  }
  std::string bytes;
  bytes.reserve(head.size() + kMarker.size() + body.size());
  bytes.append(head.substr(0, head.size() - 2));  // before the blank line
  bytes.append(kMarker);
  bytes.append("\r\n");
  bytes.append(body);
  std::make_shared<MirrorCall>(worker, endpoint, std::move(bytes), head_request, std::move(stats))
      ->start();
}

}  // namespace gw::proxy
