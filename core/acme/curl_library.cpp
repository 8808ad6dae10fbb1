#include "core/acme/curl_library.hpp"

#include <dlfcn.h>

#include <mutex>

namespace gw::acme {
namespace {

template <class F>
bool bind(void* library, const char* name, F& out) {
  out = reinterpret_cast<F>(dlsym(library, name));
  return out != nullptr;
}

struct Opened {
  CurlLibrary api;
  std::string error;  // empty when api is usable
};

Opened open() {
  Opened opened;
  void* library = dlopen("libcurl.so.4", RTLD_NOW | RTLD_LOCAL);
  if (library == nullptr) {
    const char* why = dlerror();
    opened.error =
        std::string(why != nullptr ? why : "libcurl.so.4 cannot be opened") + " (install libcurl4)";
    return opened;
  }
  CurlLibrary& api = opened.api;
  const bool bound = bind(library, "curl_global_init", api.global_init) &&
                     bind(library, "curl_easy_init", api.easy_init) &&
                     bind(library, "curl_easy_cleanup", api.easy_cleanup) &&
                     bind(library, "curl_easy_reset", api.easy_reset) &&
                     bind(library, "curl_easy_setopt", api.easy_setopt) &&
                     bind(library, "curl_easy_perform", api.easy_perform) &&
                     bind(library, "curl_easy_getinfo", api.easy_getinfo) &&
                     bind(library, "curl_easy_strerror", api.easy_strerror) &&
                     bind(library, "curl_slist_append", api.slist_append) &&
                     bind(library, "curl_slist_free_all", api.slist_free_all);
  if (!bound) {
    opened.error = "libcurl.so.4 lacks a function gw needs; upgrade libcurl4";
    return opened;
  }
  if (api.global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
    opened.error = "libcurl could not be initialised";
  }
  return opened;
}

}  // namespace

const CurlLibrary* curlLibrary(std::string& error) {
  static std::once_flag once;
  static Opened opened;
  std::call_once(once, [] { opened = open(); });
  if (!opened.error.empty()) {
    error = opened.error;
    return nullptr;
  }
  return &opened.api;
}

}  // namespace gw::acme
