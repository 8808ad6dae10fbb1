#pragma once
// Strict, error-collecting reading of a YAML tree into the model. Every read
// records where its field came from and reports what was expected and what came, then
// carries on, so one pass finds every problem.

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/config/diagnostic.hpp"
#include "core/config/model.hpp"
#include "core/config/yaml_tree.hpp"

namespace gw::core::yaml {

// "a.b" from a path and a key; the document root has the empty path.
std::string join(const std::string& path, std::string_view key);

// What a node holds, for "(got ...)": "\"abc\"", "150", "a list", "a mapping", "nothing".
std::string describe(const Node& node);

class Reader {
 public:
  Reader(SourceMap& source, std::vector<Diagnostic>& diagnostics)
      : source_(source), diagnostics_(diagnostics) {}

  void error(const std::string& path, std::string message);
  void errorAt(const std::string& path, const Mark& mark, std::string message);
  void expected(const std::string& path, const std::string& what, const Node& got);
  void mark(const std::string& path, const Mark& mark);

  // Each reader reports and returns false when the node does not fit; `out` is then untouched.
  bool string(const Node& node, const std::string& path, std::string& out);
  bool integer(const Node& node, const std::string& path, long long lo, long long hi,
               const std::string& what, long long& out);
  template <class T>
  bool integer(const Node& node, const std::string& path, long long lo, long long hi,
               const std::string& what, T& out) {
    long long v = 0;
    if (!integer(node, path, lo, hi, what, v)) {
      return false;
    }
    out = static_cast<T>(v);
    return true;
  }
  bool duration(const Node& node, const std::string& path, Millis& out);
  bool boolean(const Node& node, const std::string& path, bool& out);
  bool stringList(const Node& node, const std::string& path, std::vector<std::string>& out);

  template <class E>
  bool enumeration(const Node& node, const std::string& path,
                   std::optional<E> (*parse)(std::string_view), const char* choices, E& out) {
    const auto value = node.isScalar() ? parse(node.scalar()) : std::nullopt;
    if (!value) {
      expected(path, std::string("one of ") + choices, node);
      return false;
    }
    out = *value;
    return true;
  }

  // Calls each(item, "path[i]") for every item of a sequence.
  template <class F>
  void list(const Node& node, const std::string& path, F&& each) {
    if (!node.isSequence()) {
      expected(path, "a list", node);
      return;
    }
    for (std::size_t i = 0; i < node.size(); ++i) {
      const std::string item_path = path + "[" + std::to_string(i) + "]";
      const Node item = node.item(i);
      mark(item_path, item.mark());
      each(item, item_path);
    }
  }

 private:
  SourceMap& source_;
  std::vector<Diagnostic>& diagnostics_;
};

// The keys of one mapping: checks it is a mapping, reports unknown (with a did-you-mean)
// and repeated keys, and records where each key is.
class Fields {
 public:
  Fields(Reader& reader, const Node& node, std::string path, std::vector<std::string_view> known);

  bool isMap() const { return is_map_; }
  bool has(std::string_view key) const;
  std::string path(std::string_view key) const { return join(path_, key); }

  template <class F>
  void optional(std::string_view key, F&& read) {
    if (const Node* value = find(key)) {
      read(*value, path(key));
    }
  }
  template <class F>
  void required(std::string_view key, F&& read) {
    if (const Node* value = find(key)) {
      read(*value, path(key));
    } else if (is_map_) {
      reader_.error(path(key), "missing required field");
    }
  }

 private:
  const Node* find(std::string_view key) const;

  Reader& reader_;
  std::string path_;
  bool is_map_ = false;
  std::vector<std::pair<std::string, Node>> entries_;
};

}  // namespace gw::core::yaml
