#include "proxy/redis/client.hpp"

#include <boost/asio/buffer.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/write.hpp>
#include <utility>

namespace gw::proxy::redis {

Client::Client(asio::io_context& ioc, tcp::endpoint server, core::RedisStore settings,
               std::shared_ptr<Health> health)
    : socket_(ioc.get_executor()),
      timer_(ioc.get_executor()),
      server_(std::move(server)),
      settings_(std::move(settings)),
      health_(std::move(health)) {}

bool Client::call(const std::vector<std::string_view>& args, Callback done) {
  const auto now = Clock::now();
  if (!health_->allows(now)) {
    return false;
  }
  appendCommand(out_, args);
  pending_.push_back({std::move(done), now + settings_.timeout});
  if (state_ == State::kClosed) {
    connect();
  } else if (state_ == State::kOpen) {
    startWrite();
  }
  armTimer();
  return true;
}

void Client::connect() {
  state_ = State::kConnecting;
  ++generation_;
  parser_ = ReplyParser{};
  // The connection's own commands go first, before anything queued.
  std::string hello;
  std::deque<Pending> own;
  const auto deadline = Clock::now() + settings_.timeout;
  if (!settings_.password.empty()) {
    appendCommand(hello, {"AUTH", settings_.password});
    own.push_back({{}, deadline});
  }
  if (settings_.database != 0) {
    const std::string db = std::to_string(settings_.database);
    appendCommand(hello, {"SELECT", db});
    own.push_back({{}, deadline});
  }
  out_.insert(0, hello);
  pending_.insert(pending_.begin(), own.begin(), own.end());
  socket_.async_connect(server_,
                        [self = shared_from_this(), gen = generation_](const error_code& ec) {
                          if (gen != self->generation_ || self->state_ != State::kConnecting) {
                            return;  // failed (timed out) meanwhile
                          }
                          if (ec) {
                            self->fail("connect: " + ec.message());
                            return;
                          }
                          self->socket_.set_option(tcp::no_delay(true));
                          self->state_ = State::kOpen;
                          self->startRead();
                          self->startWrite();
                        });
}

void Client::startWrite() {
  if (write_busy_ || out_.empty() || state_ != State::kOpen) {
    return;
  }
  write_busy_ = true;
  writing_.swap(out_);
  out_.clear();
  asio::async_write(
      socket_, asio::buffer(writing_),
      [self = shared_from_this(), gen = generation_](const error_code& ec, std::size_t /*n*/) {
        if (gen != self->generation_) {
          return;  // a connection since dropped
        }
        self->write_busy_ = false;
        if (ec) {
          self->fail("write: " + ec.message());
          return;
        }
        self->startWrite();
      });
}

void Client::startRead() {
  socket_.async_read_some(asio::buffer(in_), [self = shared_from_this(), gen = generation_](
                                                 const error_code& ec, std::size_t n) {
    if (gen != self->generation_ || self->state_ != State::kOpen) {
      return;
    }
    if (ec) {
      self->fail(ec == asio::error::eof ? "the server closed the connection"
                                        : "read: " + ec.message());
      return;
    }
    self->parser_.feed(std::string_view(self->in_.data(), n));
    while (auto reply = self->parser_.next()) {
      self->onReply(*reply);
      if (self->state_ != State::kOpen) {
        return;
      }
    }
    if (self->parser_.failed()) {
      self->fail("a reply that is not RESP");
      return;
    }
    self->startRead();
  });
}

void Client::onReply(const Reply& reply) {
  if (pending_.empty()) {
    fail("a reply to nothing");
    return;
  }
  Pending call = std::move(pending_.front());
  pending_.pop_front();
  if (!call.done) {  // AUTH or SELECT: an error there makes every call fail
    if (reply.type == Reply::Type::kError) {
      fail("setup: " + reply.text);
    }
    return;
  }
  health_->succeeded();
  last_used_ = Clock::now();
  call.done(&reply);
  armTimer();
}

void Client::armTimer() {
  Clock::time_point next = kNever;
  if (!pending_.empty()) {
    next = pending_.front().deadline;
  } else if (state_ != State::kClosed) {
    next = last_used_ + kIdle;
  }
  if (next == timer_at_) {
    return;
  }
  timer_at_ = next;
  if (next == kNever) {
    timer_.cancel();
    return;
  }
  timer_.expires_at(next);
  timer_.async_wait([self = shared_from_this(), next](const error_code& ec) {
    if (ec || self->timer_at_ != next) {
      return;
    }
    self->timer_at_ = kNever;
    const auto now = Clock::now();
    if (!self->pending_.empty() && self->pending_.front().deadline <= now) {
      self->fail("no answer within " + core::formatDuration(self->settings_.timeout));
    } else if (self->pending_.empty() && self->last_used_ + kIdle <= now) {
      self->fail("idle", false);  // a client a reload dropped goes away with its socket
    } else {
      self->armTimer();
    }
  });
}

void Client::fail(const std::string& why, bool count) {
  if (count) {
    health_->failed(Clock::now(), "redis " + settings_.address + ": " + why);
  }
  state_ = State::kClosed;
  ++generation_;  // what is still in flight on the old socket is ignored
  write_busy_ = false;
  error_code ignored;
  socket_.close(ignored);
  out_.clear();
  std::deque<Pending> failed;
  failed.swap(pending_);
  timer_at_ = kNever;
  timer_.cancel();
  for (Pending& call : failed) {
    if (call.done) {
      call.done(nullptr);
    }
  }
}

void Client::close() { fail("closed", false); }

}  // namespace gw::proxy::redis
