#pragma once
// What the admin documents' writers and readers share (messages.cpp, messages_cache.cpp):
// the JSON type, the reading helpers (a missing or null key keeps the default, a wrong type is
// an error) and the parse that turns every failure into one error. Internal to proxy/admin.

#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "proxy/admin/messages.hpp"

namespace gw::proxy::admin_json {

// Sorted keys, as the admin API has always answered.
using Json = nlohmann::json;

// A body whose shape does not match the document it should be.
struct ShapeError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// The value at `key`, or nullptr when absent or null (the caller keeps its default).
inline const Json* find(const Json& object, const char* key) {
  const auto it = object.find(key);
  return it == object.end() || it->is_null() ? nullptr : &*it;
}

template <class T>
void field(const Json& object, const char* key, T& out) {
  if (const Json* value = find(object, key)) {
    value->get_to(out);  // throws on a wrong type
  }
}

inline const Json& objectOf(const Json& value, const std::string& what) {
  if (!value.is_object()) {
    throw ShapeError(what + " is not an object");
  }
  return value;
}

// Each element of the array at `key` (none when absent).
template <class F>
void eachItem(const Json& object, const char* key, F&& read) {
  const Json* value = find(object, key);
  if (value == nullptr) {
    return;
  }
  if (!value->is_array()) {
    throw ShapeError(std::string("\"") + key + "\" is not an array");
  }
  for (const Json& item : *value) {
    read(objectOf(item, std::string("an item of \"") + key + "\""));
  }
}

// Each member of the object at `key` (none when absent).
template <class F>
void eachMember(const Json& object, const char* key, F&& read) {
  const Json* value = find(object, key);
  if (value == nullptr) {
    return;
  }
  for (const auto& [name, item] : objectOf(*value, std::string("\"") + key + "\"").items()) {
    read(name, objectOf(item, "\"" + name + "\""));
  }
}

// Parses `text` as a JSON object and reads it with `read`; every failure is one error.
template <class Doc, class Read>
core::Result<Doc> parseWith(std::string_view text, const char* what, Read read) {
  const Json j = Json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) {
    return core::makeError(core::ErrorKind::kRuntime,
                           std::string("not a ") + what + " document: not a JSON object");
  }
  try {
    return read(j);
  } catch (const std::exception& e) {  // ShapeError and nlohmann's type errors
    return core::makeError(core::ErrorKind::kRuntime,
                           std::string("not a ") + what + " document: " + e.what());
  }
}

// A caching route's counters, as /v1/stats and /v1/cache write and read them
// (messages_cache.cpp).
Json cacheRouteTree(const CacheRouteDoc& doc);
CacheRouteDoc readCacheRoute(const Json& j);

}  // namespace gw::proxy::admin_json
