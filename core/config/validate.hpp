#pragma once
// Semantic checks over a whole Config. Collects every error; never stops at the first.
//
// Checks: names (non-empty, [a-z0-9][a-z0-9.-]*, unique per kind); listeners (protocol,
// port 1..65535, no two listeners on one port where addresses overlap, across gateways);
// services (at least one endpoint, each HOST:PORT); routes (gateway and services exist,
// weights 0..100 summing to 100, at least one destination unless it redirects, path starts
// with '/', regex compiles, methods are tokens, durations positive, no precedence tie:
// two routes on one gateway with a shared host, the same match, methods, headers and
// priority); gateways' https settings (an https listener for httpsRedirect, hsts and tls
// auto; the preload list's rule; the issuer's settings, the ACME CA file readable);
// certificates (domains non-empty).

#include <vector>

#include "core/config/diagnostic.hpp"
#include "core/config/model.hpp"
#include "core/result.hpp"

namespace gw::core {

// Diagnostics carry positions from `source` when given.
std::vector<Diagnostic> validate(const Config& config, const SourceMap* source = nullptr);

// decode + validate in one: the document a proxy or a command may act on.
// Error kind kValidation with every diagnostic in details.
Result<Config> loadDocument(std::string_view text, const std::string& file);

// Wraps diagnostics into an Error (kValidation), message "<what>: N error(s)".
Error validationError(const std::string& what, const std::vector<Diagnostic>& diagnostics);

}  // namespace gw::core
