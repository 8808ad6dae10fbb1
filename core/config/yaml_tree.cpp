#include "core/config/yaml_tree.hpp"

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/mark.h>
#include <yaml-cpp/parser.h>

#include <sstream>
#include <unordered_map>

namespace gw::core::yaml {

NodeType Node::type() const { return tree_->nodes_[index_].type; }
bool Node::isPlain() const { return isScalar() && tree_->nodes_[index_].plain; }
const std::string& Node::scalar() const { return tree_->nodes_[index_].scalar; }
Mark Node::mark() const { return tree_->nodes_[index_].mark; }

std::size_t Node::size() const {
  const auto& data = tree_->nodes_[index_];
  return data.type == NodeType::kMap ? data.count / 2 : data.count;
}

Node Node::item(std::size_t i) const {
  return {*tree_, tree_->kids_[tree_->nodes_[index_].first + i]};
}
Node Node::key(std::size_t i) const {
  return {*tree_, tree_->kids_[tree_->nodes_[index_].first + 2 * i]};
}
Node Node::value(std::size_t i) const {
  return {*tree_, tree_->kids_[tree_->nodes_[index_].first + 2 * i + 1]};
}

// Turns parser events into Tree nodes. Children are gathered on a stack of open collections
// (whose vectors keep their capacity) and copied into the tree's one child array when the
// collection ends, so that a collection's children sit side by side.
class TreeBuilder final : public YAML::EventHandler {
 public:
  explicit TreeBuilder(Tree& tree) : tree_(tree) {}

  void OnDocumentStart(const YAML::Mark& /*mark*/) override {}
  void OnDocumentEnd() override {}

  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    add(NodeType::kNull, mark, anchor);
  }
  void OnAlias(const YAML::Mark& /*mark*/, YAML::anchor_t anchor) override {
    const auto it = anchors_.find(anchor);
    // yaml-cpp refuses an unknown alias before it gets here; an empty node keeps us safe.
    attach(it != anchors_.end() ? it->second : add(NodeType::kNull, YAML::Mark(), 0));
  }
  void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                const std::string& value) override {
    const std::uint32_t index = add(NodeType::kScalar, mark, anchor);
    tree_.nodes_[index].scalar = value;
    tree_.nodes_[index].plain = tag != "!";  // yaml-cpp tags quoted scalars "!"
  }
  void OnSequenceStart(const YAML::Mark& mark, const std::string& /*tag*/, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value /*style*/) override {
    open(add(NodeType::kSequence, mark, anchor));
  }
  void OnSequenceEnd() override { close(); }
  void OnMapStart(const YAML::Mark& mark, const std::string& /*tag*/, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value /*style*/) override {
    open(add(NodeType::kMap, mark, anchor));
  }
  void OnMapEnd() override { close(); }

  bool empty() const { return !has_root_; }

 private:
  std::uint32_t add(NodeType type, const YAML::Mark& mark, YAML::anchor_t anchor) {
    const auto index = static_cast<std::uint32_t>(tree_.nodes_.size());
    auto& data = tree_.nodes_.emplace_back();
    data.type = type;
    if (!mark.is_null()) {
      data.mark = Mark{mark.line, mark.column};
    }
    if (anchor != YAML::NullAnchor) {
      anchors_[anchor] = index;
    }
    if (type != NodeType::kSequence && type != NodeType::kMap) {
      attach(index);
    }
    return index;
  }

  void attach(std::uint32_t index) {
    if (depth_ == 0) {
      tree_.root_ = index;
      has_root_ = true;
    } else {
      open_[depth_ - 1].kids.push_back(index);
    }
  }

  void open(std::uint32_t index) {
    if (open_.size() == depth_) {
      open_.emplace_back();
    }
    open_[depth_].index = index;
    open_[depth_].kids.clear();
    ++depth_;
  }

  void close() {
    auto& frame = open_[--depth_];
    auto& data = tree_.nodes_[frame.index];
    data.first = static_cast<std::uint32_t>(tree_.kids_.size());
    data.count = static_cast<std::uint32_t>(frame.kids.size());
    tree_.kids_.insert(tree_.kids_.end(), frame.kids.begin(), frame.kids.end());
    attach(frame.index);
  }

  struct Frame {
    std::uint32_t index = 0;
    std::vector<std::uint32_t> kids;
  };

  Tree& tree_;
  std::vector<Frame> open_;
  std::size_t depth_ = 0;
  bool has_root_ = false;
  std::unordered_map<YAML::anchor_t, std::uint32_t> anchors_;
};

Tree Tree::parse(std::string_view text) {
  Tree tree;
  tree.nodes_.reserve(text.size() / 16);
  tree.kids_.reserve(text.size() / 16);
  std::istringstream in{std::string(text)};
  YAML::Parser parser(in);
  TreeBuilder builder(tree);
  parser.HandleNextDocument(builder);
  if (builder.empty()) {
    tree.nodes_.clear();
    tree.nodes_.emplace_back();  // an empty document is one null node
    tree.root_ = 0;
  }
  return tree;
}

}  // namespace gw::core::yaml
