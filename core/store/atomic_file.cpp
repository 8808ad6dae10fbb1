#include "core/store/atomic_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <string>
#include <utility>

#include "core/store/home.hpp"
#include "core/store/testing.hpp"

namespace gw::core {

namespace testing {
void (*before_rename)(const std::filesystem::path&) = nullptr;
}  // namespace testing

namespace {

Error ioError(const std::string& what, const std::filesystem::path& path, int err) {
  return makeError(err == ENOENT ? ErrorKind::kNotFound : ErrorKind::kRuntime,
                   what + " " + path.string() + ": " + std::strerror(err));
}

class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  Fd& operator=(Fd&& other) noexcept {
    if (this != &other) {
      reset();
      fd_ = std::exchange(other.fd_, -1);
    }
    return *this;
  }
  ~Fd() { reset(); }
  int get() const { return fd_; }
  int reset() {
    const int rc = fd_ >= 0 ? ::close(fd_) : 0;
    fd_ = -1;
    return rc;
  }

 private:
  int fd_;
};

bool writeAll(int fd, std::string_view data) {
  while (!data.empty()) {
    const ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) {
        continue;
      }
      return false;
    }
    data.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

// A name no other writer (thread or process) uses: ".config.yaml.tmp.<pid>.<n>". The
// leading dot and the suffix keep it from ever being read as the document itself.
std::filesystem::path tempPath(const std::filesystem::path& path) {
  static std::atomic<unsigned> counter{0};
  return path.parent_path() / ("." + path.filename().string() + ".tmp." +
                               std::to_string(::getpid()) + "." + std::to_string(counter++));
}

std::filesystem::path folderOf(const std::filesystem::path& path) {
  return path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
}

Status syncFolder(const std::filesystem::path& folder) {
  Fd dir(::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (dir.get() < 0 || ::fsync(dir.get()) != 0) {
    return ioError("syncing", folder, errno);
  }
  return Ok{};
}

// The temp file, complete and on disk; removed again on failure.
Result<std::filesystem::path> writeTemp(const std::filesystem::path& path, std::string_view data,
                                        unsigned mode) {
  // A crashed writer may have left a temp file under a name a later process (reusing its
  // pid) would pick; such a name is skipped, not an error.
  constexpr int kAttempts = 100;
  std::filesystem::path temp;
  Fd fd(-1);
  for (int attempt = 0; attempt < kAttempts && fd.get() < 0; ++attempt) {
    temp = tempPath(path);
    fd = Fd(
        ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, static_cast<mode_t>(mode)));
    if (fd.get() < 0 && errno != EEXIST) {
      break;
    }
  }
  if (fd.get() < 0) {
    return ioError("creating", temp, errno);
  }
  // The umask may have cleared bits the caller asked for.
  if (::fchmod(fd.get(), static_cast<mode_t>(mode)) != 0 || !writeAll(fd.get(), data) ||
      ::fsync(fd.get()) != 0 || fd.reset() != 0) {
    const int err = errno;
    ::unlink(temp.c_str());
    return ioError("writing", temp, err);
  }
  return temp;
}

}  // namespace

Status writeFileAtomic(const std::filesystem::path& path, std::string_view data, unsigned mode) {
  auto temp = writeTemp(path, data, mode);
  if (!temp) {
    return std::move(temp).error();
  }
  if (testing::before_rename != nullptr) {
    testing::before_rename(path);
  }
  if (::rename(temp->c_str(), path.c_str()) != 0) {
    const int err = errno;
    ::unlink(temp->c_str());
    return ioError("replacing", path, err);
  }
  return syncFolder(folderOf(path));
}

Result<bool> createFileExclusive(const std::filesystem::path& path, std::string_view data,
                                 unsigned mode) {
  auto temp = writeTemp(path, data, mode);
  if (!temp) {
    return std::move(temp).error();
  }
  // link() fails when `path` exists, so the first writer wins and nobody overwrites it.
  const int rc = ::link(temp->c_str(), path.c_str());
  const int err = errno;
  ::unlink(temp->c_str());
  if (rc != 0) {
    if (err == EEXIST) {
      return false;
    }
    return ioError("creating", path, err);
  }
  auto synced = syncFolder(folderOf(path));
  if (!synced) {
    return std::move(synced).error();
  }
  return true;
}

std::string fileStamp(const std::filesystem::path& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    return "-";
  }
  return std::to_string(st.st_ino) + '|' + std::to_string(st.st_size) + '|' +
         std::to_string(st.st_mtim.tv_sec) + '.' + std::to_string(st.st_mtim.tv_nsec);
}

Result<std::string> readFile(const std::filesystem::path& path) {
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) {
    return ioError("reading", path, errno);
  }
  std::string out;
  char buf[16384];
  while (true) {
    const ssize_t n = ::read(fd.get(), buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) {
        continue;
      }
      return ioError("reading", path, errno);
    }
    if (n == 0) {
      return out;
    }
    out.append(buf, static_cast<std::size_t>(n));
  }
}

}  // namespace gw::core
