#include "cli/dashboard/assets.hpp"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace gw::dashboard {

// assets_data.cpp: the embedded files, sorted by path.
struct EmbeddedAsset {
  std::string_view path;
  std::string_view body;
};
extern const EmbeddedAsset kEmbeddedAssets[];
extern const std::size_t kEmbeddedAssetCount;

namespace {

std::optional<std::string> fromFolder(const std::string& folder, std::string_view path) {
  if (path.find("..") != std::string_view::npos) {
    return std::nullopt;
  }
  const std::filesystem::path file = std::filesystem::path(folder) / path.substr(1);
  std::ifstream in(file, std::ios::binary);
  if (!in || std::filesystem::is_directory(file)) {
    return std::nullopt;
  }
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

std::string contentTypeOf(std::string_view path) {
  const auto ends = [&](std::string_view ext) { return path.ends_with(ext); };
  if (ends(".html")) {
    return "text/html; charset=utf-8";
  }
  if (ends(".js") || ends(".mjs")) {
    return "text/javascript; charset=utf-8";
  }
  if (ends(".css")) {
    return "text/css; charset=utf-8";
  }
  if (ends(".svg")) {
    return "image/svg+xml";
  }
  if (ends(".json")) {
    return "application/json";
  }
  if (ends(".png")) {
    return "image/png";
  }
  if (ends(".ico")) {
    return "image/x-icon";
  }
  return "application/octet-stream";
}

std::optional<Asset> findAsset(std::string_view path) {
  if (const char* folder = std::getenv("GW_DASHBOARD_ASSETS");
      folder != nullptr && folder[0] != '\0') {
    auto body = fromFolder(folder, path);
    if (!body) {
      return std::nullopt;
    }
    return Asset{contentTypeOf(path), std::move(*body)};
  }
  for (std::size_t i = 0; i < kEmbeddedAssetCount; ++i) {
    if (kEmbeddedAssets[i].path == path) {
      return Asset{contentTypeOf(path), std::string(kEmbeddedAssets[i].body)};
    }
  }
  return std::nullopt;
}

}  // namespace gw::dashboard
