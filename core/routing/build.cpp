#include <algorithm>

#include "core/routing/compiled.hpp"

namespace gw::core::routing {

namespace {

using detail::HostRule;
using detail::OrderKey;
using detail::RouteList;
using detail::RouteMatcher;

std::string lowerHost(std::string_view host) {
  std::string out(host);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') {
      c = static_cast<char>(c - 'A' + 'a');
    }
  }
  if (!out.empty() && out.back() == '.' && out != ".") {
    out.pop_back();
  }
  return out;
}

RouteMatcher compileMatcher(const Route& route, std::size_t index) {
  RouteMatcher matcher;
  matcher.key.neg_priority = -static_cast<std::int64_t>(route.priority.value_or(0));
  matcher.key.index = index;
  switch (route.match.type) {
    case MatchType::kExact:
      matcher.key.rank = detail::kRankExact;
      break;
    case MatchType::kRegex:
      matcher.key.rank = detail::kRankRegex;
      try {
        matcher.regex.emplace(route.match.path, std::regex::ECMAScript | std::regex::optimize);
      } catch (const std::regex_error&) {
        matcher.regex.reset();  // validation reports it; here it simply never matches
      }
      break;
    case MatchType::kPrefix:
      matcher.key.rank = detail::kRankPrefix;
      matcher.key.neg_prefix_length =
          -static_cast<std::int64_t>(std::max<std::size_t>(route.match.path.size(), 1));
      break;
  }
  return matcher;
}

// The rule a route's host entry belongs to, created on first use.
HostRule& ruleFor(RouteTable::Impl& impl, const std::string& host) {
  const auto add = [&impl, &host]() {
    impl.rules.push_back(HostRule{});
    impl.rules.back().name = host;
    return static_cast<std::uint32_t>(impl.rules.size() - 1);
  };
  if (host == "*") {
    if (!impl.any_host) {
      impl.any_host = add();
    }
    return impl.rules[*impl.any_host];
  }
  const bool wildcard = host.starts_with("*.");
  auto& map = wildcard ? impl.wildcard_hosts : impl.exact_hosts;
  const std::string key = wildcard ? host.substr(1) : host;
  auto it = map.find(key);
  if (it == map.end()) {
    it = map.emplace(key, add()).first;
  }
  return impl.rules[it->second];
}

void indexRule(const RouteTable::Impl& impl, HostRule& rule) {
  std::sort(rule.all.begin(), rule.all.end(), [&impl](std::uint32_t a, std::uint32_t b) {
    return impl.matchers[a].key < impl.matchers[b].key;
  });
  rule.all.erase(std::unique(rule.all.begin(), rule.all.end()), rule.all.end());
  // Appending in precedence order keeps every list sorted.
  for (const std::uint32_t pos : rule.all) {
    const Route& route = *impl.routes[pos].route;
    switch (route.match.type) {
      case MatchType::kExact:
        rule.exact[route.match.path].push_back(pos);
        break;
      case MatchType::kRegex:
        rule.regex.push_back(pos);
        break;
      case MatchType::kPrefix: {
        const std::string& prefix = route.match.path.empty() ? std::string("/") : route.match.path;
        rule.prefix[prefix].push_back(pos);
        rule.max_prefix_length = std::max(rule.max_prefix_length, prefix.size());
        if (prefix.size() < detail::kTrackedPrefixLengths) {
          rule.prefix_lengths.set(prefix.size());
        }
        rule.max_prefix_priority =
            std::max(rule.max_prefix_priority, -impl.matchers[pos].key.neg_priority);
        break;
      }
    }
  }
}

}  // namespace

RouteTable::RouteTable() : impl_(std::make_unique<Impl>()) {}
RouteTable::~RouteTable() = default;

std::size_t RouteTable::size() const { return impl_->routes.size(); }

std::shared_ptr<const RouteTable> RouteTable::build(const Config& config,
                                                    std::string_view gateway) {
  std::shared_ptr<RouteTable> table(new RouteTable());
  Impl& impl = *table->impl_;
  for (std::size_t i = 0; i < config.routes.size(); ++i) {
    const Route& route = config.routes[i];
    if (!gateway.empty() && route.gateway != gateway) {
      continue;
    }
    CompiledRoute compiled;
    compiled.index = i;
    compiled.name = route.name;
    compiled.route = &route;
    compiled.pick = detail::fillPick(route.destinations);
    impl.routes.push_back(std::move(compiled));
    impl.matchers.push_back(compileMatcher(route, i));
  }
  for (std::size_t pos = 0; pos < impl.routes.size(); ++pos) {
    const Route& route = *impl.routes[pos].route;
    if (route.hosts.empty()) {
      ruleFor(impl, "*").all.push_back(static_cast<std::uint32_t>(pos));
    }
    for (const std::string& host : route.hosts) {
      ruleFor(impl, lowerHost(host)).all.push_back(static_cast<std::uint32_t>(pos));
    }
  }
  for (HostRule& rule : impl.rules) {
    indexRule(impl, rule);
  }
  return table;
}

}  // namespace gw::core::routing
