#include "core/config/yaml_reader.hpp"

#include <algorithm>
#include <charconv>

#include "core/config/checks.hpp"
#include "core/config/suggest.hpp"

namespace gw::core::yaml {
namespace {

// A scalar written without quotes; quoted "8080" is a string, not a number.
bool isPlain(const YAML::Node& node) { return node.IsScalar() && node.Tag() != "!"; }

bool parseInteger(const std::string& s, long long& out) {
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && end == s.data() + s.size() && !s.empty();
}

}  // namespace

std::string join(const std::string& path, std::string_view key) {
  return path.empty() ? std::string(key) : path + "." + std::string(key);
}

std::string describe(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Sequence:
      return "a list";
    case YAML::NodeType::Map:
      return "a mapping";
    case YAML::NodeType::Scalar: {
      long long ignored = 0;
      if (isPlain(node) && parseInteger(node.Scalar(), ignored)) {
        return node.Scalar();
      }
      return quote(node.Scalar());
    }
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined:
      break;
  }
  return "nothing";
}

void Reader::error(const std::string& path, std::string message) {
  diagnostics_.push_back(Diagnostic{path, std::move(message), source_.file, source_.find(path)});
}

void Reader::errorAt(const std::string& path, const YAML::Mark& mark, std::string message) {
  diagnostics_.push_back(
      Diagnostic{path, std::move(message), source_.file, Position{mark.line + 1, mark.column + 1}});
}

void Reader::expected(const std::string& path, const std::string& what, const YAML::Node& got) {
  error(path, "must be " + what + " (got " + describe(got) + ")");
}

void Reader::mark(const std::string& path, const YAML::Mark& mark) {
  if (mark.is_null()) {
    return;
  }
  source_.positions[path] = Position{mark.line + 1, mark.column + 1};
}

bool Reader::string(const YAML::Node& node, const std::string& path, std::string& out) {
  if (!node.IsScalar()) {
    expected(path, "a string", node);
    return false;
  }
  out = node.Scalar();
  return true;
}

bool Reader::integer(const YAML::Node& node, const std::string& path, long long lo, long long hi,
                     const std::string& what, long long& out) {
  long long v = 0;
  if (!isPlain(node) || !parseInteger(node.Scalar(), v) || v < lo || v > hi) {
    expected(path, what, node);
    return false;
  }
  out = v;
  return true;
}

bool Reader::duration(const YAML::Node& node, const std::string& path, Millis& out) {
  const auto d = node.IsScalar() ? parseDuration(node.Scalar()) : std::nullopt;
  if (!d) {
    expected(path, "a duration such as 10s, 250ms, 2m or 1h", node);
    return false;
  }
  out = *d;
  return true;
}

bool Reader::boolean(const YAML::Node& node, const std::string& path, bool& out) {
  if (isPlain(node) && (node.Scalar() == "true" || node.Scalar() == "false")) {
    out = node.Scalar() == "true";
    return true;
  }
  expected(path, "true or false", node);
  return false;
}

bool Reader::stringList(const YAML::Node& node, const std::string& path,
                        std::vector<std::string>& out) {
  bool ok = node.IsSequence();
  std::vector<std::string> items;
  list(node, path, [&](const YAML::Node& item, const std::string& item_path) {
    std::string s;
    ok = string(item, item_path, s) && ok;
    items.push_back(std::move(s));
  });
  if (ok) {
    out = std::move(items);
  }
  return ok;
}

Fields::Fields(Reader& reader, const YAML::Node& node, std::string path,
               std::vector<std::string_view> known)
    : reader_(reader), path_(std::move(path)), is_map_(node.IsMap()) {
  if (!is_map_) {
    reader_.expected(path_, "a mapping", node);
    return;
  }
  for (auto it = node.begin(); it != node.end(); ++it) {
    if (!it->first.IsScalar()) {
      reader_.mark(path_, it->first.Mark());
      reader_.error(path_, "keys must be strings (got " + describe(it->first) + ")");
      continue;
    }
    const std::string key = it->first.Scalar();
    const std::string key_path = join(path_, key);
    if (has(key)) {
      // The first occurrence keeps its position; the error points at the repeat.
      reader_.errorAt(key_path, it->first.Mark(), "repeated field");
      continue;
    }
    reader_.mark(key_path, it->first.Mark());
    if (std::find(known.begin(), known.end(), key) == known.end()) {
      const auto suggestion = closest(key, known);
      reader_.error(key_path, suggestion
                                  ? "unknown field (did you mean " + quote(*suggestion) + "?)"
                                  : "unknown field");
    } else {
      entries_.emplace_back(key, it->second);
    }
  }
}

bool Fields::has(std::string_view key) const { return find(key) != nullptr; }

const YAML::Node* Fields::find(std::string_view key) const {
  for (const auto& [name, value] : entries_) {
    if (name == key) {
      return &value;
    }
  }
  return nullptr;
}

}  // namespace gw::core::yaml
