#pragma once
// `gw dashboard` for a test: started on a free port against a GwHome, logged in through the
// URL it prints, and called with curl as a browser would (session cookie, CSRF header).

#include <nlohmann/json.hpp>
#include <string>

#include "tests/integration/gw_home.hpp"
#include "tests/support/process.hpp"

namespace gw::test {

class DashboardClient {
 public:
  explicit DashboardClient(const GwHome& home);
  ~DashboardClient() { process_.stop(); }

  const std::string& url() const { return url_; }  // the printed login URL
  std::uint16_t port() const { return port_; }

  // Follows the login URL and keeps the session; false when it was refused.
  bool login();

  // METHOD path with the session (and the CSRF header unless `csrf` is false).
  HttpResponse call(const std::string& method, const std::string& path,
                    const nlohmann::json& body = nullptr, bool csrf = true) const;
  // call() without the session cookie.
  HttpResponse anonymous(const std::string& method, const std::string& path) const;
  // The body of an answer as JSON (null when it is not JSON).
  static nlohmann::json json(const HttpResponse& response);

  const std::string& cookie() const { return cookie_; }

 private:
  Process process_;
  std::string url_;
  std::uint16_t port_ = 0;
  std::string cookie_;  // "gw_session=..."
  std::string csrf_;
};

}  // namespace gw::test
