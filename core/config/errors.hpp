#pragma once
// How a bad document is reported, shared by decode() and loadDocument().

#include <string>
#include <vector>

#include "core/config/diagnostic.hpp"
#include "core/result.hpp"

namespace gw::core {

// "1 error", "3 errors".
std::string countErrors(std::size_t n);

// kValidation, "<file>: invalid document (N errors)", details = each Diagnostic::str().
Error documentError(const std::string& file, const std::vector<Diagnostic>& diagnostics);

}  // namespace gw::core
