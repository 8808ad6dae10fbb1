#include "proxy/upstream/call.hpp"

#include <algorithm>
#include <cerrno>

namespace gw::proxy {

UpstreamCall::UpstreamCall(asio::io_context& ioc, Deadlines deadlines) : ioc_(ioc) {
  if (deadlines == Deadlines::kTimer) {
    timer_.emplace(ioc);
    alive_ = std::make_shared<const bool>(true);
  }
}

UpstreamCall::~UpstreamCall() = default;

bool UpstreamCall::takePooled(UpstreamPool& pool, std::uint32_t endpoint_id, Clock::time_point now,
                              bool always_probe) {
  connection_ = pool.take(endpoint_id, now, always_probe);
  return connection_ != nullptr;
}

void UpstreamCall::expiresAt(Clock::time_point deadline) {
  deadline_ = deadline;
  if (timer_) {
    armTimer();
  }
}

void UpstreamCall::noDeadline() {
  deadline_ = kNever;
  if (timer_) {
    timer_->cancel();
  }
}

void UpstreamCall::armTimer() {
  timer_->expires_at(deadline_);
  // A wait that completed just before the call was destroyed may still run: it finds the
  // call gone through `alive_` and touches nothing.
  timer_->async_wait([this, alive = std::weak_ptr<const bool>(alive_)](error_code ec) {
    if (!ec && !alive.expired()) {
      expire(Clock::now());
    }
  });
}

bool UpstreamCall::expire(Clock::time_point now) {
  if (now < deadline_ || !connection_) {
    return false;
  }
  timed_out_ = true;  // the pending step fails; see outcome()
  deadline_ = kNever;
  abort();
  return true;
}

void UpstreamCall::finish(UpstreamPool* pool, bool reusable, Clock::time_point now) {
  noDeadline();
  timed_out_ = false;
  if (!connection_) {
    return;
  }
  if (pool != nullptr && connection_->stream.tls()) {
    pool->keepSession(*connection_);
  }
  if (reusable && pool != nullptr) {
    pool->put(std::move(connection_), now);
    return;
  }
  abort();
  connection_.reset();
}

void UpstreamCall::abort() {
  if (connection_) {
    error_code ec;
    connection_->stream.close(ec);
  }
}

void UpstreamCall::cancel() {
  if (connection_) {
    error_code ec;
    connection_->stream.cancel(ec);
  }
}

std::size_t UpstreamCall::readNow(error_code& ec) {
  auto& buffer = connection_->buffer;
  const std::size_t room = buffer.max_size() - buffer.size();
  if (room == 0) {
    ec = http::error::buffer_overflow;
    return 0;
  }
  tls::Stream& stream = connection_->stream;
  if (!stream.tls()) {
    const std::size_t available = stream.socket().available(ec);
    if (!ec && available == 0) {
      ec = asio::error::eof;  // readable with nothing to read: the end of the stream
    }
    if (ec) {
      return 0;
    }
    const std::size_t n = stream.socket().read_some(buffer.prepare(std::min(available, room)), ec);
    buffer.commit(n);
    return n;
  }
  // What OpenSSL can decrypt now, a record at a time (at most 16 KiB each).
  const ssize_t n = stream.tryRead(buffer.prepare(std::min<std::size_t>(room, 16 * 1024)));
  if (n > 0) {
    buffer.commit(static_cast<std::size_t>(n));
    return static_cast<std::size_t>(n);
  }
  if (n == 0) {
    ec = asio::error::eof;
  } else if (errno != EAGAIN) {
    ec = asio::error::connection_reset;
  }
  return 0;
}

}  // namespace gw::proxy
