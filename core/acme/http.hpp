#pragma once
// The HTTP client of gw::acme, on libcurl: one easy handle reused for every request (so the
// TLS connection to the CA is kept), a deadline on every request, the CA file for private
// CAs, and gw's User-Agent (RFC 8555 section 6.1 asks clients to send one).
//
// Not thread-safe: one HttpClient per thread.

#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.hpp"

namespace gw::acme {

struct HttpSettings {
  std::string ca_file;  // PEM bundle to trust instead of the system's; empty: the system's
  std::chrono::milliseconds timeout{30000};
  std::chrono::milliseconds connect_timeout{10000};
  std::string user_agent;
};

struct HttpRequest {
  std::string method = "GET";  // GET, HEAD or POST
  std::string url;
  std::string body;
  std::string content_type;
  std::string accept;
};

struct HttpResponse {
  long status = 0;
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-cased
  std::string body;

  // The last value of header `name` (lower-case), "" when absent.
  std::string header(std::string_view name) const;
};

class HttpClient {
 public:
  explicit HttpClient(HttpSettings settings);
  HttpClient(HttpClient&& other) noexcept;
  HttpClient& operator=(HttpClient&& other) noexcept;
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;
  ~HttpClient();

  // Any HTTP status is a response; a failure to get one is an error naming the URL.
  core::Result<HttpResponse> send(const HttpRequest& request);

 private:
  struct Handle;
  HttpSettings settings_;
  std::unique_ptr<Handle> handle_;
};

}  // namespace gw::acme
