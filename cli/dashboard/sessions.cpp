#include "cli/dashboard/sessions.hpp"

#include <openssl/rand.h>

#include <array>
#include <stdexcept>

#include "proxy/admin/server.hpp"

namespace gw::dashboard {

std::string randomToken() {
  std::array<unsigned char, 32> bytes{};
  if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) {
    throw std::runtime_error("no random bytes from OpenSSL");  // at start-up only
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (const unsigned char b : bytes) {
    out += kHex[b >> 4];
    out += kHex[b & 15];
  }
  return out;
}

std::string sessionCookie(const std::string& id) {
  std::string cookie =
      std::string(Sessions::kCookie) + "=" + id + "; Path=/; HttpOnly; SameSite=Strict";
  cookie += id.empty() ? "; Max-Age=0" : "; Max-Age=43200";
  return cookie;
}

Sessions::Sessions(std::string admin_token) : admin_token_(std::move(admin_token)) {}

std::string Sessions::newLoginToken() {
  const std::lock_guard lock(mutex_);
  login_token_ = randomToken();
  return login_token_;
}

std::optional<Session> Sessions::login(const std::string& token) {
  const std::lock_guard lock(mutex_);
  const bool one_time = !login_token_.empty() && proxy::constantTimeEquals(token, login_token_);
  const bool admin = !admin_token_.empty() && proxy::constantTimeEquals(token, admin_token_);
  if (token.empty() || (!one_time && !admin)) {
    return std::nullopt;
  }
  if (one_time) {
    login_token_.clear();
  }
  const auto now = std::chrono::steady_clock::now();
  std::erase_if(sessions_,
                [&](const auto& entry) { return now - entry.second.last_used > kLifetime; });
  Session session{randomToken(), randomToken(), now};
  sessions_[session.id] = session;
  return session;
}

std::optional<Session> Sessions::find(const std::string& id) {
  if (id.empty()) {
    return std::nullopt;
  }
  const std::lock_guard lock(mutex_);
  const auto it = sessions_.find(id);
  if (it == sessions_.end()) {
    return std::nullopt;
  }
  const auto now = std::chrono::steady_clock::now();
  if (now - it->second.last_used > kLifetime) {
    sessions_.erase(it);
    return std::nullopt;
  }
  it->second.last_used = now;
  return it->second;
}

void Sessions::logout(const std::string& id) {
  const std::lock_guard lock(mutex_);
  sessions_.erase(id);
}

}  // namespace gw::dashboard
