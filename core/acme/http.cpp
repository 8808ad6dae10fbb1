#include "core/acme/http.hpp"

#include <algorithm>
#include <array>
#include <cctype>

#include "core/acme/curl_library.hpp"

namespace gw::acme {

namespace {

// Answers from an ACME server are small (a chain is a few KiB); a larger one is refused
// rather than held in memory.
constexpr std::size_t kMaxBody = 4 * 1024 * 1024;

struct Collected {
  HttpResponse response;
  bool too_large = false;
};

std::size_t onBody(char* data, std::size_t size, std::size_t count, void* user) {
  auto* collected = static_cast<Collected*>(user);
  const std::size_t n = size * count;
  if (collected->response.body.size() + n > kMaxBody) {
    collected->too_large = true;
    return 0;  // makes curl stop with CURLE_WRITE_ERROR
  }
  collected->response.body.append(data, n);
  return n;
}

std::string trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front())) != 0) {
    s.remove_prefix(1);
  }
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back())) != 0) {
    s.remove_suffix(1);
  }
  return std::string(s);
}

std::size_t onHeader(char* data, std::size_t size, std::size_t count, void* user) {
  auto* collected = static_cast<Collected*>(user);
  const std::size_t n = size * count;
  const std::string_view line(data, n);
  if (line.starts_with("HTTP/")) {
    collected->response.headers.clear();  // a new response (after 100 Continue, say)
    return n;
  }
  const std::size_t colon = line.find(':');
  if (colon != std::string_view::npos) {
    std::string name(line.substr(0, colon));
    std::transform(name.begin(), name.end(), name.begin(), [](char c) {
      return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    });
    collected->response.headers.emplace_back(std::move(name), trim(line.substr(colon + 1)));
  }
  return n;
}

}  // namespace

struct HttpClient::Handle {
  const CurlLibrary* api = nullptr;
  std::string error;  // why there is no handle
  CURL* curl = nullptr;
  Handle() : api(curlLibrary(error)) {
    if (api != nullptr) {
      curl = api->easy_init();
    }
  }
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  ~Handle() {
    if (curl != nullptr) {
      api->easy_cleanup(curl);
    }
  }
};

std::string HttpResponse::header(std::string_view name) const {
  // The last one wins: a repeated single-valued header is the later value.
  const auto it = std::find_if(headers.rbegin(), headers.rend(),
                               [&](const auto& header) { return header.first == name; });
  return it == headers.rend() ? std::string() : it->second;
}

HttpClient::HttpClient(HttpSettings settings)
    : settings_(std::move(settings)), handle_(std::make_unique<Handle>()) {}
HttpClient::HttpClient(HttpClient&&) noexcept = default;
HttpClient& HttpClient::operator=(HttpClient&&) noexcept = default;
HttpClient::~HttpClient() = default;

core::Result<HttpResponse> HttpClient::send(const HttpRequest& request) {
  CURL* curl = handle_->curl;
  if (curl == nullptr) {
    return core::makeError(
        core::ErrorKind::kRuntime,
        "could not start libcurl" + (handle_->error.empty() ? "" : ": " + handle_->error));
  }
  const CurlLibrary& api = *handle_->api;
  api.easy_reset(curl);
  Collected collected;
  std::array<char, CURL_ERROR_SIZE> error{};
  const auto free_list = [&api](curl_slist* list) { api.slist_free_all(list); };
  std::unique_ptr<curl_slist, decltype(free_list)> headers(nullptr, free_list);
  const auto add_header = [&](const std::string& line) {
    headers.reset(api.slist_append(headers.release(), line.c_str()));
  };
  if (!request.content_type.empty()) {
    add_header("Content-Type: " + request.content_type);
  }
  if (!request.accept.empty()) {
    add_header("Accept: " + request.accept);
  }
  api.easy_setopt(curl, CURLOPT_URL, request.url.c_str());
  api.easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
  api.easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  api.easy_setopt(curl, CURLOPT_ERRORBUFFER, error.data());
  api.easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(settings_.timeout.count()));
  api.easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS,
                  static_cast<long>(settings_.connect_timeout.count()));
  api.easy_setopt(curl, CURLOPT_USERAGENT, settings_.user_agent.c_str());
  if (!settings_.ca_file.empty()) {
    api.easy_setopt(curl, CURLOPT_CAINFO, settings_.ca_file.c_str());
  }
  api.easy_setopt(curl, CURLOPT_WRITEFUNCTION, onBody);
  api.easy_setopt(curl, CURLOPT_WRITEDATA, &collected);
  api.easy_setopt(curl, CURLOPT_HEADERFUNCTION, onHeader);
  api.easy_setopt(curl, CURLOPT_HEADERDATA, &collected);
  api.easy_setopt(curl, CURLOPT_HTTPHEADER, headers.get());
  if (request.method == "POST") {
    api.easy_setopt(curl, CURLOPT_POST, 1L);
    api.easy_setopt(curl, CURLOPT_POSTFIELDS, request.body.c_str());
    api.easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE,
                    static_cast<curl_off_t>(request.body.size()));
  } else if (request.method == "HEAD") {
    api.easy_setopt(curl, CURLOPT_NOBODY, 1L);
  }
  const CURLcode rc = api.easy_perform(curl);
  if (collected.too_large) {
    return core::makeError(core::ErrorKind::kRuntime,
                           request.url + " answered with more than 4 MiB; refused");
  }
  if (rc != CURLE_OK) {
    const std::string why = error[0] != '\0' ? error.data() : api.easy_strerror(rc);
    return core::makeError(core::ErrorKind::kRuntime,
                           "could not reach " + request.url + ": " + why);
  }
  api.easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &collected.response.status);
  return std::move(collected.response);
}

}  // namespace gw::acme
