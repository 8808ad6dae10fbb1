#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

#include "core/store/home.hpp"

namespace gw::core {

Result<Lock> Lock::acquire(const Home& home) {
  auto ready = home.ensure();
  if (!ready) {
    return std::move(ready).error();
  }
  const auto path = home.file("lock");
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) {
    return makeError(ErrorKind::kRuntime, "opening " + path.string() + ": " + std::strerror(errno));
  }
  while (::flock(fd, LOCK_EX) != 0) {
    if (errno != EINTR) {
      const int err = errno;
      ::close(fd);
      return makeError(ErrorKind::kRuntime, "locking " + path.string() + ": " + std::strerror(err));
    }
  }
  return Lock(fd);
}

Lock::Lock(Lock&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}

Lock::~Lock() {
  if (fd_ >= 0) {
    ::close(fd_);  // closing the last descriptor releases the flock
  }
}

}  // namespace gw::core
