#include "cli/status_consumers.hpp"

#include <ostream>

namespace gw::cli {

Json consumerTraffic(const proxy::AdminClient& admin) {
  Json out = Json::array();
  auto stats = admin.stats(1);
  if (!stats) {
    return out;
  }
  for (const auto& [name, traffic] : stats->consumers) {
    if (traffic.requests == 0) {
      continue;
    }
    out.push_back({{"name", name},
                   {"requests", traffic.requests},
                   {"2xx", traffic.by_class[1]},
                   {"4xx", traffic.by_class[3]},
                   {"5xx", traffic.by_class[4]}});
  }
  return out;
}

void printConsumers(std::ostream& out, const Json& consumers, bool color) {
  if (consumers.empty()) {
    return;
  }
  out << '\n' << bold("CONSUMERS", color) << '\n';
  Table table{{"NAME", "REQUESTS", "2XX", "4XX", "5XX"}, {}};
  for (const Json& c : consumers) {
    table.rows.push_back({c["name"].get<std::string>(), std::to_string(c["requests"].get<long>()),
                          std::to_string(c["2xx"].get<long>()),
                          std::to_string(c["4xx"].get<long>()),
                          std::to_string(c["5xx"].get<long>())});
  }
  printTable(out, table, false);
}

}  // namespace gw::cli
