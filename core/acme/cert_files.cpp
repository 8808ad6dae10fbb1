#include "core/acme/cert_files.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <nlohmann/json.hpp>

#include "core/store/home.hpp"

namespace gw::acme {
namespace {

using nlohmann::json;

json timeJson(const std::optional<SystemTime>& t) {
  if (!t) {
    return nullptr;
  }
  return std::chrono::duration_cast<std::chrono::seconds>(t->time_since_epoch()).count();
}

std::optional<SystemTime> timeFrom(const json& doc, const char* key) {
  const auto it = doc.find(key);
  if (it == doc.end() || !it->is_number_integer()) {
    return std::nullopt;
  }
  return SystemTime(std::chrono::seconds(it->get<std::int64_t>()));
}

}  // namespace

core::Status writeCertificateFiles(const std::filesystem::path& dir, std::string_view chain_pem,
                                   std::string_view key_pem) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  std::filesystem::permissions(dir, std::filesystem::perms::owner_all, ec);
  if (auto written = core::writeFileAtomic(dir / "key.pem", key_pem, 0600); !written) {
    return written;
  }
  return core::writeFileAtomic(dir / "cert.pem", chain_pem, 0644);
}

RenewalState readRenewalState(const std::filesystem::path& dir) {
  RenewalState state;
  auto text = core::readFile(dir / "state.json");
  if (!text) {
    return state;
  }
  const json doc = json::parse(*text, nullptr, /*allow_exceptions=*/false);
  if (!doc.is_object()) {
    return state;
  }
  state.failures = doc.value("failures", 0);
  state.last_error = doc.value("lastError", std::string());
  state.last_attempt = timeFrom(doc, "lastAttempt");
  state.next_attempt = timeFrom(doc, "nextAttempt");
  state.renewed_at = timeFrom(doc, "renewedAt");
  state.ari_start = timeFrom(doc, "ariStart");
  state.ari_end = timeFrom(doc, "ariEnd");
  state.ari_next_check = timeFrom(doc, "ariNextCheck");
  return state;
}

core::Status writeRenewalState(const std::filesystem::path& dir, const RenewalState& state) {
  const json doc = {{"failures", state.failures},
                    {"lastError", state.last_error},
                    {"lastAttempt", timeJson(state.last_attempt)},
                    {"nextAttempt", timeJson(state.next_attempt)},
                    {"renewedAt", timeJson(state.renewed_at)},
                    {"ariStart", timeJson(state.ari_start)},
                    {"ariEnd", timeJson(state.ari_end)},
                    {"ariNextCheck", timeJson(state.ari_next_check)}};
  return core::writeFileAtomic(dir / "state.json", doc.dump(2) + "\n", 0644);
}

core::Result<std::optional<RenewalLock>> RenewalLock::tryAcquire(const std::filesystem::path& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  const auto file = (dir / ".lock").string();
  const int fd = ::open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) {
    return core::makeError(core::ErrorKind::kRuntime,
                           file + ": cannot open the lock: " + std::strerror(errno));
  }
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    ::close(fd);
    return std::optional<RenewalLock>();
  }
  return std::optional<RenewalLock>(RenewalLock(fd));
}

RenewalLock::~RenewalLock() {
  if (fd_ >= 0) {
    ::close(fd_);
  }
}

}  // namespace gw::acme
