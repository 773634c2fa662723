// The --storm-version option that build, run and submit share.
#pragma once

#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "backends/storm_version.h"

namespace topoc::cli {

// Adds --storm-version to `cmd`, storing the spelling (one of
// backends::kStormVersionNames, checked by CLI11) in `*name`; the command
// reads it back with backends::ParseStormVersion.
inline CLI::Option* AddStormVersionOption(CLI::App* cmd, std::string* name, std::string description) {
  return cmd->add_option("--storm-version", *name, std::move(description))
      ->check(CLI::IsMember(std::vector<std::string>(backends::kStormVersionNames.begin(),
                                                     backends::kStormVersionNames.end())));
}

}  // namespace topoc::cli
