#include "proxy/aggregate/target.hpp"

#include <optional>

namespace gw::proxy::aggregate {

std::optional<std::string_view> queryParam(std::string_view query, std::string_view name) {
  while (!query.empty()) {
    const auto amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    const auto eq = pair.find('=');
    if (pair.substr(0, eq) == name) {
      return eq == std::string_view::npos ? std::string_view{} : pair.substr(eq + 1);
    }
    if (amp == std::string_view::npos) {
      break;
    }
    query.remove_prefix(amp + 1);
  }
  return std::nullopt;
}

std::string expandTarget(const std::vector<core::TemplatePart>& parts, std::string_view target,
                         const Captures& captures) {
  const auto query_at = target.find('?');
  const std::string_view path = target.substr(0, query_at);
  const std::string_view query =
      query_at == std::string_view::npos ? std::string_view{} : target.substr(query_at + 1);
  std::string out;
  for (const core::TemplatePart& part : parts) {
    switch (part.kind) {
      case core::TemplatePart::Kind::kText:
        out += part.text;
        break;
      case core::TemplatePart::Kind::kCapture: {
        const auto index = static_cast<std::size_t>(part.capture);
        if (index < captures.size() && captures[index].matched) {
          out.append(captures[index].first, captures[index].second);
        }
        break;
      }
      case core::TemplatePart::Kind::kQueryParam:
        out += queryParam(query, part.text).value_or(std::string_view{});
        break;
      case core::TemplatePart::Kind::kPath:
        out += path;
        break;
      case core::TemplatePart::Kind::kQuery:
        out += query;
        break;
    }
  }
  return out;
}

}  // namespace gw::proxy::aggregate
