#include "cli/status_table.hpp"

#include <string>
#include <vector>

namespace gw::cli {
namespace {

// One cell: scalars as they are, lists joined by commas, objects as their values joined by
// '=' (so a destination reads frontend=50).
std::string cell(const Json& value) {
  if (value.is_string()) {
    return value.get<std::string>();
  }
  if (value.is_null()) {
    return "-";
  }
  if (value.is_array()) {
    std::vector<std::string> parts;
    for (const auto& item : value) {
      parts.push_back(cell(item));
    }
    return parts.empty() ? "-" : join(parts);
  }
  if (value.is_object()) {
    std::vector<std::string> parts;
    for (const auto& [key, item] : value.items()) {
      parts.push_back(cell(item));
    }
    return join(parts, "=");
  }
  return value.dump();
}

// Columns are the keys of the objects: the usual ones first, in a reading order, then the
// rest as they first appear.
std::vector<std::string> columnsOf(const Json& items) {
  static const std::vector<std::string> kFirst = {
      "name", "gateway", "listener",     "protocol", "address", "port", "hosts",
      "path", "match",   "destinations", "requests", "req/s",   "5xx"};
  std::vector<std::string> keys;
  for (const auto& key : kFirst) {
    if (std::any_of(items.begin(), items.end(),
                    [&](const Json& item) { return item.is_object() && item.contains(key); })) {
      keys.push_back(key);
    }
  }
  for (const auto& item : items) {
    if (!item.is_object()) {
      continue;
    }
    for (const auto& [key, value] : item.items()) {
      if (std::find(keys.begin(), keys.end(), key) == keys.end()) {
        keys.push_back(key);
      }
    }
  }
  return keys;
}

// "3 (auth_missing 2, forbidden 1)", and the shadow refusals: "0, shadow 4".
std::string refusedText(const Json& access) {
  std::uint64_t total = 0;
  std::string reasons;
  const Json refused = access.value("refused", Json::object());  // items() keeps no copy
  for (const auto& [reason, count] : refused.items()) {
    const auto n = count.get<std::uint64_t>();
    if (n == 0) {
      continue;
    }
    total += n;
    reasons += (reasons.empty() ? "" : ", ") + reason + " " + std::to_string(n);
  }
  std::string out = std::to_string(total);
  if (!reasons.empty()) {
    out += " (" + reasons + ")";
  }
  if (const auto shadow = access.value("shadowDenied", std::uint64_t{0}); shadow > 0) {
    out += ", shadow " + std::to_string(shadow);
  }
  if (const auto limited = access.value("shadowLimited", std::uint64_t{0}); limited > 0) {
    out += ", shadow limited " + std::to_string(limited);
  }
  return out;
}

}  // namespace

Table tableOf(const Json& items) {
  Table table;
  const std::vector<std::string> keys = columnsOf(items);
  for (const auto& key : keys) {
    std::string header = key;
    for (char& c : header) {
      c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    table.headers.push_back(header);
  }
  for (const auto& item : items) {
    std::vector<std::string> row;
    if (item.is_object()) {
      row.reserve(keys.size());
      for (const auto& key : keys) {
        row.push_back(item.contains(key) ? cell(item[key]) : "-");
      }
    } else {
      row = {cell(item)};
    }
    table.rows.push_back(std::move(row));
  }
  if (table.headers.empty()) {
    table.headers.emplace_back("NAME");
  }
  return table;
}

// For the table: the traffic figures of a running proxy's routes as people read them.
Json readableRoutes(const Json& routes) {
  Json out = routes;
  for (auto& route : out) {
    if (!route.is_object()) {
      continue;
    }
    if (route.contains("rps") && route["rps"].is_number()) {
      char text[32];
      std::snprintf(text, sizeof text, "%.1f", route["rps"].get<double>());
      route["req/s"] = text;
      route.erase("rps");
    }
    if (route.contains("errorRate") && route["errorRate"].is_number()) {
      char text[32];
      std::snprintf(text, sizeof text, "%.1f%%", route["errorRate"].get<double>() * 100.0);
      route["5xx"] = text;
      route.erase("errorRate");
    }
    if (route.contains("access") && route["access"].is_object()) {
      const Json access = route["access"];
      route["allowed"] = access.value("allowed", 0);
      route["refused"] = refusedText(access);
      route.erase("access");
    }
  }
  return out;
}

}  // namespace gw::cli
