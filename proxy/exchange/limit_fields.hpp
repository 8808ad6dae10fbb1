#pragma once
// The RateLimit fields of an answer (IETF draft: RateLimit-Policy and RateLimit; or the
// legacy X-RateLimit-*), from the report the rate-limit filter leaves in the exchange's facts.
// The gateway writes them on every answer of a limited route, replacing the upstream's own:
// straight into the head it serializes (appendLimitFields, no field container work per
// request) when no filter edits the answer, else into the head before the filters' edits,
// which have the last word.

#include <string>

#include "proxy/exchange/exchange.hpp"

namespace gw::proxy {

// On `head`, replacing fields of the same names.
void writeLimitFields(const ExchangeFacts::LimitReport& report, http::response_header<>& head);
// "Name: value\r\n" lines appended to `out`, for a head written by appendHead.
void appendLimitFields(const ExchangeFacts::LimitReport& report, std::string& out);
// What those lines say before the remaining count, the same for every answer of a limit:
// made once per limit (LimitReport::lines), so an answer appends it whole.
std::string limitLines(const std::string& name, const std::string& policy, std::int64_t quota,
                       bool legacy);
// Removes `head`'s fields of the names `report` writes (the upstream's own), in one pass.
void eraseLimitFields(const ExchangeFacts::LimitReport& report, http::response_header<>& head);

}  // namespace gw::proxy
