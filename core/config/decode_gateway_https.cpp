// The https settings of a gateway: httpsRedirect is read with the gateway's other scalars,
// hsts and tls here.

#include "core/config/acme_order_keys.hpp"
#include "core/config/checks.hpp"
#include "core/config/decode_parts.hpp"

namespace gw::core::yaml {
namespace {

using Path = std::string;

// A gateway asks an issuer for certificates; an imported certificate has none to ask.
std::optional<Issuer> parseAskableIssuer(std::string_view s) {
  const auto issuer = parseIssuer(s);
  return issuer == Issuer::kImported ? std::nullopt : issuer;
}

// A duration in whole seconds. A negative one is read (the duration syntax has no sign) so
// that validation reports it with the other range errors.
void decodeMaxAge(Reader& r, const Node& node, const Path& path, std::chrono::seconds& out) {
  const std::string text = node.isScalar() ? node.scalar() : std::string();
  const bool negative = text.starts_with('-');
  const auto duration = parseDuration(negative ? std::string_view(text).substr(1) : text);
  if (!duration) {
    r.expected(path, "a duration such as 1y, 180d or 3600s", node);
    return;
  }
  if (duration->count() % 1000 != 0) {
    r.error(path, "must be whole seconds (got " + text + ")");
    return;
  }
  const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(*duration);
  out = negative ? -seconds : seconds;
}

}  // namespace

void decodeHsts(Reader& r, const Node& node, const Path& path, std::optional<Hsts>& out) {
  Hsts hsts;
  Fields f(r, node, path, {"maxAge", "includeSubdomains", "preload"});
  f.required("maxAge", [&](const Node& v, const Path& p) { decodeMaxAge(r, v, p, hsts.max_age); });
  f.optional("includeSubdomains",
             [&](const Node& v, const Path& p) { r.boolean(v, p, hsts.include_subdomains); });
  f.optional("preload", [&](const Node& v, const Path& p) { r.boolean(v, p, hsts.preload); });
  out = hsts;
}

void decodeGatewayTls(Reader& r, const Node& node, const Path& path,
                      std::optional<GatewayTls>& out) {
  GatewayTls tls;
  Fields f(r, node, path,
           {"mode", "issuer", "acmeDirectory", "acmeCaFile", "email", "challenge", "keyType",
            "profile", "dnsHook"});
  f.required("mode", [&](const Node& v, const Path& p) {
    r.enumeration(v, p, parseTlsMode, "auto, manual", tls.mode);
  });
  f.optional("issuer", [&](const Node& v, const Path& p) {
    r.enumeration(v, p, parseAskableIssuer, "letsencrypt, letsencrypt-staging, acme, internal",
                  tls.issuer);
  });
  for (const auto& key_member : kAcmeOrderKeys) {
    std::string AcmeOrder::*member = key_member.second;
    f.optional(key_member.first,
               [&, member](const Node& v, const Path& p) { r.string(v, p, tls.acme.*member); });
  }
  out = tls;
}

}  // namespace gw::core::yaml
