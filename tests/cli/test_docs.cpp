// The man page and every --help keep up with the command tree: a command or flag that
// exists must be documented, and every command shows an example.

#include <catch2/catch.hpp>
#include <filesystem>
#include <map>

#include "tests/cli/cli_home.hpp"
#include "tests/cli/mentions.hpp"

namespace {

// The man page as plain text: font escapes dropped, "\-" read as "-".
std::string manText() {
  std::string roff = gw::test::readText(std::filesystem::path(GW_SOURCE_DIR) / "man" / "gw.1");
  std::string text;
  for (std::size_t i = 0; i < roff.size(); ++i) {
    if (roff[i] == '\\' && i + 1 < roff.size()) {
      if (roff[i + 1] == '-') {
        text += '-';
        ++i;
        continue;
      }
      if (roff[i + 1] == 'f' && i + 2 < roff.size()) {
        i += 2;
        continue;
      }
    }
    text += roff[i];
  }
  return text;
}

// ".SS" subsections keyed by their title with quotes removed: "gw route add NAME ...".
std::map<std::string, std::string> manSections(const std::string& text) {
  std::map<std::string, std::string> sections;
  std::istringstream lines(text);
  std::string title;
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind(".SS ", 0) == 0 || line.rfind(".SH ", 0) == 0) {
      title = line.substr(4);
      std::erase(title, '"');
    }
    sections[title] += line + "\n";
  }
  return sections;
}

// The subsection whose title starts with the command path.
std::string sectionFor(const std::map<std::string, std::string>& sections,
                       const std::string& path) {
  for (const auto& [title, body] : sections) {
    if (title == path || title.rfind(path + " ", 0) == 0) {
      return body;
    }
  }
  return "";
}

}  // namespace

TEST_CASE("the man page documents every command and flag", "[cli][docs]") {
  const auto tree = gw::test::commandTree();
  REQUIRE(tree.size() > 20);
  const std::string text = manText();
  const auto sections = manSections(text);
  for (const auto& required :
       {"NAME", "SYNOPSIS", "DESCRIPTION", "ENVIRONMENT", "FILES", "EXIT STATUS", "EXAMPLES"}) {
    CHECK(sections.count(required) == 1);
  }
  for (const auto& variable : {"GW_HOME", "NO_COLOR"}) {
    CHECK(gw::test::mentionsToken(sections.at("ENVIRONMENT"), variable));
  }
  for (const auto& command : tree) {
    INFO(command.path());
    if (command.words.empty()) {  // gw itself: the global options
      for (const auto& flag : command.flags) {
        INFO(flag);
        CHECK(gw::test::mentionsToken(sections.at("GLOBAL OPTIONS"), flag));
      }
      continue;
    }
    CHECK(text.find(command.path()) != std::string::npos);
    const bool group = std::any_of(tree.begin(), tree.end(), [&](const auto& other) {
      return other.words.size() == command.words.size() + 1 &&
             std::equal(command.words.begin(), command.words.end(), other.words.begin());
    });
    if (group) {
      continue;
    }
    const std::string section = sectionFor(sections, command.path());
    CHECK_FALSE(section.empty());
    for (const auto& flag : command.flags) {
      if (flag == "-h" || flag == "--help") {
        continue;  // documented once, under GLOBAL OPTIONS
      }
      INFO(flag);
      CHECK(gw::test::mentionsToken(section, flag));
    }
  }
}

TEST_CASE("every command's --help has a description and an example", "[cli][docs]") {
  for (const auto& command : gw::test::commandTree()) {
    std::vector<std::string> args = command.words;
    args.emplace_back("--help");
    auto r = gw::test::gwRun(args);
    INFO(command.path());
    CHECK(r.exit_code == 0);
    CHECK(r.out.find("Usage: " + command.path()) != std::string::npos);
    CHECK(r.out.find("\nExample:\n  gw ") != std::string::npos);
    CHECK(r.out.rfind("Usage:", 0) != 0);  // a description comes first
  }
}

TEST_CASE("every YAML example of the README is a document config apply takes", "[cli][docs]") {
  const std::string readme = gw::test::readText(std::filesystem::path(GW_SOURCE_DIR) / "README.md");
  int examples = 0;
  for (auto open = readme.find("```yaml\n"); open != std::string::npos;
       open = readme.find("```yaml\n", open + 1)) {
    const auto start = open + 8;
    const auto end = readme.find("```", start);
    REQUIRE(end != std::string::npos);
    const std::string example = readme.substr(start, end - start);
    gw::test::CliHome home;
    const auto r = home.gw({"config", "apply", "-f", "-"}, example);
    INFO(example << r.err);
    CHECK(r.exit_code == 0);
    // Applied as written: exporting it gives the same objects back.
    CHECK(home.gw({"config", "diff", "-f", "-", "--exit-code"}, example).exit_code == 0);
    ++examples;
  }
  CHECK(examples >= 1);
}
