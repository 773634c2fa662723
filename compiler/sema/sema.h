// Semantic analysis: resolves templates, checks every rule of
// docs/language.md ("What the checker proves") and lowers the AST to the
// checked IR (compiler/ir/ir.h).
//
// Template rules (a component `= TEMPLATE { body }`, or a template made
// from another template): the kind (python/shell/java and its class) comes
// from the template chain; java arguments given at the use site replace
// the template's; `output` of a stream id the template already declares
// replaces that stream, other outputs are added; inputs are added;
// `parallelism` and `tasks` override; config keys override one by one.
//
// Performance: every lookup is by hash; the passes are linear in the
// number of components, streams and inputs.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "compiler/ast/ast.h"
#include "compiler/diag/diagnostic.h"
#include "compiler/ir/ir.h"
#include "compiler/source/source_manager.h"

namespace topoc::sema {

// The project's python modules, where python classes are looked up. Sema
// reads no file: the driver passes an implementation in
// (driver::PythonSrcFolder reads src/).
class PythonModules {
 public:
  virtual ~PythonModules() = default;
  // The text of module `module` ("spouts.words"); nullopt when there is none.
  virtual std::optional<std::string> Read(std::string_view module) const = 0;
  // Where modules are looked for, as diagnostics name it ("proj/src").
  virtual std::string Where() const = 0;
};

struct SemaOptions {
  // Python classes are checked against these modules (W0304 module
  // missing, W0305 class missing); nullptr: not checked.
  const PythonModules* python = nullptr;
};

// Template names visible in one file.
using TemplateScope = std::unordered_map<std::string, const ast::Template*>;

// The templates visible in a file (templates name other templates in the
// scope of the file that declares them).
using ScopeOf = std::unordered_map<FileId, const TemplateScope*>;

// Checks the topologies of `roots` (in order) and appends them to
// `program`. `scopes` must hold every root and every file that declares a
// template. Diagnostics go to `diags`; nothing throws. The IR satisfies
// ir.h's invariants only when no error was reported.
void CheckProgram(const std::vector<const ast::File*>& roots, const ScopeOf& scopes,
                  const SourceManager& sources, const SemaOptions& options,
                  DiagnosticEngine& diags, ir::Program& program);

// True when `name` is a valid Storm topology name; else sets `why`.
bool IsValidTopologyName(std::string_view name, std::string* why);
// True when `cls` has the form module.Class (dotted Python identifiers, at
// least two parts).
bool IsPythonClassPath(std::string_view cls);

}  // namespace topoc::sema
