#include "proxy/cache/answer.hpp"

#include <algorithm>
#include <array>
#include <boost/beast/core/string.hpp>
#include <charconv>
#include <chrono>

#include "proxy/http/lists.hpp"

namespace gw::proxy::cache {
namespace {

// Fields a stored answer never keeps: hop-by-hop ones (RFC 9110 7.6.1), and those each answer
// gets anew (Age, Content-Length from the body, the gateway's request id and RateLimit fields).
constexpr std::array<std::string_view, 16> kNotKept{"connection",
                                                    "keep-alive",
                                                    "transfer-encoding",
                                                    "te",
                                                    "trailer",
                                                    "upgrade",
                                                    "proxy-connection",
                                                    "proxy-authenticate",
                                                    "proxy-authorization",
                                                    "age",
                                                    "content-length",
                                                    "x-request-id",
                                                    "ratelimit",
                                                    "ratelimit-policy",
                                                    "x-gw-error",
                                                    "cache-status"};

bool kept(std::string_view name) {
  return std::none_of(kNotKept.begin(), kNotKept.end(),
                      [&](std::string_view n) { return boost::beast::iequals(n, name); });
}

// Calls fn(name, value) for each "Name: value\r\n" line of `lines`.
template <class Fn>
void eachLine(std::string_view lines, Fn fn) {
  while (!lines.empty()) {
    const auto end = lines.find("\r\n");
    const std::string_view line = lines.substr(0, end);
    const auto colon = line.find(':');
    if (colon != std::string_view::npos) {
      std::string_view value = line.substr(colon + 1);
      while (!value.empty() && value.front() == ' ') {
        value.remove_prefix(1);
      }
      fn(line.substr(0, colon), value);
    }
    if (end == std::string_view::npos) {
      break;
    }
    lines.remove_prefix(end + 2);
  }
}

void appendLine(std::string& out, std::string_view name, std::string_view value) {
  out.append(name).append(": ").append(value).append("\r\n");
}

std::optional<Seconds> seconds(std::string_view text) {
  Seconds n = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc{} || end != text.data() + text.size() || n < 0) {
    return std::nullopt;
  }
  return n;
}

// Entity tags of an If-None-Match list compared weakly with `etag` (RFC 9110 8.8.3.2).
bool etagListMatches(std::string_view list, std::string_view etag) {
  const auto opaque = [](std::string_view tag) {
    if (tag.starts_with("W/")) {
      tag.remove_prefix(2);
    }
    return tag;
  };
  const std::string_view mine = opaque(etag);
  bool matched = false;
  forEachListItem(list, [&](std::string_view item) {
    matched = item == "*" || (!mine.empty() && opaque(item) == mine);
    return !matched;
  });
  return matched;
}

void readVaryNames(std::string_view value, std::vector<std::pair<std::string, std::string>>& out) {
  forEachListItem(value, [&](std::string_view item) {
    std::string name(item);
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    out.emplace_back(std::move(name), std::string());
  });
}

}  // namespace

ResponseFacts responseFacts(unsigned status, const http::fields& fields) {
  ResponseFacts facts;
  facts.status = status;
  for (const auto& field : fields) {
    const std::string_view value = field.value();
    switch (field.name()) {
      case http::field::cache_control:
        parseCacheControl(value, facts.cc);
        break;
      case http::field::date:
        facts.date = parseHttpDate(value);
        break;
      case http::field::expires:
        facts.expires = parseHttpDate(value);
        facts.expires_invalid = !facts.expires;
        break;
      case http::field::age:
        facts.age = seconds(value);
        break;
      case http::field::set_cookie:
        facts.set_cookie = true;
        break;
      case http::field::vary:
        facts.vary_star = facts.vary_star || value.find('*') != std::string_view::npos;
        break;
      case http::field::etag:
      case http::field::last_modified:
        facts.validator = true;
        break;
      default:
        break;
    }
  }
  return facts;
}

