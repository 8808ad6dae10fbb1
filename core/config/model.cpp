#include "core/config/model.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <utility>

namespace gw::core {
namespace {

template <class T>
T* findByName(std::vector<T>& items, std::string_view name) {
  auto it = std::find_if(items.begin(), items.end(), [&](const T& t) { return t.name == name; });
  return it == items.end() ? nullptr : &*it;
}

template <class E, std::size_t N>
std::optional<E> parseEnum(const std::array<std::pair<const char*, E>, N>& names,
                           std::string_view s) {
  for (const auto& [text, value] : names) {
    if (s == text) {
      return value;
    }
  }
  return std::nullopt;
}

template <class E, std::size_t N>
const char* enumName(const std::array<std::pair<const char*, E>, N>& names, E value) {
  for (const auto& [text, v] : names) {
    if (v == value) {
      return text;
    }
  }
  return "?";
}

constexpr std::array<std::pair<const char*, Protocol>, 2> kProtocols{{
    {"http", Protocol::kHttp},
    {"https", Protocol::kHttps},
}};
constexpr std::array<std::pair<const char*, LbPolicy>, 4> kLbPolicies{{
    {"round-robin", LbPolicy::kRoundRobin},
    {"least-request", LbPolicy::kLeastRequest},
    {"random", LbPolicy::kRandom},
    {"hash", LbPolicy::kHash},
}};
constexpr std::array<std::pair<const char*, MatchType>, 3> kMatchTypes{{
    {"prefix", MatchType::kPrefix},
    {"exact", MatchType::kExact},
    {"regex", MatchType::kRegex},
}};
constexpr std::array<std::pair<const char*, Issuer>, 5> kIssuers{{
    {"letsencrypt", Issuer::kLetsEncrypt},
    {"letsencrypt-staging", Issuer::kLetsEncryptStaging},
    {"acme", Issuer::kAcme},
    {"internal", Issuer::kInternal},
    {"imported", Issuer::kImported},
}};
constexpr std::array<std::pair<const char*, GatewayTls::Mode>, 2> kTlsModes{{
    {"manual", GatewayTls::Mode::kManual},
    {"auto", GatewayTls::Mode::kAuto},
}};

constexpr std::int64_t kMillisPerDay = 86'400'000;
// Units from the largest, as formatDuration tries them.
constexpr std::array<std::pair<const char*, std::int64_t>, 6> kDurationUnits{{
    {"y", 365 * kMillisPerDay},
    {"d", kMillisPerDay},
    {"h", 3'600'000},
    {"m", 60'000},
    {"s", 1000},
    {"ms", 1},
}};

}  // namespace

bool Gateway::hasHttps() const {
  return std::ranges::any_of(listeners,
                             [](const Listener& l) { return l.protocol == Protocol::kHttps; });
}

const Gateway* Config::findGateway(std::string_view name) const {
  return const_cast<Config*>(this)->findGateway(name);
}
const Service* Config::findService(std::string_view name) const {
  return const_cast<Config*>(this)->findService(name);
}
const Route* Config::findRoute(std::string_view name) const {
  return const_cast<Config*>(this)->findRoute(name);
}
Gateway* Config::findGateway(std::string_view name) { return findByName(gateways, name); }
Service* Config::findService(std::string_view name) { return findByName(services, name); }
Route* Config::findRoute(std::string_view name) { return findByName(routes, name); }
const Consumer* Config::findConsumer(std::string_view name) const {
  return const_cast<Config*>(this)->findConsumer(name);
}
Consumer* Config::findConsumer(std::string_view name) { return findByName(consumers, name); }
const Plan* Config::findPlan(std::string_view name) const {
  return findByName(const_cast<Config*>(this)->plans, name);
}

const char* toString(Protocol p) { return enumName(kProtocols, p); }
const char* toString(LbPolicy p) { return enumName(kLbPolicies, p); }
const char* toString(MatchType t) { return enumName(kMatchTypes, t); }
const char* toString(Issuer i) { return enumName(kIssuers, i); }
bool isAcme(Issuer i) {
  return i == Issuer::kLetsEncrypt || i == Issuer::kLetsEncryptStaging || i == Issuer::kAcme;
}
const char* toString(GatewayTls::Mode m) { return enumName(kTlsModes, m); }
std::optional<Protocol> parseProtocol(std::string_view s) { return parseEnum(kProtocols, s); }
std::optional<LbPolicy> parseLbPolicy(std::string_view s) { return parseEnum(kLbPolicies, s); }
std::optional<MatchType> parseMatchType(std::string_view s) { return parseEnum(kMatchTypes, s); }
std::optional<Issuer> parseIssuer(std::string_view s) { return parseEnum(kIssuers, s); }
std::optional<GatewayTls::Mode> parseTlsMode(std::string_view s) { return parseEnum(kTlsModes, s); }

std::optional<HashPolicy> parseHashPolicy(std::string_view s) {
  if (s == "client-ip") {
    return HashPolicy{};
  }
  for (const auto& [prefix, source] :
       {std::pair<std::string_view, HashPolicy::Source>{"header:", HashPolicy::Source::kHeader},
        std::pair<std::string_view, HashPolicy::Source>{"cookie:", HashPolicy::Source::kCookie}}) {
    if (s.size() > prefix.size() && s.substr(0, prefix.size()) == prefix) {
      return HashPolicy{source, std::string(s.substr(prefix.size()))};
    }
  }
  return std::nullopt;
}

std::string toString(const HashPolicy& h) {
  switch (h.source) {
    case HashPolicy::Source::kHeader:
      return "header:" + h.name;
    case HashPolicy::Source::kCookie:
      return "cookie:" + h.name;
    case HashPolicy::Source::kClientIp:
      break;
  }
  return "client-ip";
}

std::optional<Millis> parseDuration(std::string_view s) {
  std::int64_t n = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
  if (ec != std::errc() || end == s.data() || n < 0) {
    return std::nullopt;
  }
  const std::string_view unit(end, static_cast<std::size_t>(s.data() + s.size() - end));
  constexpr std::int64_t kMaxMillis = std::int64_t{1} << 40;  // ~34 years: no overflow below
  for (const auto& [name, scale] : kDurationUnits) {
    if (unit == name) {
      if (n > kMaxMillis / scale) {
        return std::nullopt;
      }
      return Millis(n * scale);
    }
  }
  return std::nullopt;
}

std::string formatDuration(Millis d) {
  const auto ms = d.count();
  for (const auto& [name, scale] : kDurationUnits) {
    // Zero has no largest unit: "0s" reads best.
    if ((ms != 0 || scale == 1000) && ms % scale == 0) {
      return std::to_string(ms / scale) + name;
    }
  }
  return std::to_string(ms) + "ms";
}

}  // namespace gw::core
