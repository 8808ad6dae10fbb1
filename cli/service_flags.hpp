#pragma once
// The flags of `gw service add` and `gw service update`, and how they change a Service.

#include <CLI/CLI.hpp>
#include <set>
#include <string>
#include <vector>

#include "core/config/model.hpp"
#include "core/result.hpp"

namespace gw::cli {

struct ServiceOptions {
  std::string name;
  std::vector<std::string> endpoints;
  std::string lb;
  std::string hash_on;
  std::string health_path;
  std::string health_interval;
  std::string health_timeout;
  int healthy_threshold = 0;
  int unhealthy_threshold = 0;
  int eject_5xx = 0;
  int eject_connect_failures = 0;
  std::string ejection_time;
  int max_ejected_percent = 0;
  std::string connect_timeout;
  bool tls = false;
  std::string tls_sni;
  std::string tls_ca_file;
  bool tls_no_verify = false;
  std::set<std::string> given;  // the flags on the command line (update replaces only those)
};

void addServiceFlags(CLI::App* sub, ServiceOptions& o, bool require_endpoint);

// Sets what the user named; values that do not parse are usage errors, the rest is left to
// validation.
core::Status applyServiceFlags(core::Service& service, const ServiceOptions& o);

}  // namespace gw::cli
