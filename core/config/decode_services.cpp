#include "core/config/decode_parts.hpp"

namespace gw::core::yaml {
namespace {

using Path = std::string;

// "HOST:PORT" or {address: HOST:PORT, weight: N}.
void decodeEndpoint(Reader& r, const Node& node, const Path& path, Endpoint& out) {
  if (node.isScalar()) {
    r.string(node, path, out.address);
    return;
  }
  if (!node.isMap()) {
    r.expected(path, "HOST:PORT or a mapping with address and weight", node);
    return;
  }
  Fields f(r, node, path, {"address", "weight"});
  f.required("address", [&](const Node& v, const Path& p) { r.string(v, p, out.address); });
  f.optional("weight", [&](const Node& v, const Path& p) {
    r.integer(v, p, kIntMin, kIntMax, "an integer 1..100", out.weight);
  });
}

void decodeHealthCheck(Reader& r, const Node& node, const Path& path, HealthCheck& out) {
  Fields f(r, node, path,
           {"path", "interval", "timeout", "healthyThreshold", "unhealthyThreshold"});
  f.optional("path", [&](const Node& v, const Path& p) { r.string(v, p, out.path); });
  f.optional("interval", [&](const Node& v, const Path& p) { r.duration(v, p, out.interval); });
  f.optional("timeout", [&](const Node& v, const Path& p) { r.duration(v, p, out.timeout); });
  f.optional("healthyThreshold", [&](const Node& v, const Path& p) {
    r.integer(v, p, kIntMin, kIntMax, "an integer", out.healthy_threshold);
  });
  f.optional("unhealthyThreshold", [&](const Node& v, const Path& p) {
    r.integer(v, p, kIntMin, kIntMax, "an integer", out.unhealthy_threshold);
  });
}

void decodeOutlierDetection(Reader& r, const Node& node, const Path& path, OutlierDetection& out) {
  Fields f(r, node, path,
           {"consecutive5xx", "consecutiveConnectFailures", "ejectionTime", "maxEjectedPercent"});
  f.optional("consecutive5xx", [&](const Node& v, const Path& p) {
    r.integer(v, p, kIntMin, kIntMax, "an integer", out.consecutive_5xx);
  });
  f.optional("consecutiveConnectFailures", [&](const Node& v, const Path& p) {
    r.integer(v, p, kIntMin, kIntMax, "an integer", out.consecutive_connect_failures);
  });
  f.optional("ejectionTime",
             [&](const Node& v, const Path& p) { r.duration(v, p, out.ejection_time); });
  f.optional("maxEjectedPercent", [&](const Node& v, const Path& p) {
    r.integer(v, p, kIntMin, kIntMax, "an integer 0..100", out.max_ejected_percent);
  });
}

void decodeTls(Reader& r, const Node& node, const Path& path, UpstreamTls& out) {
  Fields f(r, node, path, {"sni", "caFile", "verify"});
  f.optional("sni", [&](const Node& v, const Path& p) { r.string(v, p, out.sni); });
  f.optional("caFile", [&](const Node& v, const Path& p) { r.string(v, p, out.ca_file); });
  f.optional("verify", [&](const Node& v, const Path& p) { r.boolean(v, p, out.verify); });
}

}  // namespace

void decodeService(Reader& r, const Node& node, const Path& path, Service& out) {
  Fields f(r, node, path,
           {"name", "endpoints", "loadBalancer", "hashOn", "healthCheck", "outlierDetection",
            "connectTimeout", "tls"});
  f.required("name", [&](const Node& v, const Path& p) { r.string(v, p, out.name); });
  f.required("endpoints", [&](const Node& v, const Path& p) {
    decodeItems(r, v, p, out.endpoints, decodeEndpoint);
  });
  f.optional("loadBalancer", [&](const Node& v, const Path& p) {
    r.enumeration(v, p, parseLbPolicy, "round-robin, least-request, random, hash",
                  out.load_balancer);
  });
  f.optional("hashOn", [&](const Node& v, const Path& p) {
    HashPolicy hash;
    if (r.enumeration(v, p, parseHashPolicy, "client-ip, header:NAME, cookie:NAME", hash)) {
      out.hash_on = hash;
    }
  });
  f.optional("healthCheck", [&](const Node& v, const Path& p) {
    HealthCheck check;
    decodeHealthCheck(r, v, p, check);
    out.health_check = check;
  });
  f.optional("outlierDetection", [&](const Node& v, const Path& p) {
    OutlierDetection outlier;
    decodeOutlierDetection(r, v, p, outlier);
    out.outlier_detection = outlier;
  });
  f.optional("connectTimeout",
             [&](const Node& v, const Path& p) { r.duration(v, p, out.connect_timeout); });
  f.optional("tls", [&](const Node& v, const Path& p) {
    UpstreamTls tls;
    decodeTls(r, v, p, tls);
    out.tls = tls;
  });
}

}  // namespace gw::core::yaml
