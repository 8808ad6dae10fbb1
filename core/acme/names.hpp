#pragma once
// The DNS names a certificate may be for (RFC 8555 section 7.1.4 "dns" identifiers): checked
// before anything reaches the CA, so a typo is refused with a sentence naming it, not with a
// CA's rejectedIdentifier after a network round trip.

#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace gw::acme {

// An ASCII (or already punycoded) host name of labels [a-z0-9-], 1 to 63 characters each,
// not starting or ending with '-', 253 characters at most, at least two labels; "*." may lead
// (a wildcard, which only DNS-01 can prove). Refusals name the input and the reason.
core::Status validateDomain(std::string_view name);

// Lower-cased, duplicates dropped, order kept (the first is the certificate's common name);
// every name validated; an empty list is refused.
core::Result<std::vector<std::string>> normalizeDomains(const std::vector<std::string>& names);

}  // namespace gw::acme
