#include "proxy/filter/cors/cors.hpp"

#include <algorithm>
#include <array>

#include "core/config/checks.hpp"
#include "proxy/http/lists.hpp"

namespace gw::proxy::filter {
namespace {

std::string joinList(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& item : items) {
    if (!out.empty()) {
      out += ", ";
    }
    out += item;
  }
  return out;
}

bool equalsNoCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

// "https://*.shop.test" matches "https://a.shop.test" and "https://a.b.shop.test".
bool matchesOrigin(std::string_view pattern, std::string_view origin) {
  const auto star = pattern.find('*');
  if (star == std::string_view::npos) {
    return equalsNoCase(pattern, origin);
  }
  const std::string_view head = pattern.substr(0, star);
  const std::string_view tail = pattern.substr(star + 1);
  if (origin.size() <= head.size() + tail.size()) {
    return false;
  }
  const std::string_view middle =
      origin.substr(head.size(), origin.size() - head.size() - tail.size());
  const bool plain = std::none_of(middle.begin(), middle.end(),
                                  [](char c) { return c == '/' || c == ':' || c == '@'; });
  return plain && equalsNoCase(origin.substr(0, head.size()), head) &&
         equalsNoCase(origin.substr(origin.size() - tail.size()), tail);
}

// Request headers a page may send without asking (the Fetch standard's safelist).
bool safelisted(std::string_view header) {
  constexpr std::array<std::string_view, 4> kSafe{"accept", "accept-language", "content-language",
                                                  "content-type"};
  return std::any_of(kSafe.begin(), kSafe.end(),
                     [&](std::string_view safe) { return equalsNoCase(safe, header); });
}

}  // namespace

CorsFilter::CorsFilter(core::Cors cors) : cors_(std::move(cors)) {
  any_origin_ = std::find(cors_.origins.begin(), cors_.origins.end(), "*") != cors_.origins.end();
  if (cors_.methods.empty()) {
    cors_.methods = {"GET", "HEAD", "POST"};
  }
  methods_ = joinList(cors_.methods);
  expose_ = joinList(cors_.expose_headers);
  max_age_ = std::to_string(cors_.max_age.count());
}

bool CorsFilter::allowsOrigin(std::string_view origin) const {
  if (any_origin_) {
    return true;
  }
  return std::any_of(cors_.origins.begin(), cors_.origins.end(),
                     [&](const std::string& pattern) { return matchesOrigin(pattern, origin); });
}

bool CorsFilter::allowsMethod(std::string_view method) const {
  return std::find(cors_.methods.begin(), cors_.methods.end(), method) != cors_.methods.end();
}

bool CorsFilter::allowsHeaders(std::string_view requested) const {
  bool allowed = true;
  forEachListItem(requested, [&](std::string_view header) {
    allowed = safelisted(header) ||
              std::any_of(cors_.headers.begin(), cors_.headers.end(),
                          [&](const std::string& h) { return equalsNoCase(h, header); });
    return allowed;
  });
  return allowed;
}

void CorsFilter::setOrigin(http::response_header<>& head, std::string_view origin) const {
  if (any_origin_ && !cors_.credentials) {
    head.set(http::field::access_control_allow_origin, "*");
    return;
  }
  head.set(http::field::access_control_allow_origin, origin);
  head.insert(http::field::vary, "Origin");  // the answer depends on who asks
  if (cors_.credentials) {
    head.set(http::field::access_control_allow_credentials, "true");
  }
}

Status CorsFilter::answerPreflight(Exchange& exchange, std::string_view origin) const {
  const auto& req = exchange.request();
  const std::string_view method = req[http::field::access_control_request_method];
  const std::string_view headers = req[http::field::access_control_request_headers];
  if (!allowsOrigin(origin) || !allowsMethod(method) || !allowsHeaders(headers)) {
    return refuse(exchange, Reason::kCorsRefused);
  }
  auto& res = exchange.local;
  res = {};
  res.result(http::status::no_content);
  setOrigin(res, origin);
  res.set(http::field::access_control_allow_methods, methods_);
  if (!headers.empty()) {
    res.set(http::field::access_control_allow_headers, headers);
  }
  res.set(http::field::access_control_max_age, max_age_);
  return Status::kAnswer;
}

Status CorsFilter::onRequest(Exchange& exchange, FilterHost& /*host*/) const {
  const auto& req = exchange.request();
  const auto origin = req.find(http::field::origin);
  if (origin == req.end()) {
    return Status::kContinue;  // not a cross-origin request
  }
  if (req.method() == http::verb::options &&
      req.find(http::field::access_control_request_method) != req.end()) {
    exchange.facts.access_checked = true;  // a preflight's verdict counts like any refusal
    return answerPreflight(exchange, origin->value());
  }
  return Status::kContinue;
}

void CorsFilter::onResponse(Exchange& exchange, http::response_header<>& head) const {
  if (!exchange.parser) {
    return;
  }
  const auto& req = exchange.request();
  const auto origin = req.find(http::field::origin);
  if (origin == req.end() || !allowsOrigin(origin->value())) {
    if (origin != req.end() && !any_origin_) {
      head.insert(http::field::vary, "Origin");
    }
    return;
  }
  setOrigin(head, origin->value());
  if (!expose_.empty()) {
    head.set(http::field::access_control_expose_headers, expose_);
  }
}

std::unique_ptr<Filter> build(const core::Cors& spec, const BuildContext& /*ctx*/) {
  return std::make_unique<CorsFilter>(spec);
}

}  // namespace gw::proxy::filter
