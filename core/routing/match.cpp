#include "core/routing/compiled.hpp"

namespace gw::core::routing {

namespace {

using detail::HostRule;
using detail::OrderKey;
using detail::RouteList;

// The best route found so far. Every list is in precedence order, so a list is abandoned at
// the first entry that can no longer beat it.
class Search {
 public:
  Search(const RouteTable::Impl& impl, const RequestView& request)
      : impl_(impl), request_(request) {}

  // Entries whose path is already known to match (exact and prefix lists).
  void scan(const RouteList& list) {
    for (const std::uint32_t pos : list) {
      if (!canBeat(impl_.matchers[pos].key)) {
        return;
      }
      if (conditionsMatch(pos)) {
        take(pos);
        return;
      }
    }
  }

  void scanRegex(const RouteList& list, std::string_view path) {
    for (const std::uint32_t pos : list) {
      const auto& matcher = impl_.matchers[pos];
      if (!canBeat(matcher.key)) {
        return;
      }
      // Methods and headers first: they are cheaper than the regex.
      if (matcher.regex && conditionsMatch(pos) &&
          std::regex_match(path.begin(), path.end(), *matcher.regex)) {
        take(pos);
        return;
      }
    }
  }

  bool canBeat(const OrderKey& key) const { return best_ == nullptr || key < *best_; }

  const CompiledRoute* winner() const {
    return best_ == nullptr ? nullptr : &impl_.routes[best_pos_];
  }

 private:
  bool conditionsMatch(std::uint32_t pos) const {
    const Route& route = *impl_.routes[pos].route;
    return detail::methodAllowed(route, request_.method) && detail::headersMatch(route, request_);
  }

  void take(std::uint32_t pos) {
    best_ = &impl_.matchers[pos].key;
    best_pos_ = pos;
  }

  const RouteTable::Impl& impl_;
  const RequestView& request_;
  const OrderKey* best_ = nullptr;
  std::uint32_t best_pos_ = 0;
};

void scanPrefixes(const HostRule& rule, std::string_view path, Search& search) {
  if (rule.prefix.empty()) {
    return;
  }
  // Probes of `length` or shorter cannot beat the best so far when this bound does not.
  const auto worth = [&rule, &search](std::size_t length) {
    return search.canBeat(OrderKey{-rule.max_prefix_priority, detail::kRankPrefix,
                                   -static_cast<std::int64_t>(length), 0});
  };
  const auto probe = [&rule, &search](std::string_view key) {
    if (key.size() > rule.max_prefix_length ||
        (key.size() < detail::kTrackedPrefixLengths && !rule.prefix_lengths.test(key.size()))) {
      return;
    }
    if (const auto it = rule.prefix.find(key); it != rule.prefix.end()) {
      search.scan(it->second);
    }
  };
  // A prefix matches at the end of the path or just before a '/' ("/api"), or ends in a '/'
  // itself ("/api/"): those are the only keys worth probing, longest first.
  if (path.back() != '/') {
    probe(path);
  }
  for (std::size_t i = path.size(); i-- > 0;) {
    if (path[i] != '/') {
      continue;
    }
    if (!worth(i + 1)) {
      return;
    }
    probe(path.substr(0, i + 1));
    if (i > 0) {
      probe(path.substr(0, i));
    }
  }
}

}  // namespace

const CompiledRoute* RouteTable::match(const RequestView& request) const {
  detail::HostBuffer buffer;
  const HostRule* rule = impl_->findRule(detail::normalizeHost(request.host, buffer));
  if (rule == nullptr) {
    return nullptr;
  }
  const std::string_view path = detail::requestPath(request.path);
  Search search(*impl_, request);
  if (!rule->exact.empty()) {
    if (const auto it = rule->exact.find(path); it != rule->exact.end()) {
      search.scan(it->second);
    }
  }
  // Regex before prefix: at equal priority a regex outranks every prefix, so a regex winner
  // ends the prefix probing early.
  search.scanRegex(rule->regex, path);
  scanPrefixes(*rule, path, search);
  return search.winner();
}

}  // namespace gw::core::routing
