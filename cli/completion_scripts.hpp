#pragma once
// Shell completion scripts generated from the command tree itself (walked from CLI::App by
// cmd_completion.cpp), so they cannot drift from the flags gw really has.

#include <string>
#include <vector>

namespace gw::cli {

struct FlagSpec {
  std::vector<std::string> names;  // "-o", "--output"
  std::string description;
  bool takes_value = false;
  // What a value completes to: fixed choices, or a kind: "@gateways", "@services",
  // "@routes" (names from `gw __complete`), "@files", "@dirs"; empty = nothing to offer.
  std::vector<std::string> values;
};

struct CommandSpec {
  std::string path;  // "gw route add"
  std::string name;  // "add"
  std::string description;
  std::vector<FlagSpec> flags;
  std::vector<std::string> argument_values;  // for the positional argument, as FlagSpec::values
  std::vector<CommandSpec> subcommands;
};

std::string bashScript(const CommandSpec& root);
std::string zshScript(const CommandSpec& root);
std::string fishScript(const CommandSpec& root);

// One line per command: "<path>\t<flag> <flag> ...", for tests that check the man page and
// the completion scripts mention every command and flag.
std::string commandDump(const CommandSpec& root);

// The completion values a CLI11 type name implies: "GATEWAY" -> @gateways,
// "TEXT:{a,b}" -> a b, "FILE" -> @files, ...
std::vector<std::string> valuesForTypeName(const std::string& type_name);

}  // namespace gw::cli
