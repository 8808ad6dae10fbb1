#include "core/config/checks.hpp"
#include "core/config/decode_parts.hpp"
#include "core/config/redirect.hpp"

namespace gw::core::yaml {
namespace {

using Path = std::string;

// {name: value, ...}, in document order.
void decodeHeaderValues(Reader& r, const Node& node, const Path& path,
                        std::vector<HeaderValue>& out) {
  if (!node.isMap()) {
    r.expected(path, "a mapping of header names to values", node);
    return;
  }
  for (std::size_t i = 0; i < node.size(); ++i) {
    const Node key = node.key(i);
    if (!key.isScalar()) {
      r.mark(path, key.mark());
      r.error(path, "keys must be strings (got " + describe(key) + ")");
      continue;
    }
    const Path item_path = join(path, key.scalar());
    r.mark(item_path, key.mark());
    HeaderValue header{key.scalar(), {}};
    if (r.string(node.value(i), item_path, header.value)) {
      out.push_back(std::move(header));
    }
  }
}

}  // namespace

void decodeRetries(Reader& r, const Node& node, const Path& path, RetryPolicy& out) {
  // `true` is `on` as a YAML 1.1 tool (PyYAML) writes it back when gw's quotes were lost;
  // retries has no other key it could be.
  Fields f(r, node, path,
           {"attempts", "on", "true", "perTryTimeout", "nonIdempotent", "budgetPercent"});
  f.optional("attempts", [&](const Node& v, const Path& p) {
    r.integer(v, p, kIntMin, kIntMax, "an integer", out.attempts);
  });
  f.optional("on", [&](const Node& v, const Path& p) { r.stringList(v, p, out.on); });
  if (!f.has("on")) {
    f.optional("true", [&](const Node& v, const Path& p) { r.stringList(v, p, out.on); });
  }
  f.optional("perTryTimeout", [&](const Node& v, const Path& p) {
    Millis timeout{};
    if (r.duration(v, p, timeout)) {
      out.per_try_timeout = timeout;
    }
  });
  f.optional("nonIdempotent",
             [&](const Node& v, const Path& p) { r.boolean(v, p, out.non_idempotent); });
  f.optional("budgetPercent", [&](const Node& v, const Path& p) {
    r.integer(v, p, kIntMin, kIntMax, "an integer 0..100", out.budget_percent);
  });
}

// "https://host/path" (the whole Location) or the mapping of the parts to replace.
void decodeRedirect(Reader& r, const Node& node, const Path& path, std::optional<Redirect>& out) {
  if (node.isScalar()) {
    if (auto parsed = parseRedirectUrl(node.scalar())) {
      out = std::move(*parsed);
    } else {
      r.error(path, "must be an http:// or https:// URL (got " + quote(node.scalar()) + ")");
    }
    return;
  }
  if (!node.isMap()) {
    r.expected(path, "a URL or a mapping", node);
    return;
  }
  Redirect redirect;
  Fields f(r, node, path, {"scheme", "host", "port", "path", "prefix", "code", "keepQuery"});
  f.optional("scheme", [&](const Node& v, const Path& p) { r.string(v, p, redirect.scheme); });
  f.optional("host", [&](const Node& v, const Path& p) { r.string(v, p, redirect.host); });
  f.optional("port", [&](const Node& v, const Path& p) {
    std::uint16_t port = 0;
    if (r.integer(v, p, 1, 65535, "an integer 1..65535", port)) {
      redirect.port = port;
    }
  });
  f.optional("path", [&](const Node& v, const Path& p) { r.string(v, p, redirect.path); });
  f.optional("prefix", [&](const Node& v, const Path& p) { r.string(v, p, redirect.prefix); });
  f.optional("code", [&](const Node& v, const Path& p) {
    r.integer(v, p, kIntMin, kIntMax, "an integer", redirect.code);
  });
  f.optional("keepQuery",
             [&](const Node& v, const Path& p) { r.boolean(v, p, redirect.keep_query); });
  out = std::move(redirect);
}

// "/prefix", {prefix: /p} or {regex: ..., substitution: ...}.
void decodeRewrite(Reader& r, const Node& node, const Path& path, std::optional<Rewrite>& out) {
  Rewrite rewrite;
  if (node.isScalar()) {
    rewrite.prefix = node.scalar();
    out = std::move(rewrite);
    return;
  }
  if (!node.isMap()) {
    r.expected(path, "a path prefix or a mapping", node);
    return;
  }
  Fields f(r, node, path, {"prefix", "regex", "substitution"});
  f.optional("prefix", [&](const Node& v, const Path& p) { r.string(v, p, rewrite.prefix); });
  f.optional("regex", [&](const Node& v, const Path& p) { r.string(v, p, rewrite.regex); });
  f.optional("substitution",
             [&](const Node& v, const Path& p) { r.string(v, p, rewrite.substitution); });
  out = std::move(rewrite);
}

void decodeHeaderOps(Reader& r, const Node& node, const Path& path, HeaderOps& out) {
  Fields f(r, node, path, {"add", "set", "remove"});
  f.optional("add", [&](const Node& v, const Path& p) { decodeHeaderValues(r, v, p, out.add); });
  f.optional("set", [&](const Node& v, const Path& p) { decodeHeaderValues(r, v, p, out.set); });
  f.optional("remove", [&](const Node& v, const Path& p) { r.stringList(v, p, out.remove); });
}

void decodeDirectResponse(Reader& r, const Node& node, const Path& path,
                          std::optional<DirectResponse>& out) {
  DirectResponse response;
  Fields f(r, node, path, {"status", "body", "contentType"});
  f.required("status", [&](const Node& v, const Path& p) {
    r.integer(v, p, kIntMin, kIntMax, "an integer 200..599", response.status);
  });
  f.optional("body", [&](const Node& v, const Path& p) { r.string(v, p, response.body); });
  f.optional("contentType",
             [&](const Node& v, const Path& p) { r.string(v, p, response.content_type); });
  out = std::move(response);
}

void decodeMirror(Reader& r, const Node& node, const Path& path, std::optional<Mirror>& out) {
  Mirror mirror;
  Fields f(r, node, path, {"service", "percent"});
  f.required("service", [&](const Node& v, const Path& p) { r.string(v, p, mirror.service); });
  f.optional("percent", [&](const Node& v, const Path& p) {
    r.integer(v, p, kIntMin, kIntMax, "an integer 0..100", mirror.percent);
  });
  out = std::move(mirror);
}

}  // namespace gw::core::yaml
