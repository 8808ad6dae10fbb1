#pragma once
// The consumers part of `gw status`: each authenticated consumer's requests and answers by
// class while the proxy runs, from its /v1/stats.

#include <iosfwd>

#include "cli/output.hpp"
#include "proxy/admin/client.hpp"

namespace gw::cli {

// [{"name", "requests", "2xx", "4xx", "5xx"}, ...] for consumers that sent any request; an
// empty array when the stats cannot be read.
Json consumerTraffic(const proxy::AdminClient& admin);

// The CONSUMERS table; nothing when `consumers` is empty.
void printConsumers(std::ostream& out, const Json& consumers, bool color);

}  // namespace gw::cli
