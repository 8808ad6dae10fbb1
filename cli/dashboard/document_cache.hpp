#pragma once
// The home's document as the dashboard reads it, decoded once per version of config.yaml
// (its inode, size and modification time, core::fileStamp) instead of on every request:
// with 1,000 routes a decode and validation takes far longer than an answer should. Every
// change still loads under the home's lock through the change pipeline.

#include <memory>
#include <mutex>
#include <string>

#include "core/config/model.hpp"
#include "core/result.hpp"
#include "core/store/home.hpp"

namespace gw::dashboard {

class DocumentCache {
 public:
  explicit DocumentCache(core::Home home) : home_(std::move(home)) {}

  core::Result<std::shared_ptr<const core::Config>> current() const;

 private:
  core::Home home_;
  mutable std::mutex mutex_;
  mutable std::string stamp_;
  mutable std::shared_ptr<const core::Config> config_;
};

}  // namespace gw::dashboard
