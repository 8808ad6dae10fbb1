#include "core/config/yaml_reader.hpp"

#include <algorithm>
#include <charconv>

#include "core/config/checks.hpp"
#include "core/config/suggest.hpp"

namespace gw::core::yaml {
namespace {

bool parseInteger(const std::string& s, long long& out) {
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && end == s.data() + s.size() && !s.empty();
}

}  // namespace

std::string join(const std::string& path, std::string_view key) {
  return path.empty() ? std::string(key) : path + "." + std::string(key);
}

std::string describe(const Node& node) {
  switch (node.type()) {
    case NodeType::kSequence:
      return "a list";
    case NodeType::kMap:
      return "a mapping";
    case NodeType::kScalar: {
      long long ignored = 0;
      if (node.isPlain() && parseInteger(node.scalar(), ignored)) {
        return node.scalar();
      }
      return quote(node.scalar());
    }
    case NodeType::kNull:
      break;
  }
  return "nothing";
}

void Reader::error(const std::string& path, std::string message) {
  diagnostics_.push_back(Diagnostic{path, std::move(message), source_.file, source_.find(path)});
}

void Reader::errorAt(const std::string& path, const Mark& mark, std::string message) {
  diagnostics_.push_back(
      Diagnostic{path, std::move(message), source_.file, Position{mark.line + 1, mark.column + 1}});
}

void Reader::expected(const std::string& path, const std::string& what, const Node& got) {
  error(path, "must be " + what + " (got " + describe(got) + ")");
}

void Reader::mark(const std::string& path, const Mark& mark) {
  if (mark.isNull()) {
    return;
  }
  source_.positions[path] = Position{mark.line + 1, mark.column + 1};
}

bool Reader::string(const Node& node, const std::string& path, std::string& out) {
  if (!node.isScalar()) {
    expected(path, "a string", node);
    return false;
  }
  out = node.scalar();
  return true;
}

bool Reader::integer(const Node& node, const std::string& path, long long lo, long long hi,
                     const std::string& what, long long& out) {
  long long v = 0;
  if (!node.isPlain() || !parseInteger(node.scalar(), v) || v < lo || v > hi) {
    expected(path, what, node);
    return false;
  }
  out = v;
  return true;
}

bool Reader::duration(const Node& node, const std::string& path, Millis& out) {
  const auto d = node.isScalar() ? parseDuration(node.scalar()) : std::nullopt;
  if (!d) {
    expected(path, "a duration such as 10s, 250ms, 2m or 1h", node);
    return false;
  }
  out = *d;
  return true;
}

bool Reader::boolean(const Node& node, const std::string& path, bool& out) {
  if (node.isPlain() && (node.scalar() == "true" || node.scalar() == "false")) {
    out = node.scalar() == "true";
    return true;
  }
  expected(path, "true or false", node);
  return false;
}

bool Reader::stringList(const Node& node, const std::string& path, std::vector<std::string>& out) {
  bool ok = node.isSequence();
  std::vector<std::string> items;
  list(node, path, [&](const Node& item, const std::string& item_path) {
    std::string s;
    ok = string(item, item_path, s) && ok;
    items.push_back(std::move(s));
  });
  if (ok) {
    out = std::move(items);
  }
  return ok;
}

Fields::Fields(Reader& reader, const Node& node, std::string path,
               std::vector<std::string_view> known)
    : reader_(reader), path_(std::move(path)), is_map_(node.isMap()) {
  if (!is_map_) {
    reader_.expected(path_, "a mapping", node);
    return;
  }
  for (std::size_t i = 0; i < node.size(); ++i) {
    const Node key_node = node.key(i);
    if (!key_node.isScalar()) {
      reader_.mark(path_, key_node.mark());
      reader_.error(path_, "keys must be strings (got " + describe(key_node) + ")");
      continue;
    }
    const std::string& key = key_node.scalar();
    std::string key_path = join(path_, key);
    if (has(key)) {
      // The first occurrence keeps its position; the error points at the repeat.
      reader_.errorAt(key_path, key_node.mark(), "repeated field");
      continue;
    }
    reader_.mark(key_path, key_node.mark());
    if (std::find(known.begin(), known.end(), key) == known.end()) {
      const auto suggestion = closest(key, known);
      reader_.error(key_path, suggestion
                                  ? "unknown field (did you mean " + quote(*suggestion) + "?)"
                                  : "unknown field");
    } else {
      entries_.emplace_back(key, node.value(i));
    }
  }
}

bool Fields::has(std::string_view key) const { return find(key) != nullptr; }

const Node* Fields::find(std::string_view key) const {
  for (const auto& [name, value] : entries_) {
    if (name == key) {
      return &value;
    }
  }
  return nullptr;
}

}  // namespace gw::core::yaml
