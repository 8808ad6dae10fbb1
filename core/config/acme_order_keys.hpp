#pragma once
// The document keys of an AcmeOrder, shared by certificates[] and gateways[].tls so both
// read and write them alike.

#include <array>
#include <string>
#include <utility>

#include "core/config/model.hpp"

namespace gw::core {

inline constexpr std::array<std::pair<const char*, std::string AcmeOrder::*>, 7> kAcmeOrderKeys{{
    {"acmeDirectory", &AcmeOrder::directory},
    {"acmeCaFile", &AcmeOrder::ca_file},
    {"email", &AcmeOrder::email},
    {"challenge", &AcmeOrder::challenge},
    {"keyType", &AcmeOrder::key_type},
    {"profile", &AcmeOrder::profile},
    {"dnsHook", &AcmeOrder::dns_hook},
}};

}  // namespace gw::core
