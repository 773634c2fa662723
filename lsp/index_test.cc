// The name index the language server answers from: which spans are
// occurrences of what, and which occurrences name the same thing.
#include "lsp/index.h"

#include <fstream>

#include <doctest/doctest.h>

#include "support/temp_dir.h"

namespace topoc::lsp {

namespace {

namespace fs = std::filesystem;

struct IndexedSource {
  driver::Compilation comp;
  Index index;
  std::string text;
  // Compiles `text` as `dir`/main.topo (not read from disk).
  IndexedSource(const fs::path& dir, std::string source) : text(std::move(source)) {
    driver::CompileOptions options;
    options.inputs = {dir / "main.topo"};
    options.first_input_text = text;
    options.keep_ast = true;
    driver::Compile(options, comp);
    index = BuildIndex(comp);
  }
  // The occurrence at the n-th (0-based) appearance of `needle` in the text.
  const Occurrence* At(const std::string& needle, int n = 0, uint32_t shift = 0) const {
    size_t at = text.find(needle);
    for (int i = 0; i < n && at != std::string::npos; ++i) at = text.find(needle, at + 1);
    REQUIRE(at != std::string::npos);
    return index.At(0, static_cast<uint32_t>(at) + shift);
  }
  std::string_view TextOf(const Occurrence* o) const { return comp.sources.Text(o->span); }
};

const char* kIndexSource = R"(template base = python "m.Base" { output errors (e) }
topology t {
  config { topology.workers: 2 }
  spout words = base { output (word) }
  bolt count = python "m.Count" {
    input words fields(word)
    input words.errors shuffle
  }
}
topology u {
  spout words = python "m.W" { output (word) }
}
)";

}  // namespace

TEST_CASE("index: a component's declaration and uses share a key, per topology") {
  support::TempDir dir;
  IndexedSource x(dir.path(), kIndexSource);
  const Occurrence* def = x.At("words");
  REQUIRE(def != nullptr);
  CHECK(def->kind == Occurrence::Kind::kComponent);
  CHECK(def->definition);
  CHECK(def->name == "words");
  CHECK(def->topology == "t");
  const Occurrence* use = x.At("words", 1);
  REQUIRE(use != nullptr);
  CHECK_FALSE(use->definition);
  CHECK(use->key == def->key);
  const Occurrence* other = x.At("words", 3);  // topology u's spout
  REQUIRE(other != nullptr);
  CHECK(other->topology == "u");
  CHECK(other->key != def->key);  // same id, another topology
  auto all = x.index.WithKey(def->key);
  REQUIRE(all.size() == 3);  // the declaration first, then both inputs
  CHECK(all[0] == def);
  CHECK(x.index.DefinitionOf(def->key) == def);
  CHECK(x.index.DefinitionOf("no such key") == nullptr);
}

TEST_CASE("index: a stream declared in a template is found from an input of a component made from it") {
  support::TempDir dir;
  IndexedSource x(dir.path(), kIndexSource);
  const Occurrence* decl = x.At("errors");
  REQUIRE(decl != nullptr);
  CHECK(decl->kind == Occurrence::Kind::kStream);
  CHECK(decl->definition);
  CHECK(decl->component == "base");
  const Occurrence* use = x.At("errors", 1);
  REQUIRE(use != nullptr);
  CHECK(use->kind == Occurrence::Kind::kStream);
  CHECK(use->component == "words");
  CHECK(use->key == decl->key);
  // The template's name where it is used is an occurrence of the template.
  const Occurrence* tpl = x.At("base", 1);
  REQUIRE(tpl != nullptr);
  CHECK(tpl->kind == Occurrence::Kind::kTemplate);
  CHECK(tpl->key == x.At("base")->key);
}

TEST_CASE("index: At covers a name's last position, and nothing between names") {
  support::TempDir dir;
  IndexedSource x(dir.path(), kIndexSource);
  CHECK(x.At("count", 0, 5) != nullptr);  // the offset just past "count" still hits it
  CHECK(x.At("count", 0, 6) == nullptr);
  CHECK(x.index.At(7, 0) == nullptr);  // another file
  const ConfigKeyRef* key = x.index.ConfigKeyAt(0, static_cast<uint32_t>(x.text.find("workers")));
  REQUIRE(key != nullptr);
  CHECK(key->key == "topology.workers");
  CHECK(x.index.ConfigKeyAt(0, 0) == nullptr);
}

TEST_CASE("index: an import's occurrence is its quoted path, resolved to the file") {
  support::TempDir dir;
  std::ofstream(dir.path() / "lib.topo") << "template w = python \"m.W\" { output (word) }\n";
  IndexedSource x(dir.path(), "import \"lib.topo\"\nimport \"missing.topo\"\ntopology t { spout a = w }\n");
  const Occurrence* imp = x.At("lib.topo");
  REQUIRE(imp != nullptr);
  CHECK(imp->kind == Occurrence::Kind::kImport);
  CHECK(x.TextOf(imp) == "\"lib.topo\"");
  CHECK(imp->target == fs::weakly_canonical(dir.path() / "lib.topo").string());
  const Occurrence* missing = x.At("missing.topo");
  REQUIRE(missing != nullptr);
  CHECK(missing->target.empty());
  // The template used in main.topo keys to its declaration in lib.topo.
  const Occurrence* use = x.At("= w", 0, 2);
  REQUIRE(use != nullptr);
  CHECK(use->kind == Occurrence::Kind::kTemplate);
  const Occurrence* def = x.index.DefinitionOf(use->key);
  REQUIRE(def != nullptr);
  CHECK(def->span.file != 0);
}

TEST_CASE("FindTemplate: the asking file's own template first, else any file's") {
  support::TempDir dir;
  std::ofstream(dir.path() / "lib.topo") << "template w = python \"m.Lib\" { }\ntemplate v = python \"m.V\" { }\n";
  IndexedSource x(dir.path(), "import \"lib.topo\"\ntemplate w = python \"m.Own\" { }\n");
  const ast::Template* own = FindTemplate(x.comp, 0, "w");
  REQUIRE(own != nullptr);
  CHECK(own->kind.python_class == "m.Own");
  const ast::Template* v = FindTemplate(x.comp, 0, "v");
  REQUIRE(v != nullptr);
  CHECK(v->kind.python_class == "m.V");
  CHECK(FindTemplate(x.comp, 0, "nope") == nullptr);
}

}  // namespace topoc::lsp
