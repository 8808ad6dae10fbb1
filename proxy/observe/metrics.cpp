#include "proxy/observe/metrics.hpp"

#include <array>
#include <cstdio>
#include <unordered_set>
#include <utility>

namespace gw::proxy {
namespace {

// Buckets of gw_request_duration_seconds: a subset of LatencyBuckets::kBounds, so each
// cumulative count is exact.
constexpr std::array<std::pair<std::uint32_t, std::string_view>, 13> kPromBuckets = {{
    {1'000, "0.001"},
    {2'500, "0.0025"},
    {5'000, "0.005"},
    {10'000, "0.01"},
    {25'000, "0.025"},
    {50'000, "0.05"},
    {100'000, "0.1"},
    {250'000, "0.25"},
    {500'000, "0.5"},
    {1'000'000, "1"},
    {2'500'000, "2.5"},
    {5'000'000, "5"},
    {10'000'000, "10"},
}};

using Labels = std::initializer_list<std::pair<std::string_view, std::string_view>>;

class Writer {
 public:
  void family(std::string_view name, std::string_view type, std::string_view help) {
    out_ += "# HELP ";
    out_ += name;
    out_ += ' ';
    out_ += help;
    out_ += "\n# TYPE ";
    out_ += name;
    out_ += ' ';
    out_ += type;
    out_ += '\n';
  }

  void sample(std::string_view name, Labels labels, std::uint64_t value) {
    head(name, labels);
    out_ += std::to_string(value);
    out_ += '\n';
  }

  void sampleSeconds(std::string_view name, Labels labels, std::uint64_t micros) {
    head(name, labels);
    char text[32];
    std::snprintf(text, sizeof text, "%.6f", static_cast<double>(micros) / 1e6);
    out_ += text;
    out_ += '\n';
  }

  std::string take() { return std::move(out_); }

 private:
  void head(std::string_view name, Labels labels) {
    out_ += name;
    if (labels.size() != 0) {
      out_ += '{';
      bool first = true;
      for (const auto& [key, value] : labels) {
        if (!first) {
          out_ += ',';
        }
        first = false;
        out_ += key;
        out_ += "=\"";
        escape(value);
        out_ += '"';
      }
      out_ += '}';
    }
    out_ += ' ';
  }

  void escape(std::string_view value) {
    for (const char c : value) {
      if (c == '\\' || c == '"') {
        out_ += '\\';
        out_ += c;
      } else if (c == '\n') {
        out_ += "\\n";
      } else {
        out_ += c;
      }
    }
  }

  std::string out_;
};

constexpr std::array<std::string_view, 6> kClasses = {"", "1xx", "2xx", "3xx", "4xx", "5xx"};
constexpr std::string_view kOther = "other";

void requestsByClass(Writer& w, std::string_view name, const StatsTotals& totals,
                     std::string_view k1, std::string_view v1, std::string_view k2,
                     std::string_view v2, std::string_view k3, std::string_view v3) {
  for (std::size_t cls = 1; cls <= 5; ++cls) {
    if (k3.empty()) {
      w.sample(name, {{k1, v1}, {k2, v2}, {"code_class", kClasses[cls]}}, totals.by_class[cls]);
    } else {
      w.sample(name, {{k1, v1}, {k2, v2}, {k3, v3}, {"code_class", kClasses[cls]}},
               totals.by_class[cls]);
    }
  }
}

void requestFamilies(Writer& w, const StatsBinding& binding) {
  constexpr std::string_view kName = "gw_requests_total";
  w.family(kName, "counter",
           "Requests answered, by gateway, route, destination service and status class.");
  std::unordered_set<const StatsNode*> done;
  auto emit = [&](const StatsNode& node, std::string_view gateway, std::string_view route,
                  std::string_view service, bool only_if_used) {
    if (!done.insert(&node).second) {
      return;
    }
    const StatsTotals totals = node.totals();
    if (only_if_used && totals.requests == 0) {
      return;
    }
    if (node.overflow()) {
      gateway = route = service = kOther;
    }
    requestsByClass(w, kName, totals, "gateway", gateway, "route", route, "service", service);
  };
  for (const auto& gateway : binding.gateways) {
    emit(*gateway.unrouted, gateway.name, "", "", true);
  }
  for (const auto& route : binding.routes) {
    for (const auto& destination : route.destinations) {
      emit(*destination.node, route.gateway, route.name, destination.service_name, false);
    }
    emit(*route.local, route.gateway, route.name, "", true);
  }
}

void durationFamily(Writer& w, const StatsBinding& binding) {
  w.family("gw_request_duration_seconds", "histogram",
           "Time from a request's head to the end of its answer, per route.");
  std::unordered_set<const StatsNode*> done;
  for (const auto& route : binding.routes) {
    if (!done.insert(route.node.get()).second) {
      continue;
    }
    const bool other = route.node->overflow();
    const std::string_view gateway = other ? kOther : std::string_view(route.gateway);
    const std::string_view name = other ? kOther : std::string_view(route.name);
    const LatencySummary latency = route.node->totals().latency;
    for (const auto& [bound, le] : kPromBuckets) {
      w.sample("gw_request_duration_seconds_bucket",
               {{"gateway", gateway}, {"route", name}, {"le", le}}, latency.countAtMost(bound));
    }
    w.sample("gw_request_duration_seconds_bucket",
             {{"gateway", gateway}, {"route", name}, {"le", "+Inf"}}, latency.count);
    w.sampleSeconds("gw_request_duration_seconds_sum", {{"gateway", gateway}, {"route", name}},
                    latency.sum_micros);
    w.sample("gw_request_duration_seconds_count", {{"gateway", gateway}, {"route", name}},
             latency.count);
  }
}

void upstreamFamily(Writer& w, const StatsBinding& binding) {
  constexpr std::string_view kName = "gw_upstream_requests_total";
  w.family(kName, "counter", "Requests forwarded, by service, endpoint and status class.");
  std::unordered_set<const StatsNode*> done;
  for (const auto& service : binding.services) {
    for (std::size_t i = 0; i < service.endpoints.size(); ++i) {
      const StatsNode& node = *service.endpoints[i];
      if (!done.insert(&node).second) {
        continue;
      }
      const bool other = node.overflow();
      requestsByClass(w, kName, node.totals(), "service", other ? kOther : service.name, "endpoint",
                      other ? kOther : service.endpoint_names[i], "", "");
    }
  }
}

void mirrorFamily(Writer& w, const StatsBinding& binding) {
  constexpr std::string_view kName = "gw_mirror_requests_total";
  w.family(kName, "counter",
           "Copies mirrored to a service, by status class of its answer (none: no answer).");
  std::unordered_set<const StatsNode*> done;
  for (const auto& service : binding.services) {
    const StatsNode* node = service.mirrored.get();
    if (node == nullptr || !done.insert(node).second) {
      continue;
    }
    const StatsTotals totals = node->totals();
    if (totals.requests == 0) {
      continue;
    }
    const std::string_view name = node->overflow() ? kOther : std::string_view(service.name);
    std::uint64_t answered = 0;
    for (std::size_t cls = 1; cls <= 5; ++cls) {
      w.sample(kName, {{"service", name}, {"code_class", kClasses[cls]}}, totals.by_class[cls]);
      answered += totals.by_class[cls];
    }
    w.sample(kName, {{"service", name}, {"code_class", "none"}}, totals.requests - answered);
  }
}

// Per route: allowed and refused requests by reason; shadow refusals apart.
void accessFamily(Writer& w, const StatsBinding& binding) {
  constexpr std::string_view kName = "gw_access_decisions_total";
  w.family(kName, "counter",
           "Access-control verdicts per route: allowed, a refusal reason, or shadow_denied.");
  for (const auto& route : binding.routes) {
    if (!route.access || route.node->overflow()) {
      continue;
    }
    const AccessCounters::Totals totals = route.access->totals();
    for (std::size_t i = 0; i < AccessCounters::kOutcomes; ++i) {
      w.sample(kName,
               {{"route", route.name},
                {"decision", AccessCounters::name(static_cast<AccessCounters::Outcome>(i))}},
               totals[i]);
    }
  }
}

// Per caching route: requests by how they met the cache, and the bytes answered from it; the
// store's size.
void cacheFamilies(Writer& w, const MetricsSource& source) {
  const StatsBinding& binding = *source.binding;
  constexpr std::string_view kName = "gw_cache_requests_total";
  w.family(kName, "counter",
           "Requests of caching routes by cache result: hit, stale, revalidated, miss, bypass.");
  constexpr std::string_view kBytes = "gw_cache_served_bytes_total";
  for (const auto& route : binding.routes) {
    if (!route.cache || route.node->overflow()) {
      continue;
    }
    const CacheCounters::Totals totals = route.cache->totals();
    for (std::size_t i = 1; i < totals.size(); ++i) {
      w.sample(kName,
               {{"route", route.name}, {"result", cache::toString(static_cast<cache::Result>(i))}},
               totals[i]);
    }
  }
  w.family(kBytes, "counter", "Body bytes answered from the cache, per route.");
  for (const auto& route : binding.routes) {
    if (route.cache && !route.node->overflow()) {
      w.sample(kBytes, {{"route", route.name}}, route.cache->bytesServed());
    }
  }
  if (source.cache_max_bytes > 0) {
    w.family("gw_cache_entries", "gauge", "Answers in the cache's store.");
    w.sample("gw_cache_entries", {}, source.cache_entries);
    w.family("gw_cache_bytes", "gauge", "Bytes the cache's store holds.");
    w.sample("gw_cache_bytes", {}, source.cache_bytes);
    w.family("gw_cache_max_bytes", "gauge", "The cache store's bound (proxy.cache.maxSize).");
    w.sample("gw_cache_max_bytes", {}, source.cache_max_bytes);
    w.family("gw_cache_evictions_total", "counter", "Answers evicted to keep the bound.");
    w.sample("gw_cache_evictions_total", {}, source.cache_evictions);
  }
}

void consumerFamily(Writer& w, const StatsBinding& binding) {
  constexpr std::string_view kName = "gw_consumer_requests_total";
  w.family(kName, "counter", "Requests of each authenticated consumer, by status class.");
  std::unordered_set<const StatsNode*> done;
  for (const auto& consumer : binding.consumers) {
    const StatsNode& node = *consumer.node;
    if (!done.insert(&node).second) {
      continue;
    }
    const StatsTotals totals = node.totals();
    const std::string_view name = node.overflow() ? kOther : std::string_view(consumer.name);
    for (std::size_t cls = 1; cls <= 5; ++cls) {
      w.sample(kName, {{"consumer", name}, {"code_class", kClasses[cls]}}, totals.by_class[cls]);
    }
  }
}

}  // namespace

std::string renderMetrics(const MetricsSource& source) {
  Writer w;
  w.family("gw_build_info", "gauge", "The gw build serving; always 1.");
  w.sample("gw_build_info", {{"version", source.version}}, 1);
  w.family("gw_config_revision", "gauge", "The config revision being served.");
  w.sample("gw_config_revision", {}, source.revision);
  w.family("gw_reloads_total", "counter", "Config reloads served since the proxy started.");
  w.sample("gw_reloads_total", {}, source.reloads);
  w.family("gw_connections_active", "gauge", "Open client connections.");
  w.sample("gw_connections_active", {}, source.connections);
  if (source.binding != nullptr) {
    requestFamilies(w, *source.binding);
    durationFamily(w, *source.binding);
    upstreamFamily(w, *source.binding);
    mirrorFamily(w, *source.binding);
    accessFamily(w, *source.binding);
    cacheFamilies(w, source);
    consumerFamily(w, *source.binding);
  }
  return w.take();
}

}  // namespace gw::proxy
