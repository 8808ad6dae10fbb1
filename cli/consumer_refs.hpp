#pragma once
// Consumer helpers shared by the consumer commands.

#include <string>
#include <vector>

#include "core/config/model.hpp"

namespace gw::cli {

// The routes whose authorization rules name consumer `name`.
std::vector<std::string> routesNamingConsumer(const core::Config& config, const std::string& name);

// A new API key: "gw_" + id + "_" + 43 characters of base64url (256 random bits); `id` is 8
// hex digits, unique among `taken`.
struct NewKey {
  std::string id;
  std::string key;
  std::string sha256;  // lower-case hex: what the document keeps
};
NewKey makeApiKey(const std::vector<std::string>& taken);

// A bcrypt hash ($2b$, cost 10, as htpasswd -B makes) of `password`; empty on failure.
std::string hashPassword(const std::string& password);

// Reads a password from the terminal without echo (twice, to catch typos), or one line from
// stdin when it is not a terminal.
std::string readPassword(const std::string& prompt);

}  // namespace gw::cli
