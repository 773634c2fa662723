// How Storm launches a component, and what topoc puts in the resources/
// folder Storm launches it in: one python form for `topoc build` (Thrift
// ShellComponent), `topoc submit` (the jar) and `topoc run`, and the shell
// wrapper that lets a shell component of any argv length run on a cluster.
// The backends, the runtime and deploy/jar.h all follow this file.
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
// resources/ (kResourcesDir), the same in the jar `topoc submit` uploads
// (deploy/jar.h), in `topoc build -t thrift`'s output and in the clojure
// target's Leiningen resource folder (_resources/resources/):
//   <the project's src/ tree>
//   streamparse/...             the Python runtime package (stdlib/python)
//   _topoc/<module.Class>.py    one launcher per python class
//   _topoc/<safe-name>.sh       one wrapper, mode 0755, per shell component
//                               that NeedsShellWrapper
// The last two are LaunchFiles(). `topoc run` writes the launchers under its
// staging folder's _topoc/ and runs shell components as written, with
// cwd = src/.
#pragma once

#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace topoc::backends {

// The jar folder Storm extracts and runs shell components in.
inline constexpr std::string_view kResourcesDir = "resources";

// "resources/<relative>"
std::string ResourcePath(std::string_view relative);

// A file topoc generates into resources/.
struct LaunchFile {
  std::string path;  // relative to resources/: "_topoc/..."
  std::string text;
  bool executable = false;  // written with mode 0755
};

// The generated part of resources/: one launcher per class of
// `python_classes` (in their order), then one wrapper per shell component
// (id -> argv, in id order) whose argv NeedsShellWrapper.
std::vector<LaunchFile> LaunchFiles(const std::set<std::string>& python_classes,
                                    const std::map<std::string, std::vector<std::string>>& shell_commands);

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
