// The completion scripts in completions/ are generated from the command tree; these tests
// keep the committed files equal to what gw prints, and check they cover every command.

#include <catch2/catch.hpp>
#include <filesystem>

#include "tests/cli/cli_home.hpp"
#include "tests/cli/mentions.hpp"

namespace {

std::string committed(const std::string& name) {
  return gw::test::readText(std::filesystem::path(GW_SOURCE_DIR) / "completions" / name);
}

}  // namespace

TEST_CASE("the committed completion scripts are what gw completion prints", "[cli][completion]") {
  auto [shell, file] = GENERATE(table<std::string, std::string>({
      {"bash", "gw.bash"},
      {"zsh", "_gw"},
      {"fish", "gw.fish"},
  }));
  auto r = gw::test::gwRun({"completion", shell});
  REQUIRE(r.exit_code == 0);
  INFO("regenerate with: gw completion " << shell << " > completions/" << file);
  CHECK(r.out == committed(file));
}

TEST_CASE("every command and flag is in each completion script", "[cli][completion]") {
  const auto tree = gw::test::commandTree();
  REQUIRE(tree.size() > 20);
  const std::string bash = committed("gw.bash");
  const std::string zsh = committed("_gw");
  const std::string fish = committed("gw.fish");
  for (const auto& command : tree) {
    const std::string quoted_path = "\"" + command.path() + "\"";
    if (!command.words.empty()) {
      std::string parent = "gw";
      for (std::size_t i = 0; i + 1 < command.words.size(); ++i) {
        parent += " " + command.words[i];
      }
      const std::string& name = command.words.back();
      INFO(command.path());
      CHECK(gw::test::lineMentions(bash, "\"" + parent + "\")", name));
      CHECK(gw::test::lineMentions(zsh, "(\"" + parent + "\")", name + ":"));
      CHECK(gw::test::lineMentions(fish, "__gw_at \"" + parent + "\"", "-a " + name));
    }
    for (const auto& flag : command.flags) {
      INFO(command.path() << " " << flag);
      const bool root = command.words.empty();
      CHECK(gw::test::lineMentions(bash, root ? "" : quoted_path + ")", flag));
      CHECK(gw::test::lineMentions(zsh, root ? "" : "(" + quoted_path + ")", flag + ":"));
      const std::string fish_flag =
          flag.rfind("--", 0) == 0 ? "-l " + flag.substr(2) : "-s " + flag.substr(1);
      CHECK(gw::test::lineMentions(fish, root ? "" : "__gw_at " + quoted_path, fish_flag));
    }
  }
}

TEST_CASE("bash completes service names from the home for --to", "[cli][completion]") {
  gw::test::CliHome home;
  home.seed();
  const std::string script = "source '" + std::string(GW_SOURCE_DIR) + "/completions/gw.bash'\n" +
                             "COMP_WORDS=(gw route update shop --to fr); COMP_CWORD=5; _gw\n"
                             "echo \"${COMPREPLY[*]}\"\n"
                             "COMP_WORDS=(gw route get ''); COMP_CWORD=3; _gw\n"
                             "echo \"${COMPREPLY[*]}\"\n";
  const auto gw_dir = std::filesystem::path(GW_BINARY).parent_path().string();
  auto r = gw::test::run({"bash", "-c", script},
                         {"GW_HOME=" + home.path().string(),
                          "PATH=" + gw_dir + ":" + std::string(std::getenv("PATH"))});
  CHECK(r.exit_code == 0);
  CHECK(r.out == "frontend frontendv2\nshop\n");
}
