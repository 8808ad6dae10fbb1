#include "core/store/home.hpp"

#include <openssl/rand.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "core/config/document.hpp"
#include "core/config/validate.hpp"
#include "core/store/atomic_file.hpp"
#include "core/store/revisions.hpp"

namespace gw::core {
namespace {

namespace fs = std::filesystem;

std::string env(const char* name) {
  const char* value = std::getenv(name);
  return value == nullptr ? std::string() : std::string(value);
}

Error fsError(const std::string& what, const fs::path& path, const std::error_code& ec) {
  return makeError(ErrorKind::kRuntime, what + " " + path.string() + ": " + ec.message());
}

// The revision a stored document says it is; 0 when it has none or cannot be read (a file
// edited by hand), so it is still kept rather than lost.
std::uint64_t revisionOf(std::string_view text, const std::string& file) {
  auto decoded = decode(text, file);
  return decoded ? decoded->config.revision : 0;
}

std::string trimmed(std::string s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back())) != 0) {
    s.pop_back();
  }
  return s;
}

}  // namespace

fs::path defaultHome(const std::string& flag) {
  if (!flag.empty()) {
    return flag;
  }
  if (auto home = env("GW_HOME"); !home.empty()) {
    return home;
  }
  if (auto state = env("XDG_STATE_HOME"); !state.empty() && fs::path(state).is_absolute()) {
    return fs::path(state) / "gw";
  }
  if (auto user = env("HOME"); !user.empty()) {
    return fs::path(user) / ".local" / "state" / "gw";
  }
  return {".gw"};
}

Home::Home(fs::path root) : root_(std::move(root)) {}

Status Home::ensure() const {
  for (const char* sub : {"", "revisions", "certs", "acme", "ca"}) {
    const fs::path folder = *sub == '\0' ? root_ : root_ / sub;
    std::error_code ec;
    if (fs::create_directories(folder, ec)) {
      // Private material lives here: only the owner may look inside.
      ::chmod(folder.c_str(), 0700);
    } else if (ec) {
      return fsError("creating", folder, ec);
    }
  }
  return Ok{};
}

Result<Config> Home::load() const {
  auto text = readFile(configPath());
  if (!text) {
    if (text.error().kind == ErrorKind::kNotFound) {
      return Config{};
    }
    return std::move(text).error();
  }
  return loadDocument(*text, configPath().string());
}

Result<std::uint64_t> Home::save(Config& config) const {
  const auto diagnostics = validate(config);
  if (!diagnostics.empty()) {
    return validationError("invalid configuration", diagnostics);
  }
  if (auto ready = ensure(); !ready) {
    return std::move(ready).error();
  }
  const fs::path revisions = root_ / "revisions";
  std::uint64_t previous = 0;
  auto current = readFile(configPath());
  if (current) {
    previous = revisionOf(*current, configPath().string());
    const fs::path kept = store::revisionPath(revisions, previous);
    auto copied = writeFileAtomic(kept, *current, 0600);
    if (!copied) {
      return std::move(copied).error().context("keeping revision " + std::to_string(previous));
    }
    store::keepSavedTime(configPath(), kept);
  } else if (current.error().kind != ErrorKind::kNotFound) {
    return std::move(current).error();
  }
  // After a restore the current document is older than the newest kept one (served or
  // refused); numbering continues past all of them so a revision number names one document.
  const auto kept = store::listRevisions(revisions);
  const std::uint64_t next = std::max(previous, kept.empty() ? 0 : kept.back().number) + 1;

  Config stored = config;
  stored.revision = next;
  if (auto written = writeFileAtomic(configPath(), encodeYaml(stored), 0600); !written) {
    return std::move(written).error().context("saving config");
  }
  config.revision = next;

  store::pruneRevisions(revisions, static_cast<std::size_t>(kKeepRevisions));
  return next;
}

Status Home::restore(std::uint64_t revision, bool refused) const {
  const fs::path revisions = root_ / "revisions";
  const fs::path source = store::revisionPath(revisions, revision);
  auto text = readFile(source);
  if (!text) {
    if (text.error().kind == ErrorKind::kNotFound) {
      return makeError(ErrorKind::kNotFound, "no revision " + std::to_string(revision) +
                                                 " is kept in " + revisions.string());
    }
    return std::move(text).error();
  }
  if (auto valid = loadDocument(*text, source.string()); !valid) {
    return std::move(valid).error();
  }
  // The document being replaced is kept too, so a restore never loses anything.
  if (auto current = readFile(configPath()); current) {
    const std::uint64_t previous = revisionOf(*current, configPath().string());
    if (previous != revision) {
      const fs::path kept = store::revisionPath(revisions, previous, refused);
      if (auto copied = writeFileAtomic(kept, *current, 0600); !copied) {
        return std::move(copied).error();
      }
      store::keepSavedTime(configPath(), kept);
    }
  }
  return writeFileAtomic(configPath(), *text, 0600);
}

std::vector<KeptRevision> Home::revisions() const {
  return store::listRevisions(root_ / "revisions");
}

Result<Config> Home::loadRevision(std::uint64_t revision) const {
  const fs::path source = store::revisionPath(root_ / "revisions", revision);
  auto text = readFile(source);
  if (!text) {
    if (text.error().kind == ErrorKind::kNotFound) {
      return makeError(ErrorKind::kNotFound, "no revision " + std::to_string(revision) +
                                                 " is kept in " + (root_ / "revisions").string());
    }
    return std::move(text).error();
  }
  return loadDocument(*text, source.string());
}

Result<std::string> Home::ensureToken() const {
  if (auto existing = token()) {
    return *existing;
  }
  if (auto ready = ensure(); !ready) {
    return std::move(ready).error();
  }
  unsigned char bytes[32];
  if (RAND_bytes(bytes, sizeof bytes) != 1) {
    return makeError(ErrorKind::kRuntime, "creating the admin token: no random bytes");
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  for (const unsigned char b : bytes) {
    hex += kHex[b >> 4];
    hex += kHex[b & 0x0f];
  }
  auto created = createFileExclusive(file("admin.token"), hex, 0600);
  if (!created) {
    return std::move(created).error();
  }
  if (!*created) {
    // Another command made one first: use theirs.
    if (auto existing = token()) {
      return *existing;
    }
    return makeError(ErrorKind::kRuntime, "reading " + file("admin.token").string() + ": empty");
  }
  return hex;
}

std::optional<std::string> Home::token() const {
  auto text = readFile(file("admin.token"));
  if (!text) {
    return std::nullopt;
  }
  std::string token = trimmed(std::move(*text));
  if (token.empty()) {
    return std::nullopt;
  }
  return token;
}

}  // namespace gw::core
