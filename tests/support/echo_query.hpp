#pragma once
// gw-echo's query parameters (echo_backend.cpp): reading them, and the cache fields a test
// asks the answer to carry.

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <charconv>
#include <string>
#include <string_view>

namespace gw::echo {

namespace http = boost::beast::http;

// `text` with its %XX escapes (and + for a space) decoded.
inline std::string percentDecoded(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size()) {
      unsigned value = 0;
      std::from_chars(text.data() + i + 1, text.data() + i + 3, value, 16);
      out += static_cast<char>(value);
      i += 2;
    } else {
      out += text[i] == '+' ? ' ' : text[i];
    }
  }
  return out;
}

// Value of `key` in the query part of `target`, or "" when absent.
inline std::string_view queryParam(std::string_view target, std::string_view key) {
  const auto q = target.find('?');
  if (q == std::string_view::npos) {
    return {};
  }
  std::string_view rest = target.substr(q + 1);
  while (!rest.empty()) {
    const auto amp = rest.find('&');
    const std::string_view pair = rest.substr(0, amp);
    const auto eq = pair.find('=');
    if (pair.substr(0, eq) == key) {
      return eq == std::string_view::npos ? std::string_view{} : pair.substr(eq + 1);
    }
    if (amp == std::string_view::npos) {
      break;
    }
    rest = rest.substr(amp + 1);
  }
  return {};
}

// The fields a cache test asks for (cc, etag, lastmod, vary, cookie), and a 304 when the
// request's validators match.
inline void applyCacheFields(const http::request<http::string_body>& req,
                             http::response<http::string_body>& res) {
  const std::string_view target = req.target();
  if (const auto cc = queryParam(target, "cc"); !cc.empty()) {
    res.set(http::field::cache_control, percentDecoded(cc));
  }
  if (const auto vary = queryParam(target, "vary"); !vary.empty()) {
    res.set(http::field::vary, vary);
    res.body() += std::string(req[vary]) + "\n";
  }
  if (queryParam(target, "cookie") == "1") {
    res.set(http::field::set_cookie, "session=abc; Path=/");
  }
  bool not_modified = false;
  if (const auto etag = queryParam(target, "etag"); !etag.empty()) {
    const std::string tag = "\"" + std::string(etag) + "\"";
    res.set(http::field::etag, tag);
    not_modified = req[http::field::if_none_match] == tag;
  }
  if (queryParam(target, "lastmod") == "1") {
    constexpr std::string_view kModified = "Mon, 01 Jan 2024 00:00:00 GMT";
    res.set(http::field::last_modified, kModified);
    not_modified = not_modified || req[http::field::if_modified_since] == kModified;
  }
  if (not_modified && res.result() == http::status::ok) {
    res.result(http::status::not_modified);
    res.body().clear();
  }
}

}  // namespace gw::echo
