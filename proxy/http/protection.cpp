#include "proxy/http/protection.hpp"

#include <algorithm>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http/rfc7230.hpp>

namespace gw::proxy {
namespace {

std::string_view trimmed(std::string_view value) {
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) {
    value.remove_prefix(1);
  }
  while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) {
    value.remove_suffix(1);
  }
  return value;
}

bool framingIsSound(const http::request_header<>& req) {
  std::size_t lengths = 0;
  std::size_t codings = 0;
  std::size_t hosts = 0;
  std::string_view coding;
  for (const auto& field : req) {
    switch (field.name()) {
      case http::field::content_length:
        ++lengths;
        if (field.value().find(',') != std::string_view::npos) {
          return false;  // "5, 5": a list where one number is expected
        }
        break;
      case http::field::transfer_encoding:
        ++codings;
        coding = field.value();
        break;
      case http::field::host:
        ++hosts;
        break;
      default:
        break;
    }
  }
  if (lengths > 1 || codings > 1 || hosts > 1 || (lengths > 0 && codings > 0)) {
    return false;
  }
  if (codings == 1) {
    // HTTP/1.0 has no chunked coding: a 1.0 message with one has faulty framing.
    return req.version() >= 11 && beast::iequals(trimmed(coding), "chunked");
  }
  return true;
}

// origin-form ("/path"), absolute-form ("http://host/path") or "*" for OPTIONS; anything
// else (authority-form included: there is no CONNECT tunnelling) cannot be routed.
bool targetIsRoutable(const http::request_header<>& req) {
  const std::string_view target = req.target();
  if (!target.empty() && target.front() == '/') {
    return true;
  }
  if (target == "*") {
    return req.method() == http::verb::options;
  }
  const auto scheme = target.find("://");
  return scheme != std::string_view::npos && (beast::iequals(target.substr(0, scheme), "http") ||
                                              beast::iequals(target.substr(0, scheme), "https"));
}

}  // namespace

std::size_t headEnd(std::string_view bytes, std::size_t from) {
  // Beast ends a head at the first empty line; a bare LF one is refused by its parser later.
  from = from > 3 ? from - 3 : 0;  // the end may straddle the previous search's
  const std::size_t crlf = bytes.find("\r\n\r\n", from);
  const std::size_t lf = bytes.find("\n\n", from);
  if (crlf == std::string_view::npos && lf == std::string_view::npos) {
    return std::string_view::npos;
  }
  if (lf == std::string_view::npos || (crlf != std::string_view::npos && crlf < lf)) {
    return crlf + 4;
  }
  return lf + 2;
}

Reason screenHead(std::string_view head) {
  // A line starting with SP or HTAB continues the previous one (obs-fold); RFC 9112 lets a
  // server refuse it, and refusing is the only safe choice for a proxy. The last two bytes
  // are the blank line.
  for (std::size_t i = head.find('\n'); i != std::string_view::npos && i + 1 < head.size();
       i = head.find('\n', i + 1)) {
    if (head[i + 1] == ' ' || head[i + 1] == '\t') {
      return Reason::kBadRequest;
    }
  }
  return Reason::kNone;
}

Reason oversizedHead(std::string_view bytes, const core::Limits& limits) {
  const std::string_view line = bytes.substr(0, bytes.find_first_of("\r\n"));
  const std::size_t method_end = line.find(' ');
  if (method_end == std::string_view::npos) {
    return Reason::kHeaderTooLarge;
  }
  const std::size_t target_end = line.find(' ', method_end + 1);
  const std::size_t target_size =
      (target_end == std::string_view::npos ? line.size() : target_end) - method_end - 1;
  return target_size > limits.max_uri_bytes ? Reason::kUriTooLong : Reason::kHeaderTooLarge;
}

Reason checkHead(const http::request_header<>& req, const core::Limits& limits) {
  if (req.target().size() > limits.max_uri_bytes) {
    return Reason::kUriTooLong;
  }
  std::size_t count = 0;
  for (auto it = req.begin(); it != req.end(); ++it) {
    if (++count > limits.max_headers) {
      return Reason::kHeaderTooLarge;
    }
  }
  return framingIsSound(req) && targetIsRoutable(req) ? Reason::kNone : Reason::kBadRequest;
}

bool isMalformed(const error_code& ec) {
  return ec.category() == http::make_error_code(http::error::bad_target).category() &&
         ec != http::error::end_of_stream && ec != http::error::partial_message;
}

bool isWebSocketUpgrade(const http::request_header<>& req) {
  if (req.method() != http::verb::get || req.version() < 11) {
    return false;
  }
  const auto upgrade = req.find(http::field::upgrade);
  if (upgrade == req.end() || !beast::iequals(trimmed(upgrade->value()), "websocket")) {
    return false;
  }
  const http::token_list connection(req[http::field::connection]);
  return std::any_of(connection.begin(), connection.end(),
                     [](const auto token) { return beast::iequals(token, "upgrade"); });
}

bool acceptsTrailers(const http::request_header<>& req) {
  const auto te = req.find(http::field::te);
  if (te == req.end()) {
    return false;
  }
  const http::ext_list extensions(te->value());
  return std::any_of(extensions.begin(), extensions.end(),
                     [](const auto& token) { return beast::iequals(token.first, "trailers"); });
}

}  // namespace gw::proxy
