#include "compiler/driver/python_src.h"

#include <unistd.h>

#include <fstream>

#include <doctest/doctest.h>

namespace topoc::driver {

namespace fs = std::filesystem;

TEST_CASE("PythonSrcFolder reads module.py, else module/__init__.py") {
  fs::path src = fs::temp_directory_path() / ("topoc-python-src-" + std::to_string(::getpid()));
  fs::create_directories(src / "spouts" / "pkg");
  std::ofstream(src / "spouts" / "words.py") << "class WordSpout: pass\n";
  std::ofstream(src / "spouts" / "pkg" / "__init__.py") << "class Inner: pass\n";
  PythonSrcFolder folder(src);
  CHECK(folder.Read("spouts.words") == "class WordSpout: pass\n");
  CHECK(folder.Read("spouts.pkg") == "class Inner: pass\n");
  CHECK_FALSE(folder.Read("spouts.nope").has_value());
  CHECK(folder.Where() == src.string());
  fs::remove_all(src);
}

}  // namespace topoc::driver
