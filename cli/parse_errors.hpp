#pragma once
// What a command line that does not parse gets: one message in gw's error format naming what
// is wrong, with a did-you-mean where a flag or command is misspelt, and exit status 2.

#include <CLI/CLI.hpp>

#include "cli/context.hpp"

namespace gw::cli {

// Prints the error for `e`, raised parsing argv with `app`; returns the exit status (2).
// An unknown flag or command is named first, whatever CLI11 stopped at: a misspelt
// `--gatway g` otherwise reads as a missing --gateway and a stray argument `g`.
int reportParseError(const CLI::App& app, const CLI::ParseError& e, int argc,
                     const char* const* argv, const Context& ctx);

}  // namespace gw::cli
