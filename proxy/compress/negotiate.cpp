#include "proxy/compress/negotiate.hpp"

#include <fnmatch.h>

#include <algorithm>
#include <boost/beast/core/string.hpp>
#include <charconv>
#include <cmath>
#include <string>

#include "proxy/http/lists.hpp"

namespace gw::proxy::compress {
namespace {

// A q-value in thousandths ("q=0.5" -> 500); 1000 without one, -1 when malformed.
int qualityOf(std::string_view params) {
  while (!params.empty()) {
    const auto semi = params.find(';');
    const std::string_view param = trimOws(params.substr(0, semi));
    if (param.size() >= 2 && (param[0] == 'q' || param[0] == 'Q') && param[1] == '=') {
      const std::string_view value = param.substr(2);
      double q = 0;
      const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), q);
      if (ec != std::errc{} || end != value.data() + value.size() || q < 0 || q > 1) {
        return -1;
      }
      return static_cast<int>(std::lround(q * 1000));
    }
    if (semi == std::string_view::npos) {
      break;
    }
    params.remove_prefix(semi + 1);
  }
  return 1000;
}

struct Weights {
  int star = -1;  // -1: not named
  int named[3] = {-1, -1, -1};
};

Weights weightsOf(std::string_view accept) {
  Weights w;
  forEachListItem(accept, [&](std::string_view item) {
    const auto semi = item.find(';');
    std::string coding(trimOws(item.substr(0, semi)));
    std::transform(coding.begin(), coding.end(), coding.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    const int q = semi == std::string_view::npos ? 1000 : qualityOf(item.substr(semi + 1));
    if (q >= 0) {
      if (coding == "*") {
        w.star = q;
      } else if (const auto e = core::parseEncoding(coding)) {
        w.named[static_cast<int>(*e)] = q;
      } else if (coding == "x-gzip") {
        w.named[static_cast<int>(core::Compress::Encoding::kGzip)] = q;
      }
    }
  });
  return w;
}

}  // namespace

std::optional<core::Compress::Encoding> negotiate(
    std::string_view accept, const std::vector<core::Compress::Encoding>& offered) {
  const Weights w = weightsOf(accept);
  std::optional<core::Compress::Encoding> best;
  int best_q = 0;
  for (const core::Compress::Encoding e : offered) {
    int q = w.named[static_cast<int>(e)];
    if (q < 0) {
      q = w.star < 0 ? 0 : w.star;
    }
    if (q > best_q) {  // ties keep the gateway's earlier choice
      best = e;
      best_q = q;
    }
  }
  return best;
}

bool compressibleType(std::string_view type, const std::vector<std::string>& patterns) {
  type = trimOws(type.substr(0, type.find(';')));
  if (type.empty()) {
    return false;
  }
  std::string lower(type);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  const auto& list = patterns.empty() ? core::defaultCompressTypes() : patterns;
  return std::any_of(list.begin(), list.end(), [&](const std::string& pattern) {
    return fnmatch(pattern.c_str(), lower.c_str(), 0) == 0;
  });
}

bool eligible(unsigned status, const http::fields& head, const core::Compress& spec) {
  if (status < 200 || status == 204 || status == 206 || status == 304) {
    return false;
  }
  const auto encoding = head.find(http::field::content_encoding);
  if (encoding != head.end() && !boost::beast::iequals(trimOws(encoding->value()), "identity")) {
    return false;  // already encoded
  }
  for (auto [it, end] = head.equal_range(http::field::cache_control); it != end; ++it) {
    std::string value(it->value());
    std::transform(value.begin(), value.end(), value.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (value.find("no-transform") != std::string::npos) {
      return false;
    }
  }
  const auto type = head.find(http::field::content_type);
  if (type == head.end() || !compressibleType(type->value(), spec.types)) {
    return false;
  }
  const auto length = head.find(http::field::content_length);
  if (length != head.end()) {
    const std::string_view text = length->value();
    std::uint64_t n = 0;
    std::from_chars(text.data(), text.data() + text.size(), n);
    if (n < static_cast<std::uint64_t>(spec.min_size)) {
      return false;
    }
  }
  return true;
}

void markEncoded(http::fields& head, core::Compress::Encoding encoding) {
  head.set(http::field::content_encoding, core::toString(encoding));
  head.erase(http::field::content_length);
  head.erase(http::field::accept_ranges);
  const auto etag = head.find(http::field::etag);
  if (etag != head.end() && !etag->value().starts_with("W/")) {
    head.set(http::field::etag, "W/" + std::string(etag->value()));
  }
}

void addVary(http::fields& head) {
  for (auto [it, end] = head.equal_range(http::field::vary); it != end; ++it) {
    std::string value(it->value());
    std::transform(value.begin(), value.end(), value.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (value.find("accept-encoding") != std::string::npos || trimOws(value) == "*") {
      return;
    }
  }
  head.insert(http::field::vary, "Accept-Encoding");
}

}  // namespace gw::proxy::compress
