#include "core/config/decode_parts.hpp"

namespace gw::core::yaml {
namespace {

using Path = std::string;

void decodeMatch(Reader& r, const Node& node, const Path& path, PathMatch& out) {
  Fields f(r, node, path, {"path", "type"});
  f.optional("path", [&](const Node& v, const Path& p) { r.string(v, p, out.path); });
  f.optional("type", [&](const Node& v, const Path& p) {
    r.enumeration(v, p, parseMatchType, "prefix, exact, regex", out.type);
  });
}

void decodeHeader(Reader& r, const Node& node, const Path& path, HeaderMatch& out) {
  Fields f(r, node, path, {"name", "value"});
  f.required("name", [&](const Node& v, const Path& p) { r.string(v, p, out.name); });
  f.required("value", [&](const Node& v, const Path& p) { r.string(v, p, out.value); });
}

void decodeDestination(Reader& r, const Node& node, const Path& path, Destination& out) {
  Fields f(r, node, path, {"service", "weight"});
  f.required("service", [&](const Node& v, const Path& p) { r.string(v, p, out.service); });
  f.optional("weight", [&](const Node& v, const Path& p) {
    r.integer(v, p, kIntMin, kIntMax, "an integer 0..100", out.weight);
  });
}

}  // namespace

void decodeRoute(Reader& r, const Node& node, const Path& path, Route& out) {
  Fields f(r, node, path,
           {"name",     "gateway",        "hosts",           "match",          "methods",
            "headers",  "destinations",   "timeout",         "retries",        "redirect",
            "rewrite",  "requestHeaders", "responseHeaders", "directResponse", "mirror",
            "priority", "auth",           "authorization",   "ipAllow",        "ipDeny",
            "cors",     "rateLimits",     "cache",           "compress",       "aggregate"});
  f.required("name", [&](const Node& v, const Path& p) { r.string(v, p, out.name); });
  f.required("gateway", [&](const Node& v, const Path& p) { r.string(v, p, out.gateway); });
  f.optional("hosts", [&](const Node& v, const Path& p) { r.stringList(v, p, out.hosts); });
  f.optional("match", [&](const Node& v, const Path& p) { decodeMatch(r, v, p, out.match); });
  f.optional("methods", [&](const Node& v, const Path& p) { r.stringList(v, p, out.methods); });
  f.optional("headers", [&](const Node& v, const Path& p) {
    decodeItems(r, v, p, out.headers, decodeHeader);
  });
  f.optional("destinations", [&](const Node& v, const Path& p) {
    decodeItems(r, v, p, out.destinations, decodeDestination);
  });
  f.optional("timeout", [&](const Node& v, const Path& p) {
    Millis timeout{};
    if (r.duration(v, p, timeout)) {
      out.timeout = timeout;
    }
  });
  f.optional("retries", [&](const Node& v, const Path& p) { decodeRetries(r, v, p, out.retries); });
  f.optional("redirect",
             [&](const Node& v, const Path& p) { decodeRedirect(r, v, p, out.redirect); });
  f.optional("rewrite", [&](const Node& v, const Path& p) { decodeRewrite(r, v, p, out.rewrite); });
  f.optional("requestHeaders",
             [&](const Node& v, const Path& p) { decodeHeaderOps(r, v, p, out.request_headers); });
  f.optional("responseHeaders",
             [&](const Node& v, const Path& p) { decodeHeaderOps(r, v, p, out.response_headers); });
  f.optional("directResponse", [&](const Node& v, const Path& p) {
    decodeDirectResponse(r, v, p, out.direct_response);
  });
  f.optional("mirror", [&](const Node& v, const Path& p) { decodeMirror(r, v, p, out.mirror); });
  f.optional("priority", [&](const Node& v, const Path& p) {
    int priority = 0;
    if (r.integer(v, p, kIntMin, kIntMax, "an integer", priority)) {
      out.priority = priority;
    }
  });
  f.optional("auth", [&](const Node& v, const Path& p) { decodeAuthPolicy(r, v, p, out.auth); });
  f.optional("authorization", [&](const Node& v, const Path& p) {
    decodeAuthorization(r, v, p, out.authorization);
  });
  f.optional("ipAllow", [&](const Node& v, const Path& p) { r.stringList(v, p, out.ip.allow); });
  f.optional("ipDeny", [&](const Node& v, const Path& p) { r.stringList(v, p, out.ip.deny); });
  f.optional("cors", [&](const Node& v, const Path& p) { decodeCors(r, v, p, out.cors); });
  f.optional("rateLimits", [&](const Node& v, const Path& p) {
    decodeItems(r, v, p, out.rate_limits, decodeRateLimit);
  });
  f.optional("cache", [&](const Node& v, const Path& p) { decodeRouteCache(r, v, p, out.cache); });
  f.optional("aggregate",
             [&](const Node& v, const Path& p) { decodeAggregate(r, v, p, out.aggregate); });
  f.optional("compress",
             [&](const Node& v, const Path& p) { decodeCompress(r, v, p, out.compress); });
}

}  // namespace gw::core::yaml
