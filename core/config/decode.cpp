#include <yaml-cpp/exceptions.h>

#include <algorithm>
#include <limits>
#include <utility>

#include "core/config/acme_order_keys.hpp"
#include "core/config/checks.hpp"
#include "core/config/decode_parts.hpp"
#include "core/config/document.hpp"
#include "core/config/errors.hpp"

namespace gw::core {
namespace yaml {
namespace {

using Path = std::string;

void decodeListener(Reader& r, const Node& node, const Path& path, Listener& out) {
  Fields f(r, node, path, {"name", "protocol", "port"});
  f.optional("name", [&](const Node& v, const Path& p) { r.string(v, p, out.name); });
  f.required("protocol", [&](const Node& v, const Path& p) {
    r.enumeration(v, p, parseProtocol, "http, https", out.protocol);
  });
  f.required("port", [&](const Node& v, const Path& p) {
    r.integer(v, p, 0, 65535, "an integer 1..65535", out.port);
  });
  if (out.name.empty()) {
    out.name = toString(out.protocol);
  }
}

void decodeReplicas(Reader& r, const Node& node, const Path& path, Replicas& out) {
  Fields f(r, node, path, {"min", "max"});
  f.optional("min", [&](const Node& v, const Path& p) {
    r.integer(v, p, kIntMin, kIntMax, "an integer", out.min);
  });
  f.optional("max", [&](const Node& v, const Path& p) {
    r.integer(v, p, kIntMin, kIntMax, "an integer", out.max);
  });
}

void decodeProxy(Reader& r, const Node& node, const Path& path, ProxySettings& out) {
  Fields f(r, node, path, {"threads", "accessLog", "sessionTickets", "cache"});
  f.optional("threads", [&](const Node& v, const Path& p) {
    r.integer(v, p, kIntMin, kIntMax, "an integer", out.threads);
  });
  f.optional("accessLog", [&](const Node& v, const Path& p) { r.boolean(v, p, out.access_log); });
  f.optional("sessionTickets",
             [&](const Node& v, const Path& p) { r.boolean(v, p, out.session_tickets); });
  f.optional("cache",
             [&](const Node& v, const Path& p) { decodeCacheSettings(r, v, p, out.cache); });
}

void decodeLimits(Reader& r, const Node& node, const Path& path, Limits& out) {
  Fields f(r, node, path, {"maxHeaderBytes", "maxHeaders", "maxUriBytes", "maxBodyBytes"});
  const char* what = "a non-negative integer";
  constexpr long long kU32 = std::numeric_limits<std::uint32_t>::max();
  f.optional("maxHeaderBytes", [&](const Node& v, const Path& p) {
    r.integer(v, p, 0, kU32, what, out.max_header_bytes);
  });
  f.optional("maxHeaders", [&](const Node& v, const Path& p) {
    r.integer(v, p, 0, kU32, what, out.max_headers);
  });
  f.optional("maxUriBytes", [&](const Node& v, const Path& p) {
    r.integer(v, p, 0, kU32, what, out.max_uri_bytes);
  });
  f.optional("maxBodyBytes", [&](const Node& v, const Path& p) {
    r.integer(v, p, 0, std::numeric_limits<long long>::max(), what, out.max_body_bytes);
  });
}

void decodeTimeouts(Reader& r, const Node& node, const Path& path, GatewayTimeouts& out) {
  Fields f(r, node, path, {"headerRead", "idle", "write"});
  f.optional("headerRead",
             [&](const Node& v, const Path& p) { r.duration(v, p, out.header_read); });
  f.optional("idle", [&](const Node& v, const Path& p) { r.duration(v, p, out.idle); });
  f.optional("write", [&](const Node& v, const Path& p) { r.duration(v, p, out.write); });
}

void decodeConfig(Reader& r, const Node& root, Config& out) {
  if (root.isNull()) {
    r.error("", "the document is empty (it needs at least apiVersion: " + std::string(kApiVersion) +
                    ")");
    return;
  }
  Fields f(r, root, "",
           {"apiVersion", "revision", "proxy", "gateways", "services", "routes", "certificates",
            "consumers", "jwtProviders", "plans", "redis", "metering"});
  f.required("apiVersion", [&](const Node& v, const Path& p) {
    if (!v.isScalar() || v.scalar() != kApiVersion) {
      r.expected(p, quote(kApiVersion), v);
      return;
    }
    out.api_version = v.scalar();
  });
  f.optional("revision", [&](const Node& v, const Path& p) {
    r.integer(v, p, 0, std::numeric_limits<long long>::max(), "a non-negative integer",
              out.revision);
  });
  f.optional("proxy", [&](const Node& v, const Path& p) { decodeProxy(r, v, p, out.proxy); });
  f.optional("gateways", [&](const Node& v, const Path& p) {
    decodeItems(r, v, p, out.gateways, decodeGateway);
  });
  f.optional("services", [&](const Node& v, const Path& p) {
    decodeItems(r, v, p, out.services, decodeService);
  });
  f.optional("routes",
             [&](const Node& v, const Path& p) { decodeItems(r, v, p, out.routes, decodeRoute); });
  f.optional("certificates", [&](const Node& v, const Path& p) {
    decodeItems(r, v, p, out.certificates, decodeCertificate);
  });
  f.optional("consumers", [&](const Node& v, const Path& p) {
    decodeItems(r, v, p, out.consumers, decodeConsumer);
  });
  f.optional("jwtProviders", [&](const Node& v, const Path& p) {
    decodeItems(r, v, p, out.jwt_providers, decodeJwtProvider);
  });
  f.optional("plans",
             [&](const Node& v, const Path& p) { decodeItems(r, v, p, out.plans, decodePlan); });
  f.optional("redis", [&](const Node& v, const Path& p) { decodeRedis(r, v, p, out.redis); });
  f.optional("metering",
             [&](const Node& v, const Path& p) { decodeMetering(r, v, p, out.metering); });
}

}  // namespace

void decodeGateway(Reader& r, const Node& node, const Path& path, Gateway& out) {
  Fields f(r, node, path,
           {"name", "address", "listeners", "httpsRedirect", "hsts", "tls", "replicas",
            "serviceType", "limits", "timeouts", "clientIp", "ipAllow", "ipDeny", "auth",
            "clientCertificates", "rateLimits", "compress"});
  f.required("name", [&](const Node& v, const Path& p) { r.string(v, p, out.name); });
  f.optional("address", [&](const Node& v, const Path& p) { r.string(v, p, out.address); });
  f.optional("listeners", [&](const Node& v, const Path& p) {
    decodeItems(r, v, p, out.listeners, decodeListener);
  });
  f.optional("httpsRedirect",
             [&](const Node& v, const Path& p) { r.boolean(v, p, out.https_redirect); });
  f.optional("hsts", [&](const Node& v, const Path& p) { decodeHsts(r, v, p, out.hsts); });
  f.optional("tls", [&](const Node& v, const Path& p) { decodeGatewayTls(r, v, p, out.tls); });
  f.optional("replicas",
             [&](const Node& v, const Path& p) { decodeReplicas(r, v, p, out.replicas); });
  f.optional("serviceType",
             [&](const Node& v, const Path& p) { r.string(v, p, out.service_type); });
  f.optional("limits", [&](const Node& v, const Path& p) { decodeLimits(r, v, p, out.limits); });
  f.optional("timeouts",
             [&](const Node& v, const Path& p) { decodeTimeouts(r, v, p, out.timeouts); });
  f.optional("clientIp",
             [&](const Node& v, const Path& p) { decodeClientIp(r, v, p, out.client_ip); });
  f.optional("ipAllow", [&](const Node& v, const Path& p) { r.stringList(v, p, out.ip.allow); });
  f.optional("ipDeny", [&](const Node& v, const Path& p) { r.stringList(v, p, out.ip.deny); });
  f.optional("auth", [&](const Node& v, const Path& p) { decodeAuthPolicy(r, v, p, out.auth); });
  f.optional("clientCertificates", [&](const Node& v, const Path& p) {
    decodeClientCertificates(r, v, p, out.client_certificates);
  });
  f.optional("rateLimits", [&](const Node& v, const Path& p) {
    decodeItems(r, v, p, out.rate_limits, decodeRateLimit);
  });
  f.optional("compress",
             [&](const Node& v, const Path& p) { decodeCompress(r, v, p, out.compress); });
}

void decodeCertificate(Reader& r, const Node& node, const Path& path, Certificate& out) {
  Fields f(r, node, path,
           {"name", "domains", "issuer", "gateway", "acmeDirectory", "acmeCaFile", "email",
            "challenge", "keyType", "profile", "dnsHook"});
  f.required("name", [&](const Node& v, const Path& p) { r.string(v, p, out.name); });
  f.required("domains", [&](const Node& v, const Path& p) { r.stringList(v, p, out.domains); });
  f.optional("issuer", [&](const Node& v, const Path& p) {
    r.enumeration(v, p, parseIssuer, "letsencrypt, letsencrypt-staging, acme, internal",
                  out.issuer);
  });
  f.optional("gateway", [&](const Node& v, const Path& p) { r.string(v, p, out.gateway); });
  for (const auto& key_member : kAcmeOrderKeys) {
    std::string AcmeOrder::*member = key_member.second;
    f.optional(key_member.first,
               [&, member](const Node& v, const Path& p) { r.string(v, p, out.acme.*member); });
  }
}

}  // namespace yaml

std::vector<Diagnostic> decodeInto(std::string_view text, const std::string& file, Decoded& out) {
  out.source.file = file;
  std::vector<Diagnostic> diagnostics;
  // yaml-cpp reports through exceptions; none may cross this boundary.
  try {
    const yaml::Tree tree = yaml::Tree::parse(text);
    yaml::Reader reader(out.source, diagnostics);
    reader.mark("", yaml::Mark{0, 0});  // whole-document errors point at the start
    yaml::decodeConfig(reader, tree.root(), out.config);
  } catch (const YAML::Exception& e) {
    const Position pos =
        e.mark.is_null() ? Position{} : Position{e.mark.line + 1, e.mark.column + 1};
    diagnostics.push_back(Diagnostic{"", "invalid YAML: " + e.msg, file, pos});
  } catch (const std::exception& e) {
    diagnostics.push_back(Diagnostic{"", std::string("invalid YAML: ") + e.what(), file, {}});
  }
  // Fields are read in schema order; the user reads the file top to bottom.
  std::stable_sort(diagnostics.begin(), diagnostics.end(),
                   [](const Diagnostic& a, const Diagnostic& b) {
                     return std::pair(a.pos.line, a.pos.col) < std::pair(b.pos.line, b.pos.col);
                   });
  return diagnostics;
}

Result<Decoded> decode(std::string_view text, const std::string& file) {
  Decoded out;
  if (auto diagnostics = decodeInto(text, file, out); !diagnostics.empty()) {
    return documentError(file, diagnostics);
  }
  return out;
}

}  // namespace gw::core
