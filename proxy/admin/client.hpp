#pragma once
// The client side of the admin API (see proxy.hpp): plain HTTP/1.1 on loopback with the
// home's bearer token and a deadline on the whole exchange, so a hung proxy cannot hang a
// command. The typed calls read the documents of messages.hpp, so no caller parses the
// admin API's JSON. No Beast or Asio in this header.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "proxy/admin/messages.hpp"

namespace gw::proxy {

struct AdminResponse {
  long status = 0;
  std::string body;
};

// What POST /v1/reload answered. A refusal is an answer, not an error, so that callers can
// tell "the proxy refused" from "the proxy did not answer".
struct ReloadReply {
  std::optional<std::uint64_t> served;  // HTTP 200 {"revision": N}: the revision now served
  // Any other status: the proxy's "error" and "details", or "HTTP N: <first line of body>".
  std::optional<core::Error> refusal;
  std::string body;  // as received, for a 200 whose body is not a reload document
};

class AdminClient {
 public:
  // `address` is HOST:PORT as kept in the home's admin.address.
  AdminClient(std::string address, std::string token);

  // Any HTTP answer is a value (check .status); only transport failures are errors.
  core::Result<AdminResponse> get(std::string_view path,
                                  std::chrono::milliseconds timeout = kDefaultTimeout) const;
  core::Result<AdminResponse> post(std::string_view path,
                                   std::chrono::milliseconds timeout = kDefaultTimeout) const;

  // GET /ready answered 200.
  bool ready() const;

  // GET /v1/status and GET /v1/stats?series=N. Errors: transport failures, any status but
  // 200 ("/v1/status answered HTTP 401"), or a body that is not the document.
  core::Result<StatusDoc> status() const;
  core::Result<StatsDoc> stats(std::size_t series_seconds) const;
  core::Result<StatsDoc> stats(const StatsQuery& query) const;

  // GET /v1/cache; POST /v1/cache/purge (an unknown route is a kNotFound error).
  core::Result<CacheDoc> cache() const;
  core::Result<PurgeDoc> purgeCache(std::string_view route, std::string_view prefix) const;

  // POST /v1/reload, with kReloadTimeout. Errors are transport failures only.
  core::Result<ReloadReply> reload() const;

  static constexpr std::chrono::milliseconds kDefaultTimeout{5000};
  // A reload builds a new snapshot and may open listeners: give it longer.
  static constexpr std::chrono::milliseconds kReloadTimeout{15000};

 private:
  core::Result<AdminResponse> request(bool post, std::string_view path,
                                      std::chrono::milliseconds timeout) const;

  std::string address_;
  std::string token_;
};

}  // namespace gw::proxy
