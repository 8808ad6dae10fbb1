#pragma once
// The TLS part of `gw status`: for every host a route names on a gateway with an https
// listener, the certificate an SNI handshake for it gets (an exact name, then a wildcard) and
// that certificate's state, so a missing or failing certificate shows next to its host.

#include <filesystem>

#include "cli/output.hpp"
#include "core/config/model.hpp"

namespace gw::cli {

// [{"host","gateway","certificate","state","reason","notAfter","daysLeft"}]; `certs_dir` is
// <home>/certs.
Json tlsHosts(const core::Config& config, const std::filesystem::path& certs_dir);

}  // namespace gw::cli
