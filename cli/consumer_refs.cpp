#include "cli/consumer_refs.hpp"

#include <crypt.h>
#include <openssl/rand.h>
#include <termios.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <iostream>

#include "core/acme/encoding.hpp"

namespace gw::cli {
namespace {

bool names(const std::optional<core::AccessRule>& rule, const std::string& name) {
  return rule &&
         std::find(rule->consumers.begin(), rule->consumers.end(), name) != rule->consumers.end();
}

std::string randomBytes(std::size_t n) {
  std::string out(n, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(n)) != 1) {
    std::abort();  // no randomness: nothing secret can be made
  }
  return out;
}

// Reads one line with echo off when stdin is a terminal.
std::string readHidden(const std::string& prompt) {
  const bool tty = isatty(STDIN_FILENO) != 0;
  termios saved{};
  if (tty) {
    std::cerr << prompt << std::flush;
    tcgetattr(STDIN_FILENO, &saved);
    termios quiet = saved;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
  }
  std::string line;
  std::getline(std::cin, line);
  if (tty) {
    tcsetattr(STDIN_FILENO, TCSANOW, &saved);
    std::cerr << '\n';
  }
  return line;
}

}  // namespace

std::vector<std::string> routesNamingConsumer(const core::Config& config, const std::string& name) {
  std::vector<std::string> routes;
  for (const core::Route& route : config.routes) {
    if (route.authorization &&
        (names(route.authorization->allow, name) || names(route.authorization->deny, name))) {
      routes.push_back(route.name);
    }
  }
  return routes;
}

NewKey makeApiKey(const std::vector<std::string>& taken) {
  NewKey key;
  do {
    key.id = acme::hex(randomBytes(4));
  } while (std::find(taken.begin(), taken.end(), key.id) != taken.end());
  key.key = "gw_" + key.id + "_" + acme::base64url(randomBytes(32));
  key.sha256 = acme::hex(acme::sha256(key.key));
  return key;
}

std::string hashPassword(const std::string& password) {
  std::array<char, CRYPT_GENSALT_OUTPUT_SIZE> salt{};
  if (crypt_gensalt_rn("$2b$", 10, nullptr, 0, salt.data(), static_cast<int>(salt.size())) ==
      nullptr) {
    return "";
  }
  crypt_data data{};
  const char* hash = crypt_r(password.c_str(), salt.data(), &data);
  if (hash == nullptr || hash[0] == '*') {
    return "";
  }
  return hash;
}

std::string readPassword(const std::string& prompt) {
  std::string password = readHidden(prompt);
  if (isatty(STDIN_FILENO) != 0 && readHidden("again: ") != password) {
    return "";
  }
  return password;
}

}  // namespace gw::cli
