// How a python component is started — one form for `topoc build` (Thrift
// ShellComponent), `topoc submit` (the jar) and `topoc run`.
//
// Storm runs a ShellComponent as exactly two argv strings
// [execution_command, script] with cwd = the jar's extracted resources/.
// topoc's form:
//   execution_command = the Python interpreter (the virtualenv's
//                       <virtualenv_root>/<topology>/bin/python on a cluster)
//   script            = "_topoc/<module.Class>.py", a generated launcher in
//                       resources/ that puts resources/ on sys.path and calls
//                       streamparse.run.main("<module.Class>").
// The jar's resources/ holds the project's src/ tree, the streamparse
// runtime package and the _topoc/ launchers.
#pragma once

#include <string>
#include <string_view>

namespace topoc::backends {

// Folder of the launchers, relative to resources/.
inline constexpr std::string_view kLauncherDir = "_topoc";

// "_topoc/spouts.words.WordSpout.py"
std::string PythonLauncherPath(std::string_view python_class);

// The launcher's Python source for a "module.Class" name.
std::string PythonLauncherSource(std::string_view python_class);

}  // namespace topoc::backends
