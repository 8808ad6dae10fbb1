#include "core/acme/names.hpp"

#include <algorithm>
#include <cctype>

namespace gw::acme {

namespace {

core::Error refuse(std::string_view name, const std::string& why) {
  return core::makeError(core::ErrorKind::kUsage,
                         "'" + std::string(name) + "' is not a valid domain name: " + why);
}

std::string describeChar(char c) {
  if (c == ' ') {
    return "a space";
  }
  if (std::isprint(static_cast<unsigned char>(c)) == 0) {
    return "a control or non-ASCII byte";
  }
  return std::string("'") + c + "'";
}

}  // namespace

core::Status validateDomain(std::string_view name) {
  if (name.empty()) {
    return core::makeError(core::ErrorKind::kUsage, "a domain name is empty");
  }
  std::string_view rest = name;
  if (rest.starts_with("*.")) {
    rest.remove_prefix(2);
  }
  if (rest.size() > 253) {
    return refuse(name, "it is longer than 253 characters");
  }
  for (const char c : rest) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) == 0 && c != '-' && c != '.') {
      return refuse(name, "it contains " + describeChar(c));
    }
  }
  if (rest.ends_with('.')) {
    return refuse(name, "it ends with a dot");
  }
  std::size_t labels = 0;
  std::size_t start = 0;
  while (start <= rest.size()) {
    const std::size_t dot = std::min(rest.find('.', start), rest.size());
    const std::string_view label = rest.substr(start, dot - start);
    if (label.empty()) {
      return refuse(name, "it has an empty label");
    }
    if (label.size() > 63) {
      return refuse(name, "a label is longer than 63 characters");
    }
    if (label.front() == '-' || label.back() == '-') {
      return refuse(name, "a label starts or ends with '-'");
    }
    ++labels;
    start = dot + 1;
  }
  if (labels < 2) {
    return refuse(name, "a certificate needs a name with at least two labels (like shop.test)");
  }
  return core::Ok{};
}

core::Result<std::vector<std::string>> normalizeDomains(const std::vector<std::string>& names) {
  if (names.empty()) {
    return core::makeError(core::ErrorKind::kUsage, "no domain names given");
  }
  std::vector<std::string> out;
  for (const auto& name : names) {
    auto status = validateDomain(name);
    if (!status) {
      return std::move(status).error();
    }
    std::string lower = name;
    std::transform(lower.begin(), lower.end(), lower.begin(), [](char c) {
      return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    });
    if (std::find(out.begin(), out.end(), lower) == out.end()) {
      out.push_back(std::move(lower));
    }
  }
  return out;
}

}  // namespace gw::acme
