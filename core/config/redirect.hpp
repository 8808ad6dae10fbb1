#pragma once
// The two spellings of a redirect: the URL shorthand of the document and the Location the
// gateway answers with. Pure string work, shared by the document code and the proxy.

#include <optional>
#include <string>
#include <string_view>

#include "core/config/model.hpp"

namespace gw::core {

// "https://example.com:8443/a?b=c" -> scheme, host, port and path (with any query), or a
// path alone ("/v2"), which keeps the request's scheme and host. Every other part keeps its
// default, as in the mapping form: code 302, and the request's query kept (after the URL's
// own, if any). Nothing for anything but http(s) URLs with a host or paths.
std::optional<Redirect> parseRedirectUrl(std::string_view url);

// The URL shorthand of `r` when parseRedirectUrl would give back exactly `r`.
std::optional<std::string> redirectUrl(const Redirect& r);

// What the request looked like, for the parts a redirect keeps.
struct RequestUrl {
  std::string_view scheme;  // "http" or "https"
  std::string_view host;    // the Host header, maybe with a port
  std::string_view path;    // without the query
  std::string_view query;   // without the '?'
};

// The Location for `request` on `route`: the redirect's parts where set, the request's
// elsewhere. A changed scheme or host drops the request's port; default ports are left out.
std::string redirectLocation(const Redirect& r, const Route& route, const RequestUrl& request);

// The path with a prefix route's matched prefix replaced by `prefix`, one '/' between.
std::string replacePrefix(std::string_view path, std::string_view matched, std::string_view prefix);

}  // namespace gw::core
