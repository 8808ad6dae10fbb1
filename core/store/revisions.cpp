#include "core/store/revisions.hpp"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <string>
#include <string_view>

namespace gw::core::store {

namespace fs = std::filesystem;

fs::path revisionPath(const fs::path& folder, std::uint64_t revision, bool refused) {
  char name[48];
  std::snprintf(name, sizeof name, "%08llu%s.yaml", static_cast<unsigned long long>(revision),
                refused ? ".refused" : "");
  return folder / name;
}

std::vector<KeptRevision> listRevisions(const fs::path& folder) {
  std::vector<KeptRevision> out;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(folder, ec)) {
    if (entry.path().extension() != ".yaml") {
      continue;
    }
    const std::string name = entry.path().stem().string();
    std::string_view stem = name;
    KeptRevision kept;
    constexpr std::string_view kRefused = ".refused";
    if (stem.ends_with(kRefused)) {
      kept.refused = true;
      stem.remove_suffix(kRefused.size());
    }
    auto [end, err] = std::from_chars(stem.data(), stem.data() + stem.size(), kept.number);
    if (err != std::errc() || end != stem.data() + stem.size() || stem.empty()) {
      continue;
    }
    kept.path = entry.path();
    kept.saved = entry.last_write_time(ec);
    out.push_back(std::move(kept));
  }
  std::sort(out.begin(), out.end(), [](const KeptRevision& a, const KeptRevision& b) {
    return a.number != b.number ? a.number < b.number : (!a.refused && b.refused);
  });
  return out;
}

void keepSavedTime(const fs::path& original, const fs::path& copy) {
  std::error_code ec;
  const auto saved = fs::last_write_time(original, ec);
  if (!ec) {
    fs::last_write_time(copy, saved, ec);
  }
}

void pruneRevisions(const fs::path& folder, std::size_t keep) {
  const auto kept = listRevisions(folder);
  for (std::size_t i = 0; i + keep < kept.size(); ++i) {
    std::error_code ec;
    fs::remove(kept[i].path, ec);
  }
}

}  // namespace gw::core::store
