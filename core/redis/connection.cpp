#include "core/redis/connection.hpp"

#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "core/net/host_port.hpp"

namespace gw::redis {
namespace {

using Clock = std::chrono::steady_clock;

int millisLeft(Clock::time_point deadline) {
  const auto left =
      std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
  return left <= 0 ? 0 : static_cast<int>(left);
}

// Waits for `events` on `fd` until the deadline: true when ready.
bool waitFor(int fd, short events, Clock::time_point deadline) {
  pollfd p{fd, events, 0};
  for (;;) {
    const int n = ::poll(&p, 1, millisLeft(deadline));
    if (n > 0) {
      return true;
    }
    if (n == 0 || errno != EINTR) {
      return false;
    }
  }
}

// A connected non-blocking socket to one of the address's hosts, or -1 and why not.
int openSocket(const core::net::HostPort& where, Clock::time_point deadline, std::string& why) {
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  const std::string port = std::to_string(where.port);
  if (const int rc = ::getaddrinfo(where.host.c_str(), port.c_str(), &hints, &found); rc != 0) {
    why = std::string("cannot resolve: ") + ::gai_strerror(rc);
    return -1;
  }
  why = "no address";
  int connected = -1;
  for (const addrinfo* a = found; a != nullptr && connected < 0; a = a->ai_next) {
    const int fd = ::socket(a->ai_family, a->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) {
      why = std::strerror(errno);
      continue;
    }
    int error = ::connect(fd, a->ai_addr, a->ai_addrlen) == 0 ? 0 : errno;
    if (error == EINPROGRESS) {
      error = ETIMEDOUT;
      if (waitFor(fd, POLLOUT, deadline)) {
        socklen_t len = sizeof error;
        ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &len);
      }
    }
    if (error != 0) {
      why = std::strerror(error);
      ::close(fd);
      continue;
    }
    const int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    connected = fd;
  }
  ::freeaddrinfo(found);
  return connected;
}

}  // namespace

Connection::Connection(core::RedisStore settings, std::chrono::milliseconds timeout)
    : settings_(std::move(settings)), timeout_(timeout) {}

Connection::~Connection() { drop(); }

void Connection::drop() {
  if (fd_ >= 0) {
    ::close(fd_);
  }
  fd_ = -1;
  parser_ = ReplyParser{};
}

core::Error Connection::failure(const std::string& why) {
  drop();
  return core::makeError(core::ErrorKind::kRuntime, "redis " + settings_.address + ": " + why);
}

core::Status Connection::connect(Clock::time_point deadline) {
  const auto where = core::net::parseHostPort(settings_.address);
  if (!where) {
    return failure("not a HOST:PORT address");
  }
  std::string why;
  fd_ = openSocket(*where, deadline, why);
  if (fd_ < 0) {
    return failure("connect: " + why);
  }
  auto setup = [&](const std::vector<std::string_view>& args) -> core::Status {
    std::string request;
    appendCommand(request, args);
    auto reply = exchange(request, deadline);
    if (!reply) {
      return std::move(reply).error();
    }
    if (reply->type == Reply::Type::kError) {
      return failure(std::string(args.front()) + ": " + reply->text);
    }
    return core::Ok{};
  };
  if (!settings_.password.empty()) {
    if (auto s = setup({"AUTH", settings_.password}); !s) {
      return s;
    }
  }
  if (settings_.database != 0) {
    const std::string db = std::to_string(settings_.database);
    if (auto s = setup({"SELECT", db}); !s) {
      return s;
    }
  }
  return core::Ok{};
}

core::Result<Reply> Connection::exchange(const std::string& request, Clock::time_point deadline) {
  if (auto sent = send(request, deadline); !sent) {
    return std::move(sent).error();
  }
  return receive(deadline);
}

core::Status Connection::send(const std::string& request, Clock::time_point deadline) {
  std::size_t done = 0;
  while (done < request.size()) {
    const ssize_t n = ::send(fd_, request.data() + done, request.size() - done, MSG_NOSIGNAL);
    if (n > 0) {
      done += static_cast<std::size_t>(n);
    } else if (n < 0 && errno == EINTR) {
      continue;
    } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      if (!waitFor(fd_, POLLOUT, deadline)) {
        return failure("no answer within " + core::formatDuration(timeout_));
      }
    } else {
      return failure(std::string("write: ") + std::strerror(errno));
    }
  }
  return core::Ok{};
}

core::Result<Reply> Connection::receive(Clock::time_point deadline) {
  char in[16384];
  for (;;) {
    if (auto reply = parser_.next()) {
      return std::move(*reply);
    }
    if (parser_.failed()) {
      return failure("a reply that is not RESP");
    }
    if (!waitFor(fd_, POLLIN, deadline)) {
      return failure("no answer within " + core::formatDuration(timeout_));
    }
    const ssize_t n = ::recv(fd_, in, sizeof in, 0);
    if (n > 0) {
      parser_.feed(std::string_view(in, static_cast<std::size_t>(n)));
    } else if (n == 0) {
      return failure("the server closed the connection");
    } else if (errno != EINTR && errno != EAGAIN && errno != EWOULDBLOCK) {
      return failure(std::string("read: ") + std::strerror(errno));
    }
  }
}

core::Result<Reply> Connection::call(const std::vector<std::string_view>& args) {
  const auto deadline = Clock::now() + timeout_;
  if (fd_ < 0) {
    if (auto connected = connect(deadline); !connected) {
      return std::move(connected).error();
    }
  }
  std::string request;
  appendCommand(request, args);
  return exchange(request, deadline);
}

core::Result<std::vector<Reply>> Connection::callAll(
    const std::vector<std::vector<std::string_view>>& calls) {
  const auto deadline = Clock::now() + timeout_;
  if (fd_ < 0) {
    if (auto connected = connect(deadline); !connected) {
      return std::move(connected).error();
    }
  }
  std::string request;
  for (const auto& args : calls) {
    appendCommand(request, args);
  }
  if (auto sent = send(request, deadline); !sent) {
    return std::move(sent).error();
  }
  std::vector<Reply> replies;
  replies.reserve(calls.size());
  while (replies.size() < calls.size()) {
    auto reply = receive(deadline);
    if (!reply) {
      return std::move(reply).error();
    }
    replies.push_back(std::move(reply).value());
  }
  return replies;
}

}  // namespace gw::redis
