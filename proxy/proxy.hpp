#pragma once
// gw's data plane, run by `gw proxy`. No Beast or Asio in this header: the CLI links the
// proxy through this interface only.
//
// run() loads the config through `load`, opens every gateway's listeners, serves the admin
// API on `admin_address` and blocks until SIGINT/SIGTERM, then drains (stops accepting,
// lets in-flight requests finish for up to `drain`) and returns an exit code: 0 after a
// stop, else core::exitCode of the start error (printed to stderr, details indented).
// SIGHUP reloads as POST /v1/reload does. It prints one line to stderr once serving
// ("gw proxy: serving revision N on T threads; admin HOST:PORT; listeners ...") and one
// when stopped ("gw proxy: stopped"). `load` is called from the admin thread (and once at
// start), never concurrently with itself.
//
// Admin API (loopback only, every path but /ready needs "Authorization: Bearer <token>";
// with an empty admin_token nothing but /ready is authorised; otherwise 401):
//   GET  /ready       200 "ready" once listeners are open
//   GET  /v1/status   {"pid","revision","started_at","threads","connections","requests",
//                      "listeners":[{"gateway","listener","protocol","address","port",
//                                    "tls":"no certificate" (https only)}],
//                      "routes":[{"name","gateway","hosts","requests"}],
//                      "services":[{"name","loadBalancer","endpoints":[{"address","weight",
//                                   "healthy","ejected","inFlight"}]}],
//                      "tlsProblems":["certificate shop: ...", ...],
//                      "documentChanged": the document file changed after it was loaded}
//   POST /v1/reload   calls `load` again; 200 {"revision":N} when it now serves it, or
//                     422 {"error":"...","details":[...]} and keeps serving the old snapshot
//   GET  /v1/stats    {"requests":N,"gateways":{name:S},"routes":{name:S+"gateway"},
//                      "services":{name:S+"endpoints":{address:S}},
//                      "mirrors":{service:S}} (copies mirrored to a service; one that got
//                      no answer counts in "requests" only), where S is
//                      {"requests","1xx".."5xx","latencyMs":{"p50","p90","p99"},
//                       "series":{"end":unix second,"requests":[..],"errors":[..]}}: one
//                      slot per second, oldest first, the last one still counting; 900 by
//                      default, ?series=N for fewer, ?series=false for none; ?route=NAME,
//                      ?service=NAME, ?gateway=NAME (repeatable) keep only those of their
//                      kind. Names beyond 1,000 per kind count as "other". Routes in
//                      /v1/status also carry "rps" (last 10 s) and "errorRate" (the 5xx
//                      share of those).
//   GET  /metrics     Prometheus text: gw_requests_total, gw_request_duration_seconds,
//                     gw_upstream_requests_total, gw_mirror_requests_total{service,
//                     code_class: 1xx..5xx or none}, gw_connections_active, gw_config_revision,
//                     gw_reloads_total, gw_build_info
//
// Gateway-made answers carry `x-gw-error`: no_route (404), no_healthy_upstream (503),
// upstream_connect (502), upstream_tls (502: the TLS handshake with a service reached over
// TLS failed), retry_budget_exhausted (502: the upstream failed and the route's retry budget
// had no retry left for it), upstream_reset (502), upstream_timeout (504), bad_request (400),
// header_too_large (431), body_too_large (413), uri_too_long (414), request_timeout (408:
// the head did not arrive within the gateway's header_read). Refused requests (4xx on the
// head, and ambiguous framing: see protection.hpp) end their connection. A gateway with
// httpsRedirect answers its http listeners' requests with 301 (GET, HEAD) or 308 to its first
// https listener (error "https_redirect" in the access log, no x-gw-error); one with hsts
// adds Strict-Transport-Security to every answer of its https listeners.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/config/model.hpp"
#include "core/result.hpp"

namespace gw::proxy {

using ConfigLoader = std::function<core::Result<std::shared_ptr<const core::Config>>()>;

struct Options {
  std::string admin_address = "127.0.0.1:0";  // HOST:PORT; port 0 picks one
  std::string admin_token;
  int threads = 0;  // 0: the config's proxy.threads, else one per core
  ConfigLoader load;
  // The file `load` reads ("" = none): /v1/status says when it changed after it was loaded
  // (edited by hand, and not reloaded).
  std::string document;
  // File for JSON access log lines ("" = none); written while the served config's
  // proxy.access_log is on, so a reload turns it on and off.
  std::string access_log;
  // Where the document's certificates have their files (<home>/certs/<name>/cert.pem and
  // key.pem); "" = nowhere: https listeners then refuse TLS.
  std::string certs_dir;
  // Where `gw cert issue` leaves pending HTTP-01 answers (<home>/acme/http-01/<token>) and
  // TLS-ALPN-01 answers (<home>/acme/tls-alpn-01/<domain>.pem); "" = none are answered.
  std::string acme_dir;
  // Where metered usage is kept (<home>/usage.db; "" = not kept, quotas count from zero).
  std::string usage_db;
  // Seconds added to the wall clock of metering and quotas (tests move it near a period's
  // end; `gw proxy` reads GW_CLOCK_OFFSET).
  std::int64_t clock_offset_s = 0;
  std::chrono::milliseconds drain{5000};
  // Called after each reload that now serves a new document (not for the first load), from
  // the thread that reloaded; must not block.
  std::function<void()> on_reloaded;
};

int run(const Options& options);

// One open listener, as reported by Server::listeners() and /v1/status.
struct ListenerInfo {
  std::string gateway;
  std::string listener;
  core::Protocol protocol = core::Protocol::kHttp;
  std::string address;
  std::uint16_t port = 0;  // the bound port (differs from the config's when that is 0)
};

// The proxy without signal handling, for run() and for tests. start() loads the config,
// binds every listener and the admin API, and returns once they accept; a listener that
// cannot be bound makes it fail with a message naming the gateway, listener and port.
// stop() (also run by the destructor) drains as run() does.
class Server {
 public:
  static core::Result<std::unique_ptr<Server>> start(const Options& options);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  std::uint16_t adminPort() const;
  std::string adminAddress() const;  // "127.0.0.1:PORT"
  std::uint64_t revision() const;
  int threads() const;
  std::vector<ListenerInfo> listeners() const;

  // Loads the config again and serves it (as POST /v1/reload). On error nothing changes.
  core::Result<std::uint64_t> reload();
  void stop();

  struct Impl;

 private:
  explicit Server(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace gw::proxy
