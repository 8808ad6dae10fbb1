#pragma once
// The local home ($GW_HOME): the document, its revisions, the admin token and the daemon's
// runtime files. Writes are atomic (temp file, fsync, rename, fsync of the folder); a Lock
// (flock on `lock`) serializes every writer, so concurrent commands lose nothing.
//
//   config.yaml     the document (0600)        revisions/NNNNNNNN.yaml  previous documents
//   admin.token     bearer token (0600)        admin.address            HOST:PORT of the admin API
//   proxy.pid, proxy.log, access.log           certs/, acme/, ca/       (certificates; later)

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/config/model.hpp"
#include "core/result.hpp"

namespace gw::core {

// $GW_HOME, else $XDG_STATE_HOME/gw, else ~/.local/state/gw. `flag` (from --home) wins.
std::filesystem::path defaultHome(const std::string& flag);

// Writes `data` to `path` atomically with the given mode: temp file in the same folder,
// fsync, rename over `path`, fsync the folder. Never leaves a half-written `path`.
Status writeFileAtomic(const std::filesystem::path& path, std::string_view data,
                       unsigned mode = 0600);
Result<std::string> readFile(const std::filesystem::path& path);
// What a file is now (inode, size, modification time), to see whether it was replaced or
// written since; "-" when it does not exist.
std::string fileStamp(const std::filesystem::path& path);

// A document kept under revisions/ (home.hpp's layout).
struct KeptRevision {
  std::uint64_t number = 0;
  bool refused = false;  // the proxy refused to serve it, and the revision before came back
  std::filesystem::path path;
  std::filesystem::file_time_type saved;  // when it was replaced (the file's mtime)
};

class Home {
 public:
  explicit Home(std::filesystem::path root);

  const std::filesystem::path& root() const { return root_; }
  std::filesystem::path file(std::string_view name) const { return root_ / name; }
  std::filesystem::path configPath() const { return file("config.yaml"); }

  // Creates the folder (0700) and its sub-folders when missing.
  Status ensure() const;

  // The current document, decoded and validated. A home with no config.yaml yields an
  // empty Config (revision 0). Error kinds: kValidation for a bad file, kRuntime for I/O.
  Result<Config> load() const;

  // Validates, then saves `config` as the next revision (sets config.revision = previous+1),
  // keeping the previous document under revisions/ (newest kKeepRevisions kept).
  // Returns the new revision. Nothing is written when validation fails.
  Result<std::uint64_t> save(Config& config) const;

  // Puts back the document of an earlier revision as the current one, as it was (its own
  // revision number). The document it replaces is kept, as refused when `refused` (the proxy
  // would not serve it), so that history does not list it as served.
  Status restore(std::uint64_t revision, bool refused = false) const;

  // The kept revisions, oldest first (after a restore the current one is among them too).
  std::vector<KeptRevision> revisions() const;
  // The document of a kept revision (not a refused one); kNotFound when none is kept.
  Result<Config> loadRevision(std::uint64_t revision) const;

  // The admin token, created (32 random bytes, hex, 0600) when missing.
  Result<std::string> ensureToken() const;
  std::optional<std::string> token() const;

  static constexpr int kKeepRevisions = 20;

 private:
  std::filesystem::path root_;
};

// Holds the home's flock for its lifetime (blocks until it gets it).
class Lock {
 public:
  static Result<Lock> acquire(const Home& home);
  Lock(Lock&& other) noexcept;
  Lock& operator=(Lock&&) = delete;
  Lock(const Lock&) = delete;
  ~Lock();

 private:
  explicit Lock(int fd) : fd_(fd) {}
  int fd_ = -1;
};

}  // namespace gw::core
