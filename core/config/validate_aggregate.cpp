// A route's aggregate (aggregate.hpp): backends that exist, templates that resolve, answers
// that cannot collide when they are merged, and no part of the route that needs a single
// upstream answer.

#include <map>
#include <regex>
#include <set>

#include "core/config/checks.hpp"
#include "core/config/references.hpp"
#include "core/config/validate_context.hpp"

namespace gw::core {
namespace {

constexpr std::size_t kMaxBackends = 16;

// The number of capture groups of a regex route (0 for other routes, or one that does not
// compile: checkMatch reports that).
unsigned capturesOf(const Route& route) {
  if (route.match.type != MatchType::kRegex) {
    return 0;
  }
  try {
    return static_cast<unsigned>(std::regex(route.match.path, std::regex::ECMAScript).mark_count());
  } catch (const std::regex_error&) {
    return 0;
  }
}

void checkPath(const AggregateBackend& backend, unsigned captures, const std::string& path,
               Checker& check) {
  if (backend.path.empty() || backend.path.front() != '/') {
    check.add(path, "must start with '/' (got " + quote(backend.path) + ")");
    return;
  }
  std::vector<TemplatePart> parts;
  std::string why;
  if (!parsePathTemplate(backend.path, parts, why)) {
    check.add(path, why);
    return;
  }
  for (const TemplatePart& part : parts) {
    if (part.kind == TemplatePart::Kind::kCapture &&
        static_cast<unsigned>(part.capture) > captures) {
      check.add(path, "{" + std::to_string(part.capture) + "} needs a capture group " +
                          std::to_string(part.capture) + " in the route's regex path (it has " +
                          std::to_string(captures) + ")");
    }
  }
}

// Where each backend's answer goes: group keys must be distinct, and top-level merges must
// not meet each other or a group.
void checkPlacement(const Aggregate& aggregate, const std::string& path, Checker& check) {
  std::map<std::string, std::string> keys;  // key -> the backend that fills it
  std::string open_merge;                   // an ungrouped backend that takes every field
  for (std::size_t b = 0; b < aggregate.backends.size(); ++b) {
    const AggregateBackend& backend = aggregate.backends[b];
    const std::string bpath = path + ".backends[" + std::to_string(b) + "]";
    const std::string& name = Aggregate::nameOf(backend);
    const auto claim = [&](const std::string& key, const std::string& where) {
      const auto [it, fresh] = keys.emplace(key, name);
      if (!fresh) {
        check.add(where, "duplicate key " + quote(key) + ": backend " + quote(it->second) +
                             " already fills it");
      }
    };
    if (!backend.group.empty()) {
      if (!backend.fields.empty()) {
        check.add(bpath + ".fields", "only a backend without a group picks fields");
      }
      claim(backend.group, bpath + ".group");
      continue;
    }
    if (backend.fields.empty()) {
      if (!open_merge.empty()) {
        check.add(bpath, "backends " + quote(open_merge) + " and " + quote(name) +
                             " both merge every field at the top level, so their keys may "
                             "collide: give one a group, or list its fields");
      }
      open_merge = name;
      continue;
    }
    for (std::size_t f = 0; f < backend.fields.size(); ++f) {
      claim(backend.fields[f], bpath + ".fields[" + std::to_string(f) + "]");
    }
  }
}

void checkBackends(const Config& config, const Route& route, const std::string& path,
                   Checker& check) {
  const Aggregate& aggregate = *route.aggregate;
  if (aggregate.backends.empty()) {
    check.add(path + ".backends", "at least one backend is required");
    return;
  }
  if (aggregate.backends.size() > kMaxBackends) {
    check.add(path + ".backends", "at most " + std::to_string(kMaxBackends) + " backends (got " +
                                      std::to_string(aggregate.backends.size()) + ")");
  }
  const unsigned captures = capturesOf(route);
  std::set<std::string> names;
  for (std::size_t b = 0; b < aggregate.backends.size(); ++b) {
    const AggregateBackend& backend = aggregate.backends[b];
    const std::string bpath = path + ".backends[" + std::to_string(b) + "]";
    if (backend.service.empty()) {
      check.add(bpath + ".service", "must name a service");
    } else if (auto missing = missingService(config, backend.service)) {
      check.add(bpath + ".service", std::move(*missing));
    }
    checkPath(backend, captures, bpath + ".path", check);
    // A name taken from the group is checked with the groups (checkPlacement).
    const std::string& name = Aggregate::nameOf(backend);
    if (!names.insert(name).second && !(backend.name.empty() && !backend.group.empty())) {
      check.add(bpath + (backend.name.empty() ? ".group" : ".name"),
                "duplicate backend name " + quote(name) + " (give each backend its own name)");
    }
  }
  checkPlacement(aggregate, path, check);
}

}  // namespace

void checkRouteAggregate(const Config& config, const Route& route, const std::string& path,
                         Checker& check) {
  if (!route.aggregate) {
    return;
  }
  const std::string apath = path + ".aggregate";
  if (route.aggregate->timeout.count() <= 0) {
    check.add(apath + ".timeout",
              "must be positive (got " + formatDuration(route.aggregate->timeout) + ")");
  }
  if (route.aggregate->max_body_size <= 0) {
    check.add(apath + ".maxBodySize",
              "must be positive (got " + std::to_string(route.aggregate->max_body_size) + ")");
  }
  if (route.cache) {
    check.add(path + ".cache",
              "the route aggregates: the cache stores upstream answers, not merged ones (cache "
              "each backend's own route instead)");
  }
  if (route.retries.attempts > 0) {
    check.add(path + ".retries", "the route aggregates: retries apply to destinations");
  }
  checkBackends(config, route, apath, check);
}

}  // namespace gw::core
