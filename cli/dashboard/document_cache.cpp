#include "cli/dashboard/document_cache.hpp"

namespace gw::dashboard {

core::Result<std::shared_ptr<const core::Config>> DocumentCache::current() const {
  const std::string stamp = core::fileStamp(home_.configPath());
  {
    const std::lock_guard lock(mutex_);
    if (config_ && stamp == stamp_) {
      return config_;
    }
  }
  auto loaded = home_.load();
  if (!loaded) {
    return std::move(loaded).error();
  }
  auto config = std::make_shared<const core::Config>(std::move(loaded).value());
  const std::lock_guard lock(mutex_);
  stamp_ = stamp;  // read before the load: a save meanwhile makes the next read load again
  config_ = config;
  return config;
}

}  // namespace gw::dashboard
