// How a python component is started — one form for `topoc build` (Thrift
// ShellComponent), `topoc submit` (the jar) and `topoc run` — and the shell
// wrapper that lets a shell component of any argv length run on a cluster.
//
// Storm runs a ShellComponent as exactly two argv strings
// [execution_command, script] with cwd = the jar's extracted resources/.
// topoc's python form:
//   execution_command = the Python interpreter (the virtualenv's
//                       <virtualenv_root>/<topology>/bin/python on a cluster)
//   script            = "_topoc/<module.Class>.py", a generated launcher in
//                       resources/ that puts resources/ on sys.path and calls
//                       streamparse.run.main("<module.Class>").
//
// Shell wrapper form (Thrift target and the jar only; `topoc run`, clojure
// and flux run the argv as written): a shell component whose argv does not
// have exactly two strings, e.g. ["node", "score.js", "--group", "0"] or
// ["./scorer"], becomes
//   execution_command = "/bin/sh"
//   script            = "_topoc/<safe-name>.sh"
// where the wrapper is a POSIX sh script `exec <argv, each element
// single-quoted> "$@"`. It runs with cwd = resources/, so relative paths in
// the argv resolve exactly as they would locally (cwd = src/).
// <safe-name> comes from the component id: characters outside
// [A-Za-z0-9_-] (and a leading '.') become '_'; when anything changed, or the
// id is empty or longer than 64 bytes (then cut to 64), "-<8 hex digits of a
// stable FNV-1a hash of the id>" is appended. Distinct ids therefore map to
// distinct names, and any id (quoted ids may hold '/', spaces, newlines, ...)
// gives a plain file name.
//
// The jar's resources/ holds the project's src/ tree, the streamparse
// runtime package, the _topoc/ python launchers and the _topoc/ shell
// wrappers (mode 0755).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace topoc::backends {

// Folder of the launchers, relative to resources/.
inline constexpr std::string_view kLauncherDir = "_topoc";

// "_topoc/spouts.words.WordSpout.py"
std::string PythonLauncherPath(std::string_view python_class);

// The launcher's Python source for a "module.Class" name.
std::string PythonLauncherSource(std::string_view python_class);

// The execution_command of a wrapped shell component.
inline constexpr std::string_view kShellWrapperInterpreter = "/bin/sh";

// True when a shell component's argv cannot be a ShellComponent as written
// (its size is not 2) and so runs through a wrapper.
bool NeedsShellWrapper(const std::vector<std::string>& argv);

// The filesystem-safe, unique name for a component id (see above), e.g.
// "count" -> "count", "my bolt/1" -> "my_bolt_1-<hash>".
std::string ShellWrapperName(std::string_view component_id);

// "_topoc/<safe-name>.sh"
std::string ShellWrapperPath(std::string_view component_id);

// The wrapper script: "#!/bin/sh" line, a comment, then
// `exec 'a0' 'a1' ... "$@"`.
std::string ShellWrapperSource(const std::vector<std::string>& argv);

}  // namespace topoc::backends
