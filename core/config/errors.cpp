#include "core/config/errors.hpp"

#include "core/config/validate.hpp"

namespace gw::core {
namespace {

std::vector<std::string> lines(const std::vector<Diagnostic>& diagnostics) {
  std::vector<std::string> out;
  out.reserve(diagnostics.size());
  for (const auto& d : diagnostics) {
    out.push_back(d.str());
  }
  return out;
}

}  // namespace

std::string countErrors(std::size_t n) {
  return std::to_string(n) + (n == 1 ? " error" : " errors");
}

Error documentError(const std::string& file, const std::vector<Diagnostic>& diagnostics) {
  std::string message = "invalid document (" + countErrors(diagnostics.size()) + ")";
  if (!file.empty()) {
    message = file + ": " + message;
  }
  return makeError(ErrorKind::kValidation, std::move(message), lines(diagnostics));
}

Error validationError(const std::string& what, const std::vector<Diagnostic>& diagnostics) {
  return makeError(ErrorKind::kValidation, what + ": " + countErrors(diagnostics.size()),
                   lines(diagnostics));
}

}  // namespace gw::core
