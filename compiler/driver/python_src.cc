#include "compiler/driver/python_src.h"

#include <algorithm>

#include "compiler/driver/module_loader.h"

namespace topoc::driver {

namespace fs = std::filesystem;

std::optional<std::string> PythonSrcFolder::Read(std::string_view module) const {
  std::string rel(module);
  std::replace(rel.begin(), rel.end(), '.', '/');
  for (const fs::path& p : {src_ / (rel + ".py"), src_ / rel / "__init__.py"}) {
    std::string contents, error;
    if (ReadSourceFile(p, &contents, &error)) return contents;
  }
  return std::nullopt;
}

}  // namespace topoc::driver
