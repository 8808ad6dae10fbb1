#pragma once
// libcurl, opened the first time an HTTP request to a CA is made (dlopen), not linked: the
// data plane runs in the same binary, and linking would map libcurl and what Debian's build
// of it pulls in (GnuTLS, p11-kit, Kerberos, LDAP, libssh2, ...: about 4 MiB of RSS, touched
// by their constructors) into every `gw proxy`, also one that never talks to a CA. Once
// opened it stays (libraries with thread-specific state are not safe to unload).
//
// Only http.cpp uses it; the functions keep libcurl's signatures.

#include <curl/curl.h>

#include <string>

namespace gw::acme {

struct CurlLibrary {
  decltype(&curl_global_init) global_init = nullptr;
  decltype(&curl_easy_init) easy_init = nullptr;
  decltype(&curl_easy_cleanup) easy_cleanup = nullptr;
  decltype(&curl_easy_reset) easy_reset = nullptr;
  decltype(&curl_easy_setopt) easy_setopt = nullptr;
  decltype(&curl_easy_perform) easy_perform = nullptr;
  decltype(&curl_easy_getinfo) easy_getinfo = nullptr;
  decltype(&curl_easy_strerror) easy_strerror = nullptr;
  decltype(&curl_slist_append) slist_append = nullptr;
  decltype(&curl_slist_free_all) slist_free_all = nullptr;
};

// The library, opened and initialised (curl_global_init) once per process; thread-safe. Null
// when it cannot be opened, and then `error` says why ("libcurl.so.4: cannot open shared
// object file: ...; install libcurl4").
const CurlLibrary* curlLibrary(std::string& error);

}  // namespace gw::acme
