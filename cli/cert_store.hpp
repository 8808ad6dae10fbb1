#pragma once
// Where the CLI keeps a certificate: its files in the home (certs/<name>/cert.pem, key.pem
// 0600) and its entry in the document, written together so the reload that follows serves
// the new files; on a refused change the old files are put back.

#include <string>

#include "cli/context.hpp"
#include "core/acme/obtain.hpp"
#include "core/config/model.hpp"
#include "core/result.hpp"

namespace gw::cli {

// The home's ACME accounts and internal CA.
inline acme::IssuerHome issuerHome(const Context& ctx) {
  return {ctx.home().file("acme"), ctx.home().file("ca")};
}

// An External Account Binding HMAC key: the flag's value, else $GW_EAB_HMAC_KEY (which keeps
// it out of the shell's history and of `ps`).
std::string eabHmacKey(const std::string& flag_value);

// `verb` says what happened in the confirmation line ("imported", "issued").
core::Status storeCertificate(const Context& ctx, const core::Certificate& entry,
                              const std::string& chain_pem, const std::string& key_pem,
                              const std::string& verb);

}  // namespace gw::cli
