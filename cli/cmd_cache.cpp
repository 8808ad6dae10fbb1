// gw cache stats | purge: the running proxy's response cache, through its admin API. The
// cache lives in the proxy's memory: with no proxy running there is nothing to show or drop.

#include <iostream>

#include "cli/command.hpp"
#include "cli/daemon.hpp"
#include "cli/output.hpp"
#include "proxy/admin/client.hpp"

namespace gw::cli {
namespace {

struct PurgeOptions {
  std::string route;
  std::string prefix;
};

std::string percent(std::uint64_t part, std::uint64_t whole) {
  if (whole == 0) {
    return "-";
  }
  char text[16];
  std::snprintf(text, sizeof text, "%.1f%%",
                100.0 * static_cast<double>(part) / static_cast<double>(whole));
  return text;
}

Json routeJson(const proxy::CacheRouteDoc& r) {
  return Json{{"hits", r.hits},     {"stale", r.stale},   {"revalidated", r.revalidated},
              {"misses", r.misses}, {"bypass", r.bypass}, {"bytesServed", r.bytes_served}};
}

// The admin client of the running proxy, or nothing (with a note) when none runs.
std::optional<proxy::AdminClient> runningProxy(const Context& ctx) {
  const core::Home home = ctx.home();
  const DaemonState daemon = probeDaemon(home);
  if (!daemon.running) {
    ctx.note("the proxy is not running: nothing is cached");
    return std::nullopt;
  }
  return proxy::AdminClient(daemon.admin_address, home.token().value_or(""));
}

struct StatsOptions {};

core::Status runStats(const StatsOptions& /*options*/, Context& ctx) {
  proxy::CacheDoc doc;
  if (auto admin = runningProxy(ctx)) {
    auto cache = admin->cache();
    if (!cache) {
      return std::move(cache).error();
    }
    doc = std::move(*cache);
  }
  if (ctx.format() != Format::kTable) {
    Json routes = Json::object();
    for (const auto& [name, r] : doc.routes) {
      routes[name] = routeJson(r);
    }
    printStructured(ctx, Json{{"enabled", doc.enabled},
                              {"entries", doc.entries},
                              {"bytes", doc.bytes},
                              {"maxBytes", doc.max_bytes},
                              {"maxObject", doc.max_object},
                              {"evictions", doc.evictions},
                              {"routes", std::move(routes)}});
    return core::Ok{};
  }
  if (!doc.enabled) {
    std::cout << "no route caches (gw route update NAME --cache)\n";
    return core::Ok{};
  }
  std::cout << "store: " << doc.entries << " answers, " << doc.bytes << " of " << doc.max_bytes
            << " bytes, " << doc.evictions << " evicted\n";
  Table table{
      {"ROUTE", "HITS", "STALE", "REVALIDATED", "MISSES", "BYPASS", "HIT-RATIO", "BYTES-SERVED"},
      {}};
  for (const auto& [name, r] : doc.routes) {
    const std::uint64_t served = r.hits + r.stale + r.revalidated;
    table.rows.push_back({name, std::to_string(r.hits), std::to_string(r.stale),
                          std::to_string(r.revalidated), std::to_string(r.misses),
                          std::to_string(r.bypass), percent(served, served + r.misses),
                          std::to_string(r.bytes_served)});
  }
  printTable(std::cout, table, ctx.colorStdout());
  return core::Ok{};
}

// "http://Shop.test:8080/api/" -> "shop.test/api/": the start of the cache's keys.
core::Result<std::string> keyPrefix(std::string prefix) {
  if (const auto scheme = prefix.find("://"); scheme != std::string::npos) {
    prefix.erase(0, scheme + 3);
  }
  if (prefix.empty()) {
    return prefix;
  }
  if (prefix.front() == '/') {
    return core::makeError(core::ErrorKind::kUsage,
                           "--prefix needs the host: shop.test/api/ or http://shop.test/api/");
  }
  auto slash = prefix.find('/');
  std::string host = prefix.substr(0, slash);
  if (const auto colon = host.rfind(':');
      colon != std::string::npos && host.find(']', colon) == std::string::npos) {
    host.erase(colon);
  }
  for (char& c : host) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return host + (slash == std::string::npos ? "" : prefix.substr(slash));
}

core::Status runPurge(const PurgeOptions& o, Context& ctx) {
  auto prefix = keyPrefix(o.prefix);
  if (!prefix) {
    return std::move(prefix).error();
  }
  std::uint64_t purged = 0;
  if (auto admin = runningProxy(ctx)) {
    auto done = admin->purgeCache(o.route, *prefix);
    if (!done) {
      return std::move(done).error();
    }
    purged = done->purged;
  }
  if (ctx.format() != Format::kTable) {
    printStructured(ctx, Json{{"purged", purged}});
  } else {
    ctx.confirm("purged " + std::to_string(purged) + (purged == 1 ? " answer" : " answers"));
  }
  return core::Ok{};
}

}  // namespace

void setupCache(CLI::App& app, Context& ctx) {
  CLI::App* group = addGroup(app, "cache", "Show or empty the proxy's response cache",
                             "  gw cache stats\n"
                             "  gw cache purge --prefix shop.test/products/");
  CLI::App* stats =
      addCommand(*group, "stats", "Show the cache's size and each caching route's hits and misses",
                 "  gw cache stats -o json");
  onRun(stats, ctx, std::make_shared<StatsOptions>(), runStats);
  auto options = std::make_shared<PurgeOptions>();
  CLI::App* purge = addCommand(*group, "purge",
                               "Drop stored answers: all, a route's, or those under a URL prefix",
                               "  gw cache purge --route shop --prefix http://shop.test/products/");
  purge->add_option("--route", options->route, "Only the answers this route stored")
      ->type_name("ROUTE");
  purge
      ->add_option("--prefix", options->prefix,
                   "Only the URLs that start with this, host included (shop.test/api/)")
      ->type_name("URL");
  onRun(purge, ctx, options, runPurge);
}

}  // namespace gw::cli
