#pragma once
// The pieces of decode(), one per section of the document.

#include <string>

#include "core/config/model.hpp"
#include "core/config/yaml_reader.hpp"

namespace gw::core::yaml {

void decodeGateway(Reader& r, const YAML::Node& node, const std::string& path, Gateway& out);
void decodeService(Reader& r, const YAML::Node& node, const std::string& path, Service& out);
void decodeRoute(Reader& r, const YAML::Node& node, const std::string& path, Route& out);
void decodeCertificate(Reader& r, const YAML::Node& node, const std::string& path,
                       Certificate& out);

}  // namespace gw::core::yaml
