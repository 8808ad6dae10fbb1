#pragma once
// Who may use the dashboard. `gw dashboard` prints a URL with a one-time login token; using
// it (or the home's admin token, typed into the login page) opens a session, kept in an
// HttpOnly, SameSite=Strict cookie. Each session has its own CSRF token, which every change
// must echo in the X-GW-CSRF header. Tokens are compared in constant time; sessions expire
// after 12 hours without use. Safe to use from several threads.

#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <string>

namespace gw::dashboard {

struct Session {
  std::string id;    // the cookie's value
  std::string csrf;  // what X-GW-CSRF must carry
  std::chrono::steady_clock::time_point last_used;
};

class Sessions {
 public:
  // `admin_token` is the home's; "" accepts only the one-time token.
  explicit Sessions(std::string admin_token);

  // The one-time token for the URL printed at start (a new one replaces the old).
  std::string newLoginToken();

  // A new session for `token` when it is the unused one-time token or the admin token.
  std::optional<Session> login(const std::string& token);

  // The session `id` names, when it exists and has not expired (and marks it used).
  std::optional<Session> find(const std::string& id);
  void logout(const std::string& id);

  static constexpr std::chrono::hours kLifetime{12};
  static constexpr const char* kCookie = "gw_session";

 private:
  std::mutex mutex_;
  std::string admin_token_;
  std::string login_token_;  // "" once used
  std::map<std::string, Session> sessions_;
};

// 32 random bytes as 64 hex digits.
std::string randomToken();

// The Set-Cookie value that opens (or, with an empty id, ends) a session.
std::string sessionCookie(const std::string& id);

}  // namespace gw::dashboard
