#include <algorithm>
#include <cstdio>
#include <regex>

#include "core/config/document.hpp"
#include "core/config/document_tree.hpp"

namespace gw::core {
namespace {

using Tree = nlohmann::ordered_json;

// Plain scalars a YAML reader would take for something other than a string: numbers
// (core schema) and the YAML 1.1 booleans and nulls that many tools still honour.
bool looksTyped(const std::string& s) {
  static const std::regex kTyped(
      R"([-+]?[0-9][0-9_]*|0o[0-7]+|0x[0-9a-fA-F]+|[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?)"
      R"(|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN))"
      R"(|y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE)"
      R"(|on|On|ON|off|Off|OFF|null|Null|NULL|~)");
  return std::regex_match(s, kTyped);
}

bool safePlain(const std::string& s) {
  if (s.empty() || looksTyped(s)) {
    return false;
  }
  const auto first = static_cast<unsigned char>(s.front());
  if (std::isalnum(first) == 0 && s.front() != '/' && s.front() != '.' && s.front() != '_') {
    return false;
  }
  return std::all_of(s.begin(), s.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 ||
           std::string_view("._/:@+=%-").find(c) != std::string_view::npos;
  });
}

std::string yamlString(const std::string& s) {
  if (safePlain(s)) {
    return s;
  }
  std::string out = "\"";
  for (const char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (u < 0x20 || u == 0x7f) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", u);
      out += buf;
    } else {
      out += c;
    }
  }
  out += '"';
  return out;
}

std::string scalar(const Tree& t) {
  return t.is_string() ? yamlString(t.get<std::string>()) : t.dump();
}

bool allScalars(const Tree& list) {
  return std::all_of(list.begin(), list.end(), [](const Tree& t) { return t.is_primitive(); });
}

constexpr std::size_t kFlowWidth = 80;

void emitMapping(const Tree& map, const std::string& indent, std::string& out, bool in_item);

// `head` is what precedes the value on its line ("key:" or "- ").
void emitValue(const std::string& head, const Tree& value, const std::string& indent,
               std::string& out) {
  if (value.is_object()) {
    if (value.empty()) {
      out += indent + head + " {}\n";
      return;
    }
    out += indent + head + "\n";
    emitMapping(value, indent + "  ", out, false);
    return;
  }
  if (value.is_array()) {
    if (allScalars(value)) {
      std::string flow = "[";
      for (std::size_t i = 0; i < value.size(); ++i) {
        flow += (i == 0 ? "" : ", ") + scalar(value[i]);
      }
      flow += "]";
      if (value.empty() || indent.size() + head.size() + flow.size() < kFlowWidth) {
        out += indent + head + " " + flow + "\n";
        return;
      }
    }
    out += indent + head + "\n";
    for (const auto& item : value) {
      if (item.is_object() && !item.empty()) {
        emitMapping(item, indent + "  ", out, true);
      } else {
        emitValue("-", item, indent + "  ", out);
      }
    }
    return;
  }
  out += indent + head + " " + scalar(value) + "\n";
}

// In a list item the first key shares the line with the "- " marker.
void emitMapping(const Tree& map, const std::string& indent, std::string& out, bool in_item) {
  bool first = true;
  for (const auto& [key, value] : map.items()) {
    if (in_item && first) {
      std::string rest;
      emitValue(yamlString(key) + ":", value, indent + "  ", rest);
      out += indent + "- " + rest.substr(indent.size() + 2);
    } else {
      emitValue(yamlString(key) + ":", value, in_item ? indent + "  " : indent, out);
    }
    first = false;
  }
}

}  // namespace

std::string encodeYaml(const Config& config) {
  std::string out;
  emitMapping(toTree(config), "", out, false);
  return out;
}

std::string encodeJson(const Config& config) { return toTree(config).dump(2) + "\n"; }

}  // namespace gw::core
