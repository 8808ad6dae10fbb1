#pragma once
// The cross-references a document makes (a route's gateway, its destinations' services and
// its mirror's service; a certificate's gateway), in one place: validate() reports them with
// positions among its other checks, and the proxy checks them before it builds a snapshot
// from a document that did not come through validate() (an embedding or a test), so that it
// never follows a dangling name. Both say the same thing in the same words.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/config/diagnostic.hpp"
#include "core/config/model.hpp"

namespace gw::core {

// "no gateway named \"x\"" when `name` is not empty and no gateway has it; else nothing.
std::optional<std::string> missingGateway(const Config& config, std::string_view name);
// "no service named \"x\"" likewise.
std::optional<std::string> missingService(const Config& config, std::string_view name);

// Every dangling reference of `config`, by field path, in document order.
std::vector<Diagnostic> checkReferences(const Config& config);

}  // namespace gw::core
