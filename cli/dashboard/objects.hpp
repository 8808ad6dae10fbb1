#pragma once
// The document's objects over HTTP (docs/dashboard-api.md, "The document's objects"): each
// read answers the objects as `gw config show -o json` has them; each change rebuilds the
// document with the object put in (or taken out), decodes it with the very decoder of
// config.yaml and goes through the CLI's change pipeline, so errors carry the document's
// field paths and nothing the CLI would refuse gets in.

#include <cstdint>
#include <string>

#include "cli/dashboard/answers.hpp"
#include "cli/dashboard/document_cache.hpp"
#include "cli/dashboard/environment.hpp"
#include "core/config/model.hpp"

namespace gw::dashboard {

// "gateways", "services", "routes", "certificates", "consumers", "plans", "jwtProviders".
bool isObjectKind(const std::string& kind);

class Objects {
 public:
  Objects(const Environment& env, const DocumentCache& documents);

  Response document() const;
  Response list(const std::string& kind) const;
  Response get(const std::string& kind, const std::string& name) const;
  // Body: {"revision": N, "item": {...}, "dryRun": false}.
  Response put(const std::string& kind, const std::string& name, const Request& request) const;
  Response remove(const std::string& kind, const std::string& name, const Request& request) const;
  // Body: {"revision": N, "document": {...}}: checked and diffed, never saved.
  Response check(const Request& request) const;

 private:
  struct Edit;
  struct Attempt;
  static Attempt attempt(const core::Config& saved, const Edit& edit);
  Response apply(const Edit& edit) const;
  Response preview(const Edit& edit) const;  // a dry run: the diff, nothing saved
  Response save(const Edit& edit) const;     // through the change pipeline
  bool proxyRunning() const;

  const Environment& env_;
  const DocumentCache& documents_;
};

}  // namespace gw::dashboard
