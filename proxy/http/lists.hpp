#pragma once
// Field values as RFC 9110 section 5.6.1 writes lists: items between commas, with optional
// whitespace (spaces and tabs) around them, and empty items ignored.

#include <string_view>

namespace gw::proxy {

// `s` without the spaces and tabs around it.
constexpr std::string_view trimOws(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) {
    s.remove_suffix(1);
  }
  return s;
}

// Calls fn(item) for each non-empty item of the list `value`, trimmed; stops early when fn
// returns false (a void fn sees every item).
template <class Fn>
void forEachListItem(std::string_view value, Fn&& fn) {
  while (!value.empty()) {
    const auto comma = value.find(',');
    const std::string_view item = trimOws(value.substr(0, comma));
    if (!item.empty()) {
      if constexpr (std::is_same_v<decltype(fn(item)), bool>) {
        if (!fn(item)) {
          return;
        }
      } else {
        fn(item);
      }
    }
    if (comma == std::string_view::npos) {
      return;
    }
    value.remove_prefix(comma + 1);
  }
}

}  // namespace gw::proxy
