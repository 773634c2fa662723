// For sema's tests: checks one .topo text (imports resolved as the driver
// does) and keeps what came out.
#pragma once

#include <algorithm>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/driver/compilation.h"
#include "compiler/driver/module_loader.h"
#include "compiler/sema/sema.h"

namespace topoc::sema {

// The compilation (diagnostics, program) and the diagnostic codes in order.
struct CheckResult {
  driver::Compilation c;
  std::vector<std::string> codes;
  bool Has(std::string_view code) const {
    return std::find(codes.begin(), codes.end(), code) != codes.end();
  }
};

inline std::unique_ptr<CheckResult> CheckSource(const std::string& text) {
  auto r = std::make_unique<CheckResult>();
  ast::Arena arena;
  r->c.program = std::make_unique<ir::Program>();
  driver::ModuleLoader loader(r->c.sources, arena, r->c.diags, {});
  FileId id = r->c.sources.AddFile("t.topo", text);
  const ast::File* f = loader.LoadRoot(id, "", ".");
  ScopeOf scopes;
  scopes[id] = &loader.Scope(f);
  CheckProgram({f}, scopes, r->c.sources, SemaOptions{}, r->c.diags, *r->c.program);
  for (const auto& d : r->c.diags.diagnostics()) r->codes.push_back(d.code);
  return r;
}

}  // namespace topoc::sema
