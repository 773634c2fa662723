// The project's python modules as sema sees them (sema::PythonModules):
// module "spouts.words" is src/spouts/words.py, else
// src/spouts/words/__init__.py. Sema asks; only the driver reads files.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "compiler/sema/sema.h"

namespace topoc::driver {

class PythonSrcFolder : public sema::PythonModules {
 public:
  explicit PythonSrcFolder(std::filesystem::path src) : src_(std::move(src)) {}

  std::optional<std::string> Read(std::string_view module) const override;
  std::string Where() const override { return src_.string(); }

 private:
  std::filesystem::path src_;
};

}  // namespace topoc::driver
