#pragma once
// Stored answers made from, compared with and written into HTTP messages: the facts RFC 9111
// needs read off a response's fields, the fields kept with a stored answer (none of the
// hop-by-hop ones, nor what each answer gets anew: Age, Content-Length, the request id), a
// 304's fields merged into a stored answer when it is revalidated, and a stored answer
// written out as the gateway's own answer, with its Age and its Cache-Status (RFC 9211).

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <memory>
#include <string>
#include <string_view>

#include "proxy/cache/policy.hpp"
#include "proxy/cache/store.hpp"

namespace gw::proxy::cache {

// The facts of a response with `status` and `fields`.
ResponseFacts responseFacts(unsigned status, const http::fields& fields);
// Cache-Control and Pragma: no-cache (RFC 9111 5.4) of a request, and whether it carries
// Authorization.
RequestFacts requestFacts(const http::fields& fields);

// A stored answer for `status` and `fields` (the body is added as it is relayed):
// `request` gives the values of what Vary names, `lifetime` its freshness.
std::shared_ptr<StoredAnswer> makeStored(unsigned status, const http::fields& fields,
                                         const http::fields& request, const ResponseFacts& facts);

// `stored` refreshed by a 304 that answered its revalidation (RFC 9111 4.3.4): the 304's
// fields replace the stored ones of the same names.
std::shared_ptr<StoredAnswer> refreshed(const StoredAnswer& stored, const http::fields& fields304);

// The client's own conditions (its If-None-Match, else its If-Modified-Since; empty when it
// sent none).
struct Conditions {
  std::string if_none_match;
  std::string if_modified_since;
};
Conditions conditionsOf(const http::fields& request);
// They match `stored`: a 304 answers them (RFC 9110 13.2.2).
bool notModified(const Conditions& client, const StoredAnswer& stored);

// `stored` as the gateway's answer in `out`: status, fields, body (or a 304 without one), Age
// and Cache-Status `cache_status`.
void writeStored(const StoredAnswer& stored, Seconds age, bool not_modified,
                 std::string_view cache_status, http::response<http::string_body>& out);

// The request's key: host (lower case, without a port) and target, and the consumer when the
// route authenticates. Purges match its start: host and target.
std::string cacheKey(std::string_view host, std::string_view target, std::string_view consumer);

// Unix seconds now.
Seconds nowSeconds();

}  // namespace gw::proxy::cache
