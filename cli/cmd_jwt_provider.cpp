// gw jwt-provider add|list|get|update|delete: who issues the JWTs routes accept with
// --auth jwt:PROVIDER, and how their signatures are checked.

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>

#include "cli/command.hpp"
#include "cli/flags.hpp"
#include "cli/mutate.hpp"
#include "cli/output.hpp"

namespace gw::cli {
namespace {

struct ProviderOptions {
  std::string name;
  std::string issuer;
  std::vector<std::string> audiences;
  std::vector<std::string> algorithms;
  std::string jwks_url;
  std::string keys_file;
  std::string ca_file;
  std::string clock_skew;
  std::string jwks_refresh;
  std::vector<std::string> claim_headers;  // CLAIM=HEADER
  std::set<std::string> given;
};

core::Status applySeconds(const std::string& flag, const std::string& text,
                          std::chrono::seconds& out) {
  auto value = parseDurationFlag(flag, text);
  if (!value) {
    return std::move(value).error();
  }
  out = std::chrono::duration_cast<std::chrono::seconds>(*value);
  return core::Ok{};
}

core::Status applyKeys(core::JwtProvider& p, const ProviderOptions& o) {
  if (o.given.contains("jwks-url")) {
    p.jwks_url = o.jwks_url;
    if (!o.jwks_url.empty()) {
      p.keys.clear();
    }
  }
  if (o.given.contains("keys-file")) {
    std::ifstream in(o.keys_file, std::ios::binary);
    if (!in) {
      return usageError("--keys-file " + o.keys_file + ": cannot read it");
    }
    p.keys.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    p.jwks_url.clear();
  }
  if (o.given.contains("ca-file")) {
    p.ca_file =
        o.ca_file.empty() ? "" : std::filesystem::absolute(o.ca_file).lexically_normal().string();
  }
  return core::Ok{};
}

core::Status applyProviderFlags(core::JwtProvider& p, const ProviderOptions& o) {
  const auto& given = o.given;
  if (given.contains("issuer")) {
    p.issuer = o.issuer;
  }
  if (given.contains("audience")) {
    p.audiences = o.audiences;
    std::erase(p.audiences, std::string());
  }
  if (given.contains("algorithm")) {
    p.algorithms = o.algorithms;
  }
  if (auto s = applyKeys(p, o); !s) {
    return s;
  }
  if (given.contains("clock-skew")) {
    if (auto s = applySeconds("--clock-skew", o.clock_skew, p.clock_skew); !s) {
      return s;
    }
  }
  if (given.contains("jwks-refresh")) {
    if (auto s = applySeconds("--jwks-refresh", o.jwks_refresh, p.jwks_refresh); !s) {
      return s;
    }
  }
  if (given.contains("claim-header")) {
    p.claims_to_headers.clear();
    for (const std::string& pair : o.claim_headers) {
      const auto equals = pair.find('=');
      if (equals == std::string::npos || equals == 0 || equals + 1 == pair.size()) {
        return usageError("--claim-header: must be CLAIM=HEADER (got \"" + pair + "\")");
      }
      p.claims_to_headers.push_back({pair.substr(0, equals), pair.substr(equals + 1)});
    }
  }
  return core::Ok{};
}

// The routes, gateways and consumers that name provider `name`.
std::vector<std::string> usersOf(const core::Config& c, const std::string& name) {
  std::vector<std::string> users;
  const std::string method = "jwt:" + name;
  const auto uses = [&](const std::optional<core::AuthPolicy>& auth) {
    return auth &&
           std::find(auth->methods.begin(), auth->methods.end(), method) != auth->methods.end();
  };
  for (const auto& route : c.routes) {
    if (uses(route.auth)) {
      users.push_back("route " + route.name);
    }
  }
  for (const auto& gateway : c.gateways) {
    if (uses(gateway.auth)) {
      users.push_back("gateway " + gateway.name);
    }
  }
  for (const auto& consumer : c.consumers) {
    if (std::any_of(consumer.jwt.begin(), consumer.jwt.end(),
                    [&](const core::JwtIdentity& id) { return id.provider == name; })) {
      users.push_back("consumer " + consumer.name);
    }
  }
  return users;
}

core::JwtProvider* findProvider(core::Config& c, const std::string& name) {
  const auto it = std::find_if(c.jwt_providers.begin(), c.jwt_providers.end(),
                               [&](const core::JwtProvider& p) { return p.name == name; });
  return it == c.jwt_providers.end() ? nullptr : &*it;
}

core::Status addProvider(const ProviderOptions& o, Context& ctx) {
  return asStatus(applyChange(ctx, {"jwtProvider", o.name}, "added", [&](core::Config& c) {
    if (findProvider(c, o.name) != nullptr) {
      return core::Status(core::makeError(core::ErrorKind::kValidation,
                                          quoted("JWT provider", o.name) + " already exists"));
    }
    core::JwtProvider provider;
    provider.name = o.name;
    if (auto applied = applyProviderFlags(provider, o); !applied) {
      return applied;
    }
    c.jwt_providers.push_back(std::move(provider));
    return core::Status(core::Ok{});
  }));
}

core::Status updateProvider(const ProviderOptions& o, Context& ctx) {
  return asStatus(applyChange(ctx, {"jwtProvider", o.name}, "updated", [&](core::Config& c) {
    core::JwtProvider* provider = findProvider(c, o.name);
    if (provider == nullptr) {
      return core::Status(notFound("JWT provider", o.name));
    }
    return applyProviderFlags(*provider, o);
  }));
}

core::Status deleteProvider(const ProviderOptions& o, Context& ctx) {
  return asStatus(applyChange(ctx, {"jwtProvider", o.name}, "deleted", [&](core::Config& c) {
    if (findProvider(c, o.name) == nullptr) {
      return core::Status(notFound("JWT provider", o.name));
    }
    if (auto users = usersOf(c, o.name); !users.empty()) {
      return core::Status(core::makeError(core::ErrorKind::kValidation,
                                          quoted("JWT provider", o.name) + " is used by " +
                                              join(users, ", ") + "; change them first"));
    }
    std::erase_if(c.jwt_providers, [&](const core::JwtProvider& p) { return p.name == o.name; });
    return core::Status(core::Ok{});
  }));
}

core::Status listProviders(const ProviderOptions& /*options*/, Context& ctx) {
  auto config = readConfig(ctx);
  if (!config) {
    return std::move(config).error();
  }
  if (ctx.format() != Format::kTable) {
    printStructured(ctx, documentJson(*config).value("jwtProviders", Json::array()));
    return core::Ok{};
  }
  Table table{{"NAME", "ISSUER", "ALGORITHMS", "KEYS"}, {}};
  for (const core::JwtProvider& p : config->jwt_providers) {
    table.rows.push_back({p.name, p.issuer.empty() ? "-" : p.issuer, join(p.algorithms),
                          p.jwks_url.empty() ? "inline" : p.jwks_url});
  }
  printTable(std::cout, table, ctx.colorStdout());
  return core::Ok{};
}

core::Status showProvider(const ProviderOptions& o, Context& ctx) {
  auto config = readConfig(ctx);
  if (!config) {
    return std::move(config).error();
  }
  if (findProvider(*config, o.name) == nullptr) {
    return notFound("JWT provider", o.name);
  }
  const Json object = objectJson(*config, "jwtProviders", o.name);
  if (ctx.format() != Format::kTable) {
    printStructured(ctx, object);
  } else {
    std::cout << toYaml(object);
  }
  return core::Ok{};
}

void addProviderFlags(CLI::App* sub, ProviderOptions& o) {
  sub->add_option("--issuer", o.issuer, "The iss claim tokens must carry")->type_name("ISS");
  sub->add_option("--audience", o.audiences, "An aud tokens may carry (one must); repeatable")
      ->type_name("AUD");
  sub->add_option("--algorithm", o.algorithms,
                  "An accepted algorithm: RS256, RS384, RS512, PS256, ES256, ES384, EdDSA or "
                  "HS256 (never none); repeatable")
      ->type_name("ALG");
  sub->add_option("--jwks-url", o.jwks_url,
                  "Where the keys are published (fetched before serving, refreshed in the "
                  "background)")
      ->type_name("URL");
  sub->add_option("--keys-file", o.keys_file, "A JWK set (or one JWK) to hold inline, instead")
      ->type_name("FILE");
  sub->add_option("--ca-file", o.ca_file, "Trust for an https JWKS URL (default: the system's)")
      ->type_name("FILE");
  sub->add_option("--clock-skew", o.clock_skew,
                  "Leeway on exp, nbf and iat (default 60s, at most 5m)")
      ->type_name("DURATION");
  sub->add_option("--jwks-refresh", o.jwks_refresh, "How often keys are fetched (default 5m)")
      ->type_name("DURATION");
  sub->add_option("--claim-header", o.claim_headers,
                  "Copy a claim upstream in a header, CLAIM=HEADER; repeatable")
      ->type_name("CLAIM=HEADER");
}

}  // namespace

void setupJwtProvider(CLI::App& app, Context& ctx) {
  CLI::App* group = addGroup(app, "jwt-provider",
                             "Manage JWT providers: who issues the tokens --auth jwt:NAME takes",
                             "  gw jwt-provider add corp --issuer https://id.corp.test/ "
                             "--jwks-url https://id.corp.test/jwks.json --algorithm ES256");
  auto add = std::make_shared<ProviderOptions>();
  CLI::App* a = addCommand(*group, "add", "Add a JWT provider",
                           "  gw jwt-provider add corp --issuer https://id.corp.test/ "
                           "--audience shop --jwks-url https://id.corp.test/jwks.json "
                           "--algorithm ES256");
  a->add_option("name", add->name, "Provider name")->required()->type_name("NAME");
  addProviderFlags(a, *add);
  onRun(a, ctx, add, addProvider);

  auto list = std::make_shared<ProviderOptions>();
  CLI::App* l = addCommand(*group, "list", "List JWT providers", "  gw jwt-provider list");
  onRun(l, ctx, list, listProviders);

  auto get = std::make_shared<ProviderOptions>();
  CLI::App* g = addCommand(*group, "get", "Show one JWT provider", "  gw jwt-provider get corp");
  g->add_option("name", get->name, "Provider name")->required()->type_name("PROVIDER");
  onRun(g, ctx, get, showProvider);

  auto update = std::make_shared<ProviderOptions>();
  CLI::App* u = addCommand(*group, "update", "Change a JWT provider; only the given flags change",
                           "  gw jwt-provider update corp --algorithm ES256 --algorithm RS256");
  u->add_option("name", update->name, "Provider name")->required()->type_name("PROVIDER");
  addProviderFlags(u, *update);
  onRun(u, ctx, update, updateProvider);

  auto del = std::make_shared<ProviderOptions>();
  CLI::App* d = addCommand(*group, "delete", "Delete a JWT provider nothing uses",
                           "  gw jwt-provider delete corp");
  d->add_option("name", del->name, "Provider name")->required()->type_name("PROVIDER");
  onRun(d, ctx, del, deleteProvider);
}

}  // namespace gw::cli
