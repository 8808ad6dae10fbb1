#pragma once
// The dashboard as one request handler: sessions and CSRF first, then the page's files or
// the JSON API of docs/dashboard-api.md. Every answer carries the security headers (a
// Content-Security-Policy that lets the page load nothing from elsewhere, nosniff, no
// referrer, no caching of API answers).

#include <memory>
#include <string>

#include "cli/dashboard/document_cache.hpp"
#include "cli/dashboard/environment.hpp"
#include "cli/dashboard/jobs.hpp"
#include "cli/dashboard/monitor.hpp"
#include "cli/dashboard/objects.hpp"
#include "cli/dashboard/sessions.hpp"
#include "proxy/web/http.hpp"

namespace gw::dashboard {

class Dashboard {
 public:
  explicit Dashboard(Environment env);

  Response handle(const Request& request);

  // A new one-time login URL for http://HOST:PORT.
  std::string loginUrl(const std::string& host, std::uint16_t port);

  Monitor& monitor() { return monitor_; }

 private:
  Response route(const Request& request);
  Response login(const Request& request);
  Response api(const Request& request, const Session& session);
  Response apiRead(const std::vector<std::string>& parts, const Request& request,
                   const Session& session);
  Response apiChange(const std::vector<std::string>& parts, const Request& request);
  Response sessionInfo(const Session& session);
  Response status() const;
  Response usage() const;
  Response tls();
  Response certificateAction(const std::vector<std::string>& parts, const Request& request);
  Response consumerKeys(const std::vector<std::string>& parts, const Request& request);
  Response explain(const Request& request);

  Environment env_;
  DocumentCache documents_;
  Sessions sessions_;
  Objects objects_;
  Jobs jobs_;
  Monitor monitor_;
};

}  // namespace gw::dashboard