RequestFacts requestFacts(const http::fields& fields) {
  RequestFacts facts;
  bool cache_control = false;
  bool pragma_no_cache = false;
  for (const auto& field : fields) {
    switch (field.name()) {
      case http::field::cache_control:
        cache_control = true;
        parseCacheControl(field.value(), facts.cc);
        break;
      case http::field::pragma:
        pragma_no_cache = pragma_no_cache || boost::beast::iequals(field.value(), "no-cache");
        break;
      case http::field::authorization:
        facts.authorization = true;
        break;
      default:
        break;
    }
  }
  if (pragma_no_cache && !cache_control) {  // RFC 9111 5.4: only without Cache-Control
    facts.cc.no_cache = true;
  }
  return facts;
}

std::shared_ptr<StoredAnswer> makeStored(unsigned status, const http::fields& fields,
                                         const http::fields& request, const ResponseFacts& facts) {
  auto stored = std::make_shared<StoredAnswer>();
  stored->status = status;
  stored->facts = facts;
  for (const auto& field : fields) {
    const std::string_view name = field.name_string();
    if (!kept(name)) {
      continue;
    }
    appendLine(stored->fields, name, field.value());
    if (field.name() == http::field::etag) {
      stored->etag = field.value();
    } else if (field.name() == http::field::last_modified) {
      stored->last_modified = field.value();
    } else if (field.name() == http::field::vary) {
      readVaryNames(field.value(), stored->vary);
    }
  }
  for (auto& [name, value] : stored->vary) {
    value = varyValue(request, name);
  }
  return stored;
}

std::shared_ptr<StoredAnswer> refreshed(const StoredAnswer& stored, const http::fields& fields304) {
  auto out = std::make_shared<StoredAnswer>(stored);
  out->fields.clear();
  // The stored fields the 304 does not replace, then the 304's.
  eachLine(stored.fields, [&](std::string_view name, std::string_view value) {
    if (fields304.find(name) == fields304.end()) {
      appendLine(out->fields, name, value);
    }
  });
  for (const auto& field : fields304) {
    const std::string_view name = field.name_string();
    if (kept(name)) {
      appendLine(out->fields, name, field.value());
    }
    if (field.name() == http::field::etag) {
      out->etag = field.value();
    } else if (field.name() == http::field::last_modified) {
      out->last_modified = field.value();
    }
  }
  http::fields merged;
  eachLine(out->fields,
           [&](std::string_view name, std::string_view value) { merged.insert(name, value); });
  out->facts = responseFacts(stored.status, merged);
  return out;
}

Conditions conditionsOf(const http::fields& request) {
  Conditions out;
  out.if_none_match = request[http::field::if_none_match];
  out.if_modified_since = request[http::field::if_modified_since];
  return out;
}

bool notModified(const Conditions& client, const StoredAnswer& stored) {
  if (stored.status != 200) {
    return false;
  }
  if (!client.if_none_match.empty()) {
    return etagListMatches(client.if_none_match, stored.etag);
  }
  if (client.if_modified_since.empty() || stored.last_modified.empty()) {
    return false;
  }
  const auto since = parseHttpDate(client.if_modified_since);
  const auto modified = parseHttpDate(stored.last_modified);
  return since && modified && *modified <= *since;
}

void writeStored(const StoredAnswer& stored, Seconds age, bool not_modified,
                 std::string_view cache_status, http::response<http::string_body>& out) {
  out = {};
  out.result(not_modified ? 304U : stored.status);
  eachLine(stored.fields,
           [&](std::string_view name, std::string_view value) { out.insert(name, value); });
  out.set(http::field::age, std::to_string(age));
  out.set("Cache-Status", cache_status);
  if (!not_modified) {
    out.body() = stored.body;
  }
}

std::string cacheKey(std::string_view host, std::string_view target, std::string_view consumer) {
  // The port says nothing of the resource: "shop.test:8080" and "shop.test" share answers.
  const auto colon = host.rfind(':');
  if (colon != std::string_view::npos && host.find(']', colon) == std::string_view::npos) {
    host = host.substr(0, colon);
  }
  std::string key;
  key.reserve(host.size() + target.size() + consumer.size() + 1);
  for (const char c : host) {
    key += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  key.append(target);
  key += '\x1f';  // so a purge of a URL never touches a longer one
  key.append(consumer);
  return key;
}

Seconds nowSeconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace gw::proxy::cache
