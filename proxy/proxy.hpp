#pragma once
// gw's data plane, run by `gw proxy`. No Beast or Asio in this header: the CLI links the
// proxy through this interface only.
//
// run() loads the config through `load`, opens every gateway's listeners, serves the admin
// API on `admin_address` and blocks until SIGINT/SIGTERM, then drains (stops accepting,
// lets in-flight requests finish for up to `drain`) and returns an exit code.
//
// Admin API (loopback, every path but /ready needs "Authorization: Bearer <token>"):
//   GET  /ready       200 "ready" once listeners are open
//   GET  /v1/status   {"pid","revision","started_at","threads","listeners":[...],"routes":[...]}
//   POST /v1/reload   calls `load` again; 200 {"revision":N} when it now serves it, or
//                     422 {"error":"...","details":[...]} and keeps serving the old snapshot
//   GET  /v1/stats    {"requests":N,"routes":{name:{"requests":N,"2xx":..,"5xx":..}}}

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "core/config/model.hpp"
#include "core/result.hpp"

namespace gw::proxy {

using ConfigLoader = std::function<core::Result<std::shared_ptr<const core::Config>>()>;

struct Options {
  std::string admin_address = "127.0.0.1:0";  // HOST:PORT; port 0 picks one
  std::string admin_token;
  int threads = 0;  // 0: the config's proxy.threads, else one per core
  ConfigLoader load;
  std::string access_log;  // file for JSON access log lines; "" = off
  std::chrono::milliseconds drain{5000};
};

int run(const Options& options);

}  // namespace gw::proxy
