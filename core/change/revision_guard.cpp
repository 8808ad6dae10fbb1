#include "core/change/revision_guard.hpp"

#include <map>
#include <string_view>

#include "core/config/document_tree.hpp"

namespace gw::core {
namespace {

using Tree = nlohmann::ordered_json;

struct Section {
  const char* key;   // in the document
  const char* kind;  // in messages
};

constexpr Section kSections[] = {{"gateways", "gateway"},
                                 {"services", "service"},
                                 {"routes", "route"},
                                 {"certificates", "certificate"}};

// A refusal names this many objects per verb, then counts the rest.
constexpr std::size_t kListed = 5;

// The canonical tree without the revision, which every save changes.
Tree contentOf(const Config& config) {
  Tree tree = toTree(config);
  tree.erase("revision");
  return tree;
}

const Tree& itemsOf(const Tree& tree, const char* key) {
  static const Tree kNone = Tree::array();
  const auto found = tree.find(key);
  return found == tree.end() ? kNone : *found;
}

std::map<std::string, const Tree*, std::less<>> byName(const Tree& items) {
  std::map<std::string, const Tree*, std::less<>> out;
  for (const Tree& item : items) {
    out.emplace(item.value("name", ""), &item);
  }
  return out;
}

std::string quotedName(const char* kind, const Tree& item) {
  return std::string(kind) + " \"" + item.value("name", "") + "\"";
}

// "remove service "a", route "b"", with at most kListed names.
std::string phrase(std::string_view verb, const std::vector<std::string>& objects) {
  std::string out(verb);
  for (std::size_t i = 0; i < objects.size() && i < kListed; ++i) {
    out += (i == 0 ? " " : ", ") + objects[i];
  }
  if (objects.size() > kListed) {
    out += " (+" + std::to_string(objects.size() - kListed) + " more)";
  }
  return out;
}

// "remove A, change B and add C"; "" when nothing is named.
std::string describe(const ObjectChanges& changes) {
  std::vector<std::string> parts;
  if (!changes.removed.empty()) {
    parts.push_back(phrase("remove", changes.removed));
  }
  if (!changes.changed.empty()) {
    parts.push_back(phrase("change", changes.changed));
  }
  if (!changes.added.empty()) {
    parts.push_back(phrase("add", changes.added));
  }
  if (changes.proxy_settings) {
    parts.emplace_back("change the proxy settings");
  }
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    out += (i == 0 ? "" : i + 1 == parts.size() ? " and " : ", ") + parts[i];
  }
  return out;
}

ObjectChanges compare(const Tree& saved, const Tree& incoming) {
  ObjectChanges out;
  for (const Section& section : kSections) {
    const Tree& before = itemsOf(saved, section.key);
    const Tree& after = itemsOf(incoming, section.key);
    const auto before_names = byName(before);
    const auto after_names = byName(after);
    for (const Tree& item : before) {
      const auto match = after_names.find(item.value("name", ""));
      if (match == after_names.end()) {
        out.removed.push_back(quotedName(section.kind, item));
      } else if (*match->second != item) {
        out.changed.push_back(quotedName(section.kind, item));
      }
    }
    for (const Tree& item : after) {
      if (!before_names.contains(item.value("name", ""))) {
        out.added.push_back(quotedName(section.kind, item));
      }
    }
  }
  out.proxy_settings =
      saved.value("proxy", Tree::object()) != incoming.value("proxy", Tree::object());
  return out;
}

}  // namespace

bool sameDocument(const Config& a, const Config& b) { return contentOf(a) == contentOf(b); }

ObjectChanges objectChanges(const Config& saved, const Config& incoming) {
  return compare(contentOf(saved), contentOf(incoming));
}

Status checkRevision(const Config& saved, const Config& incoming, const std::string& name) {
  if (incoming.revision == 0 || incoming.revision >= saved.revision) {
    return Ok{};
  }
  const Tree before = contentOf(saved);
  const Tree after = contentOf(incoming);
  if (before == after) {
    return Ok{};  // nothing saved since would be lost
  }
  std::string effect = describe(compare(before, after));
  if (effect.empty()) {  // e.g. only the order of objects differs
    effect = "undo the changes saved since revision " + std::to_string(incoming.revision);
  }
  return makeError(ErrorKind::kValidation,
                   name + " is revision " + std::to_string(incoming.revision) +
                       " but the saved document is revision " + std::to_string(saved.revision) +
                       "; applying it would " + effect);
}

}  // namespace gw::core
