#include "cli/admin_client.hpp"

#include <curl/curl.h>

#include <memory>

namespace gw::cli {
namespace {

struct CurlGlobal {
  CurlGlobal() { curl_global_init(CURL_GLOBAL_DEFAULT); }
  ~CurlGlobal() { curl_global_cleanup(); }
  CurlGlobal(const CurlGlobal&) = delete;
  CurlGlobal& operator=(const CurlGlobal&) = delete;
};

struct CurlDeleter {
  void operator()(CURL* handle) const { curl_easy_cleanup(handle); }
};
struct SlistDeleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};

std::size_t appendBody(char* data, std::size_t size, std::size_t count, void* user) {
  static_cast<std::string*>(user)->append(data, size * count);
  return size * count;
}

constexpr std::chrono::milliseconds kConnectTimeout{1000};

}  // namespace

AdminClient::AdminClient(std::string address, std::string token)
    : address_(std::move(address)), token_(std::move(token)) {}

core::Result<AdminResponse> AdminClient::get(std::string_view path,
                                             std::chrono::milliseconds timeout) const {
  return request("GET", path, timeout);
}

core::Result<AdminResponse> AdminClient::post(std::string_view path,
                                              std::chrono::milliseconds timeout) const {
  return request("POST", path, timeout);
}

bool AdminClient::ready() const {
  auto response = request("GET", "/ready", std::chrono::milliseconds(1000));
  return response.ok() && response->status == 200;
}

core::Result<AdminResponse> AdminClient::request(const char* method, std::string_view path,
                                                 std::chrono::milliseconds timeout) const {
  static CurlGlobal global;
  std::unique_ptr<CURL, CurlDeleter> curl(curl_easy_init());
  if (!curl) {
    return core::makeError(core::ErrorKind::kRuntime, "cannot initialise libcurl");
  }
  const std::string url = "http://" + address_ + std::string(path);
  std::unique_ptr<curl_slist, SlistDeleter> headers;
  if (!token_.empty()) {
    const std::string auth = "Authorization: Bearer " + token_;
    headers.reset(curl_slist_append(nullptr, auth.c_str()));
  }
  AdminResponse response;
  CURL* h = curl.get();
  curl_easy_setopt(h, CURLOPT_URL, url.c_str());
  curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method);
  if (std::string_view(method) == "POST") {
    curl_easy_setopt(h, CURLOPT_POST, 1L);
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, "");
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE, 0L);
  }
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(h, CURLOPT_NOPROXY, "*");
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(kConnectTimeout.count()));
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout.count()));
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, &appendBody);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &response.body);
  CURLcode code = curl_easy_perform(h);
  if (code != CURLE_OK) {
    return core::makeError(core::ErrorKind::kRuntime,
                           "admin API at " + address_ + ": " + curl_easy_strerror(code));
  }
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &response.status);
  return response;
}

}  // namespace gw::cli
