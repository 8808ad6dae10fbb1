// Route lookup cost among 10,000 routes: 500 hosts (plus wildcards and "*"), each with
// prefixes two levels deep and some exact paths. Prints nanoseconds per match().
//
//   cmake -S . -B build/release -G Ninja -DCMAKE_BUILD_TYPE=Release -DGW_BUILD_BENCH=ON
//   cmake --build build/release --target route_lookup && build/release/bench/route_lookup

#include <chrono>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "core/config/model.hpp"
#include "core/routing/route_table.hpp"

namespace {

using gw::core::Config;
using gw::core::MatchType;
using gw::core::Route;
using gw::core::routing::RequestView;
using gw::core::routing::RouteTable;

constexpr int kHosts = 500;
constexpr int kRoutesPerHost = 20;  // 500 x 20 = 10,000
constexpr int kRequests = 4096;
constexpr int kRounds = 500;

Route makeRoute(std::string name, std::string host, std::string path, MatchType type) {
  Route route;
  route.name = std::move(name);
  route.gateway = "bench";
  route.hosts = {std::move(host)};
  route.match = {std::move(path), type};
  route.destinations = {{"backend", 100}};
  return route;
}

Config makeConfig() {
  Config config;
  for (int h = 0; h < kHosts; ++h) {
    // Every tenth host is a wildcard, so wildcard probing is part of the figure.
    const std::string host = (h % 10 == 9 ? "*.h" : "h") + std::to_string(h) + ".example.com";
    for (int r = 0; r < kRoutesPerHost; ++r) {
      const std::string name = "r" + std::to_string(h) + "-" + std::to_string(r);
      const std::string service = "/svc" + std::to_string(r / 4);
      if (r % 4 == 0) {
        config.routes.push_back(makeRoute(name, host, service, MatchType::kPrefix));
      } else if (r % 4 == 3) {
        config.routes.push_back(makeRoute(name, host, service + "/health", MatchType::kExact));
      } else {
        config.routes.push_back(makeRoute(
            name, host, service + "/v" + std::to_string(r % 4) + "/items", MatchType::kPrefix));
      }
    }
  }
  return config;
}

std::vector<std::pair<std::string, std::string>> makeRequests() {
  std::mt19937 prng(7);
  std::vector<std::pair<std::string, std::string>> requests;
  requests.reserve(kRequests);
  const char* const suffixes[] = {
      "", "/health", "/v1/items/42", "/v2/items/42/reviews", "/other/path/deeper", "x"};
  for (int i = 0; i < kRequests; ++i) {
    const auto h = static_cast<int>(prng() % kHosts);
    std::string host = (h % 10 == 9 ? "www.h" : "H") + std::to_string(h) + ".Example.com:8443";
    std::string path = "/svc" + std::to_string(prng() % 6) + suffixes[prng() % 6];
    requests.emplace_back(std::move(host), std::move(path));
  }
  return requests;
}

}  // namespace

int main() {
  const Config config = makeConfig();
  const auto build_start = std::chrono::steady_clock::now();
  const auto table = RouteTable::build(config, "bench");
  const auto build_time = std::chrono::steady_clock::now() - build_start;

  const auto requests = makeRequests();
  std::vector<RequestView> views;
  views.reserve(requests.size());
  for (const auto& [host, path] : requests) {
    views.push_back(RequestView{host, path, "GET"});
  }

  std::size_t matched = 0;
  for (const RequestView& view : views) {  // warm-up, and the hit rate
    matched += table->match(view) != nullptr ? 1 : 0;
  }
  std::size_t checksum = 0;
  const auto start = std::chrono::steady_clock::now();
  for (int round = 0; round < kRounds; ++round) {
    for (const RequestView& view : views) {
      const auto* route = table->match(view);
      checksum += route != nullptr ? route->index : 1;
    }
  }
  const auto elapsed = std::chrono::steady_clock::now() - start;
  const double lookups = static_cast<double>(kRounds) * static_cast<double>(views.size());
  const double ns =
      static_cast<double>(std::chrono::duration_cast<std::chrono::nanoseconds>(elapsed).count()) /
      lookups;
  std::printf("routes: %zu, build: %.1f ms, requests matched: %zu/%zu\n", table->size(),
              std::chrono::duration<double, std::milli>(build_time).count(), matched, views.size());
  std::printf("route lookup: %.1f ns per match() (%.0f lookups, checksum %zu)\n", ns, lookups,
              checksum);
  return 0;
}
