// What the language server knows about names in a checked project: every
// place a component, stream, template or import is declared or used, from
// the AST that driver::Compile kept (CompileOptions::keep_ast). Definition,
// references, rename, hover and document symbols read it.
#pragma once

#include <string>
#include <vector>

#include "compiler/ast/ast.h"
#include "compiler/driver/compilation.h"

namespace topoc::lsp {

struct Occurrence {
  enum class Kind { kComponent, kStream, kTemplate, kImport };
  Kind kind = Kind::kComponent;
  Span span;                // the name as written (quotes included)
  std::string key;          // equal keys name the same thing
  bool definition = false;
  std::string name;         // the id (unquoted)
  std::string topology;     // kComponent, kStream: the topology's name ("" in templates)
  std::string component;    // kStream: the component or template declaring it
  std::string target;       // kImport: the imported file's path ("" when unresolved)
};

struct ConfigKeyRef {
  Span span;
  std::string key;
};

struct Index {
  std::vector<Occurrence> occurrences;
  std::vector<ConfigKeyRef> config_keys;

  // The occurrence covering `offset` of `file` (its end included), or nullptr.
  const Occurrence* At(FileId file, uint32_t offset) const;
  const ConfigKeyRef* ConfigKeyAt(FileId file, uint32_t offset) const;
  // Every occurrence with `key`, definitions first.
  std::vector<const Occurrence*> WithKey(const std::string& key) const;
  const Occurrence* DefinitionOf(const std::string& key) const;
};

Index BuildIndex(const driver::Compilation& comp);

// The template named `name` seen from `from` (its own first, then any
// file's), or nullptr.
const ast::Template* FindTemplate(const driver::Compilation& comp, FileId from, const std::string& name);

}  // namespace topoc::lsp
