#include "core/config/aggregate.hpp"

namespace gw::core {

const std::string& Aggregate::nameOf(const AggregateBackend& backend) {
  if (!backend.name.empty()) {
    return backend.name;
  }
  return backend.group.empty() ? backend.service : backend.group;
}

namespace {

bool placeholder(std::string_view inner, TemplatePart& part, std::string& why) {
  if (inner.size() == 1 && inner[0] >= '1' && inner[0] <= '9') {
    part.kind = TemplatePart::Kind::kCapture;
    part.capture = inner[0] - '0';
    return true;
  }
  if (inner == "path") {
    part.kind = TemplatePart::Kind::kPath;
    return true;
  }
  if (inner == "query") {
    part.kind = TemplatePart::Kind::kQuery;
    return true;
  }
  constexpr std::string_view kQueryPrefix = "query.";
  if (inner.starts_with(kQueryPrefix) && inner.size() > kQueryPrefix.size()) {
    part.kind = TemplatePart::Kind::kQueryParam;
    part.text = std::string(inner.substr(kQueryPrefix.size()));
    return true;
  }
  why = "unknown placeholder {" + std::string(inner) +
        "}: use {1}..{9} (the route's regex captures), {query.NAME}, {path} or {query}";
  return false;
}

}  // namespace

bool parsePathTemplate(std::string_view text, std::vector<TemplatePart>& parts, std::string& why) {
  parts.clear();
  std::size_t at = 0;
  while (at < text.size()) {
    const auto open = text.find('{', at);
    if (open != at) {
      const auto end = open == std::string_view::npos ? text.size() : open;
      parts.push_back({TemplatePart::Kind::kText, std::string(text.substr(at, end - at)), 0});
      at = end;
      continue;
    }
    const auto close = text.find('}', open);
    if (close == std::string_view::npos) {
      why = "a '{' at " + std::to_string(open) + " is never closed";
      return false;
    }
    TemplatePart part;
    if (!placeholder(text.substr(open + 1, close - open - 1), part, why)) {
      return false;
    }
    parts.push_back(std::move(part));
    at = close + 1;
  }
  return true;
}

}  // namespace gw::core
