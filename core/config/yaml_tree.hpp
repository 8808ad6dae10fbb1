#pragma once
// A YAML document as a compact, read-only tree: every node lives in one array and a collection
// names its children by index, so a document of thousands of routes costs a few allocations
// per route rather than yaml-cpp's shared, reference-counted node graph. yaml-cpp still scans
// and parses (its events feed the tree), so what is valid YAML is unchanged.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace gw::core::yaml {

// Where a node starts; 0-based, as the parser reports it.
struct Mark {
  int line = -1;
  int column = -1;
  bool isNull() const { return line < 0; }
};

enum class NodeType : std::uint8_t { kNull, kScalar, kSequence, kMap };

class Tree;

// A handle on one node of a Tree; cheap to copy, valid while the tree lives.
class Node {
 public:
  Node(const Tree& tree, std::uint32_t index) : tree_(&tree), index_(index) {}

  NodeType type() const;
  bool isNull() const { return type() == NodeType::kNull; }
  bool isScalar() const { return type() == NodeType::kScalar; }
  bool isSequence() const { return type() == NodeType::kSequence; }
  bool isMap() const { return type() == NodeType::kMap; }
  // A scalar written without quotes ("8080" quoted is a string, 8080 plain may be a number).
  bool isPlain() const;
  const std::string& scalar() const;  // "" unless a scalar
  Mark mark() const;

  // Items of a sequence, or entries of a mapping.
  std::size_t size() const;
  Node item(std::size_t i) const;   // sequence item i
  Node key(std::size_t i) const;    // mapping entry i's key
  Node value(std::size_t i) const;  // mapping entry i's value

 private:
  const Tree* tree_;
  std::uint32_t index_;
};

class Tree {
 public:
  // Parses the first document of `text`. Throws YAML::Exception (with a mark) on invalid YAML:
  // callers turn it into a diagnostic.
  static Tree parse(std::string_view text);

  Node root() const { return {*this, root_}; }

 private:
  friend class Node;
  friend class TreeBuilder;

  struct Data {
    NodeType type = NodeType::kNull;
    bool plain = true;
    Mark mark;
    std::uint32_t first = 0;  // children: kids_[first, first + count)
    std::uint32_t count = 0;  // a mapping's children are key, value, key, value, ...
    std::string scalar;
  };

  std::vector<Data> nodes_;
  std::vector<std::uint32_t> kids_;
  std::uint32_t root_ = 0;
};

}  // namespace gw::core::yaml
