// The access-control sections of the document (access.hpp): consumers, JWT providers, and
// the auth, authorization, IP list, CORS and client-address settings of gateways and routes.

#include "core/config/decode_parts.hpp"

namespace gw::core::yaml {
namespace {

using Path = std::string;

bool seconds(Reader& r, const Node& node, const Path& path, std::chrono::seconds& out) {
  Millis value{};
  if (!r.duration(node, path, value)) {
    return false;
  }
  out = std::chrono::duration_cast<std::chrono::seconds>(value);
  return true;
}

void decodeApiKey(Reader& r, const Node& node, const Path& path, ApiKey& out) {
  Fields f(r, node, path, {"id", "sha256", "created"});
  f.required("id", [&](const Node& v, const Path& p) { r.string(v, p, out.id); });
  f.required("sha256", [&](const Node& v, const Path& p) { r.string(v, p, out.sha256); });
  f.optional("created", [&](const Node& v, const Path& p) { r.string(v, p, out.created); });
}

void decodeBasicUser(Reader& r, const Node& node, const Path& path, BasicUser& out) {
  Fields f(r, node, path, {"user", "hash"});
  f.required("user", [&](const Node& v, const Path& p) { r.string(v, p, out.user); });
  f.required("hash", [&](const Node& v, const Path& p) { r.string(v, p, out.hash); });
}

void decodeJwtIdentity(Reader& r, const Node& node, const Path& path, JwtIdentity& out) {
  Fields f(r, node, path, {"provider", "claim", "value"});
  f.required("provider", [&](const Node& v, const Path& p) { r.string(v, p, out.provider); });
  f.optional("claim", [&](const Node& v, const Path& p) { r.string(v, p, out.claim); });
  f.required("value", [&](const Node& v, const Path& p) { r.string(v, p, out.value); });
}

void decodeClaimHeader(Reader& r, const Node& node, const Path& path, ClaimHeader& out) {
  Fields f(r, node, path, {"claim", "header"});
  f.required("claim", [&](const Node& v, const Path& p) { r.string(v, p, out.claim); });
  f.required("header", [&](const Node& v, const Path& p) { r.string(v, p, out.header); });
}

// {claim: [values...]} or {claim: value}, in document order.
void decodeClaimRules(Reader& r, const Node& node, const Path& path, std::vector<ClaimRule>& out) {
  if (!node.isMap()) {
    r.expected(path, "a mapping of claim names to values", node);
    return;
  }
  for (std::size_t i = 0; i < node.size(); ++i) {
    const Node key = node.key(i);
    if (!key.isScalar()) {
      r.mark(path, key.mark());
      r.error(path, "keys must be claim names (got " + describe(key) + ")");
      continue;
    }
    const Path item_path = join(path, key.scalar());
    r.mark(item_path, key.mark());
    ClaimRule rule{key.scalar(), {}};
    const Node value = node.value(i);
    bool read = false;
    if (value.isScalar()) {
      std::string one;
      read = r.string(value, item_path, one);
      rule.values.push_back(std::move(one));
    } else {
      read = r.stringList(value, item_path, rule.values);
    }
    if (read) {
      out.push_back(std::move(rule));
    }
  }
}

void decodeAccessRule(Reader& r, const Node& node, const Path& path,
                      std::optional<AccessRule>& out) {
  AccessRule rule;
  Fields f(r, node, path, {"consumers", "groups", "claims"});
  f.optional("consumers",
             [&](const Node& v, const Path& p) { r.stringList(v, p, rule.consumers); });
  f.optional("groups", [&](const Node& v, const Path& p) { r.stringList(v, p, rule.groups); });
  f.optional("claims",
             [&](const Node& v, const Path& p) { decodeClaimRules(r, v, p, rule.claims); });
  out = std::move(rule);
}

std::optional<Authorization::Mode> parseAuthzMode(std::string_view s) {
  if (s == "enforce") {
    return Authorization::Mode::kEnforce;
  }
  if (s == "shadow") {
    return Authorization::Mode::kShadow;
  }
  return std::nullopt;
}

std::optional<bool> parseOnError(std::string_view s) {
  if (s == "allow") {
    return true;
  }
  if (s == "deny") {
    return false;
  }
  return std::nullopt;
}

void decodeExternal(Reader& r, const Node& node, const Path& path,
                    std::optional<ExternalAuthz>& out) {
  ExternalAuthz external;
  Fields f(r, node, path, {"url", "timeout", "onError"});
  f.required("url", [&](const Node& v, const Path& p) { r.string(v, p, external.url); });
  f.optional("timeout", [&](const Node& v, const Path& p) { r.duration(v, p, external.timeout); });
  f.optional("onError", [&](const Node& v, const Path& p) {
    r.enumeration(v, p, parseOnError, "deny, allow", external.allow_on_error);
  });
  out = std::move(external);
}

}  // namespace

void decodeConsumer(Reader& r, const Node& node, const Path& path, Consumer& out) {
  Fields f(r, node, path,
           {"name", "groups", "apiKeys", "basicAuth", "jwt", "certificates", "plan"});
  f.required("name", [&](const Node& v, const Path& p) { r.string(v, p, out.name); });
  f.optional("groups", [&](const Node& v, const Path& p) { r.stringList(v, p, out.groups); });
  f.optional("apiKeys", [&](const Node& v, const Path& p) {
    decodeItems(r, v, p, out.api_keys, decodeApiKey);
  });
  f.optional("basicAuth", [&](const Node& v, const Path& p) {
    decodeItems(r, v, p, out.basic_auth, decodeBasicUser);
  });
  f.optional("jwt", [&](const Node& v, const Path& p) {
    decodeItems(r, v, p, out.jwt, decodeJwtIdentity);
  });
  f.optional("certificates",
             [&](const Node& v, const Path& p) { r.stringList(v, p, out.certificates); });
  f.optional("plan", [&](const Node& v, const Path& p) { r.string(v, p, out.plan); });
}

void decodeJwtProvider(Reader& r, const Node& node, const Path& path, JwtProvider& out) {
  Fields f(r, node, path,
           {"name", "issuer", "audiences", "algorithms", "jwksUrl", "keys", "caFile", "clockSkew",
            "jwksRefresh", "claimsToHeaders"});
  f.required("name", [&](const Node& v, const Path& p) { r.string(v, p, out.name); });
  f.optional("issuer", [&](const Node& v, const Path& p) { r.string(v, p, out.issuer); });
  f.optional("audiences", [&](const Node& v, const Path& p) { r.stringList(v, p, out.audiences); });
  f.required("algorithms",
             [&](const Node& v, const Path& p) { r.stringList(v, p, out.algorithms); });
  f.optional("jwksUrl", [&](const Node& v, const Path& p) { r.string(v, p, out.jwks_url); });
  f.optional("keys", [&](const Node& v, const Path& p) { r.string(v, p, out.keys); });
  f.optional("caFile", [&](const Node& v, const Path& p) { r.string(v, p, out.ca_file); });
  f.optional("clockSkew", [&](const Node& v, const Path& p) { seconds(r, v, p, out.clock_skew); });
  f.optional("jwksRefresh",
             [&](const Node& v, const Path& p) { seconds(r, v, p, out.jwks_refresh); });
  f.optional("claimsToHeaders", [&](const Node& v, const Path& p) {
    decodeItems(r, v, p, out.claims_to_headers, decodeClaimHeader);
  });
}

void decodeAuthPolicy(Reader& r, const Node& node, const Path& path,
                      std::optional<AuthPolicy>& out) {
  AuthPolicy auth;
  Fields f(r, node, path, {"methods", "optional", "keepCredentials", "apiKeyHeader"});
  f.required("methods", [&](const Node& v, const Path& p) { r.stringList(v, p, auth.methods); });
  f.optional("optional", [&](const Node& v, const Path& p) { r.boolean(v, p, auth.optional); });
  f.optional("keepCredentials",
             [&](const Node& v, const Path& p) { r.boolean(v, p, auth.keep_credentials); });
  f.optional("apiKeyHeader",
             [&](const Node& v, const Path& p) { r.string(v, p, auth.api_key_header); });
  out = std::move(auth);
}

void decodeAuthorization(Reader& r, const Node& node, const Path& path,
                         std::optional<Authorization>& out) {
  Authorization authz;
  Fields f(r, node, path, {"allow", "deny", "external", "mode"});
  f.optional("allow",
             [&](const Node& v, const Path& p) { decodeAccessRule(r, v, p, authz.allow); });
  f.optional("deny", [&](const Node& v, const Path& p) { decodeAccessRule(r, v, p, authz.deny); });
  f.optional("external",
             [&](const Node& v, const Path& p) { decodeExternal(r, v, p, authz.external); });
  f.optional("mode", [&](const Node& v, const Path& p) {
    r.enumeration(v, p, parseAuthzMode, "enforce, shadow", authz.mode);
  });
  out = std::move(authz);
}

void decodeCors(Reader& r, const Node& node, const Path& path, std::optional<Cors>& out) {
  Cors cors;
  Fields f(r, node, path,
           {"origins", "methods", "headers", "exposeHeaders", "credentials", "maxAge"});
  f.required("origins", [&](const Node& v, const Path& p) { r.stringList(v, p, cors.origins); });
  f.optional("methods", [&](const Node& v, const Path& p) { r.stringList(v, p, cors.methods); });
  f.optional("headers", [&](const Node& v, const Path& p) { r.stringList(v, p, cors.headers); });
  f.optional("exposeHeaders",
             [&](const Node& v, const Path& p) { r.stringList(v, p, cors.expose_headers); });
  f.optional("credentials",
             [&](const Node& v, const Path& p) { r.boolean(v, p, cors.credentials); });
  f.optional("maxAge", [&](const Node& v, const Path& p) { seconds(r, v, p, cors.max_age); });
  out = std::move(cors);
}

void decodeClientIp(Reader& r, const Node& node, const Path& path, ClientIp& out) {
  Fields f(r, node, path, {"trustedProxies"});
  f.optional("trustedProxies",
             [&](const Node& v, const Path& p) { r.stringList(v, p, out.trusted_proxies); });
}

namespace {

std::optional<ClientCertificates::Mode> parseClientCertMode(std::string_view s) {
  if (s == "request") {
    return ClientCertificates::Mode::kRequest;
  }
  if (s == "require") {
    return ClientCertificates::Mode::kRequire;
  }
  return std::nullopt;
}

}  // namespace

void decodeClientCertificates(Reader& r, const Node& node, const Path& path,
                              std::optional<ClientCertificates>& out) {
  ClientCertificates certs;
  Fields f(r, node, path, {"mode", "caFile"});
  f.optional("mode", [&](const Node& v, const Path& p) {
    r.enumeration(v, p, parseClientCertMode, "request, require", certs.mode);
  });
  f.required("caFile", [&](const Node& v, const Path& p) { r.string(v, p, certs.ca_file); });
  out = std::move(certs);
}

}  // namespace gw::core::yaml
