#include "compiler/driver/module_loader.h"

#include <fstream>
#include <set>

#include <doctest/doctest.h>

#include "support/temp_dir.h"

namespace topoc::driver {

namespace {

namespace fs = std::filesystem;

void WriteModuleFile(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << text;
}

// A loader over one root file, with the state it needs.
struct LoadedModules {
  SourceManager sources;
  ast::Arena arena;
  DiagnosticEngine diags;
  ModuleLoader loader;
  const ast::File* root = nullptr;

  LoadedModules(const fs::path& path, std::vector<fs::path> search = {},
         const std::map<std::string, std::string>* overlays = nullptr)
      : loader(sources, arena, diags, std::move(search)) {
    loader.set_overlays(overlays);
    std::string text, error;
    REQUIRE(ReadSourceFile(path, &text, &error));
    FileId id = sources.AddFile(path.string(), std::move(text));
    root = loader.LoadRoot(id, path, path.parent_path());
  }
  std::vector<std::string> codes() const {
    std::vector<std::string> out;
    for (const auto& d : diags.diagnostics()) out.push_back(d.code);
    return out;
  }
  std::set<std::string> scope_names(const ast::File* f) {
    std::set<std::string> out;
    for (const auto& [name, t] : loader.Scope(f)) out.insert(name);
    return out;
  }
};

}  // namespace

TEST_CASE("ReadSourceFile: a file's bytes; missing files and folders give a reason") {
  support::TempDir dir;
  std::string text, error;
  WriteModuleFile(dir.path() / "a.topo", std::string("bin\0ary\r\n", 9));
  REQUIRE(ReadSourceFile(dir.path() / "a.topo", &text, &error));
  CHECK(text == std::string("bin\0ary\r\n", 9));  // read as bytes, nothing translated
  WriteModuleFile(dir.path() / "empty.topo", "");
  CHECK(ReadSourceFile(dir.path() / "empty.topo", &text, &error));
  CHECK(text.empty());

  uintmax_t too_large = 7;
  CHECK_FALSE(ReadSourceFile(dir.path() / "nope.topo", &text, &error, &too_large));
  CHECK(error == "no such file");
  CHECK(too_large == 0);
  CHECK_FALSE(ReadSourceFile(dir.path(), &text, &error));
  CHECK(error == "is a directory");
}

TEST_CASE("ReadSourceFile: a file over kMaxFileSize is refused with its size, unread") {
  support::TempDir dir;
  fs::path big = dir.path() / "big.topo";
  WriteModuleFile(big, "");
  fs::resize_file(big, kMaxFileSize + 1);  // sparse: costs no disk
  std::string text = "old", error;
  uintmax_t too_large = 0;
  CHECK_FALSE(ReadSourceFile(big, &text, &error, &too_large));
  CHECK(too_large == kMaxFileSize + 1);
  CHECK(error.find("file is too large (" + std::to_string(kMaxFileSize + 1) + " bytes") == 0);
  // Exactly the limit is fine.
  fs::resize_file(big, kMaxFileSize);
  CHECK(ReadSourceFile(big, &text, &error, &too_large));
  CHECK(text.size() == kMaxFileSize);
  CHECK(too_large == 0);
}

TEST_CASE("ReportReadFailure: E0010 when too large, else E0009 with the reason") {
  DiagnosticEngine diags;
  ReportReadFailure(diags, Span{}, "x.topo", "no such file", 0);
  ReportReadFailure(diags, Span{}, "y.topo", "file is too large", 100);
  REQUIRE(diags.diagnostics().size() == 2);
  CHECK(diags.diagnostics()[0].code == "E0009");
  CHECK(diags.diagnostics()[0].message == "cannot read 'x.topo': no such file");
  CHECK(diags.diagnostics()[1].code == "E0010");
  CHECK(diags.diagnostics()[1].message.find("'y.topo' is too large (100 bytes") == 0);
}

TEST_CASE("ModuleLoader: imports resolve beside the importer first, then the search folders in order") {
  support::TempDir dir;
  const fs::path& d = dir.path();
  WriteModuleFile(d / "app" / "main.topo", "import \"lib.topo\"\nimport \"only-in-b.topo\"\n");
  WriteModuleFile(d / "app" / "lib.topo", "template here = python \"m.Here\" { }\n");
  WriteModuleFile(d / "a" / "lib.topo", "template shadowed = python \"m.A\" { }\n");
  WriteModuleFile(d / "a" / "only-in-b.topo", "template from-a = python \"m.A\" { }\n");
  WriteModuleFile(d / "b" / "only-in-b.topo", "template from-b = python \"m.B\" { }\n");
  LoadedModules l(d / "app" / "main.topo", {d / "a", d / "b"});
  CHECK(l.codes().empty());
  CHECK(l.scope_names(l.root) == std::set<std::string>{"here", "from-a"});
  CHECK(l.sources.FileCount() == 3);
}

TEST_CASE("ModuleLoader: a missing import is E0101 naming every folder searched") {
  support::TempDir dir;
  WriteModuleFile(dir.path() / "main.topo", "import \"gone.topo\"\nimport \"\"\n");
  LoadedModules l(dir.path() / "main.topo", {dir.path() / "extra"});
  REQUIRE(l.codes() == std::vector<std::string>{"E0101", "E0101"});
  const Diagnostic& d = l.diags.diagnostics()[0];
  CHECK(d.message == "cannot find import 'gone.topo'");
  REQUIRE(d.notes.size() == 1);
  CHECK(d.notes[0].message == "searched: " + dir.path().string() + ", " + (dir.path() / "extra").string());
  CHECK(l.diags.diagnostics()[1].notes.empty());  // an empty path: nothing was searched
}

TEST_CASE("ModuleLoader: an import cycle is E0102; a file imported twice is read once") {
  support::TempDir dir;
  WriteModuleFile(dir.path() / "main.topo", "import \"a.topo\"\nimport \"b.topo\"\n");
  WriteModuleFile(dir.path() / "a.topo", "import \"b.topo\"\ntemplate ta = python \"m.A\" { }\n");
  WriteModuleFile(dir.path() / "b.topo", "import \"./a.topo\"\ntemplate tb = python \"m.B\" { }\n");
  LoadedModules l(dir.path() / "main.topo");
  CHECK(l.codes() == std::vector<std::string>{"E0102"});  // b -> a while a is loading
  CHECK(l.diags.diagnostics()[0].message == "import cycle: './a.topo' is already being imported");
  CHECK(l.sources.FileCount() == 3);  // main, a, b: each once
  // Scopes still end: both templates are visible from the root.
  CHECK(l.scope_names(l.root) == std::set<std::string>{"ta", "tb"});
}

TEST_CASE("ModuleLoader: templates are visible transitively; a duplicate is E0104 once, the first wins") {
  support::TempDir dir;
  WriteModuleFile(dir.path() / "main.topo", "import \"mid.topo\"\nimport \"other.topo\"\ntemplate own = python \"m.Own\" { }\n");
  WriteModuleFile(dir.path() / "mid.topo", "import \"deep.topo\"\n");
  WriteModuleFile(dir.path() / "deep.topo", "template dup = python \"m.Deep\" { }\n");
  WriteModuleFile(dir.path() / "other.topo", "template dup = python \"m.Other\" { }\n");
  LoadedModules l(dir.path() / "main.topo");
  CHECK(l.codes().empty());
  const sema::TemplateScope& scope = l.loader.Scope(l.root);
  CHECK(l.scope_names(l.root) == std::set<std::string>{"own", "dup"});
  CHECK(scope.at("dup")->kind.python_class == "m.Deep");  // imports in order, depth first
  REQUIRE(l.codes() == std::vector<std::string>{"E0104"});
  REQUIRE(l.diags.diagnostics()[0].notes.size() == 1);
  CHECK(l.diags.diagnostics()[0].notes[0].message == "'dup' first declared here");
  l.loader.Scope(l.root);  // cached: not reported again
  CHECK(l.codes().size() == 1);
}

TEST_CASE("ModuleLoader: an overlay stands in for the file on disk; syntax errors mark the file") {
  support::TempDir dir;
  WriteModuleFile(dir.path() / "main.topo", "import \"lib.topo\"\n");
  WriteModuleFile(dir.path() / "lib.topo", "template on-disk = python \"m.A\" { }\n");
  std::map<std::string, std::string> overlays = {
      {fs::weakly_canonical(dir.path() / "lib.topo").string(), "template edited = python \"m.A\" { \n"}};
  LoadedModules l(dir.path() / "main.topo", {}, &overlays);
  CHECK(l.loader.Overlay(dir.path() / "lib.topo") != nullptr);
  CHECK(l.loader.Overlay(dir.path() / "main.topo") == nullptr);
  CHECK_FALSE(l.loader.HadSyntaxErrors(l.root));
  std::vector<const ast::File*> files;
  l.loader.ForEachFile([&](const ast::File* f) { files.push_back(f); });
  REQUIRE(files.size() == 2);
  const ast::File* lib = files[0] == l.root ? files[1] : files[0];
  CHECK(l.loader.HadSyntaxErrors(lib));  // the overlay's text, not the disk's, was parsed
  CHECK(l.codes().front() == "E0001");
}

TEST_CASE("ModuleLoader: an import naming a folder is E0009") {
  support::TempDir dir;
  WriteModuleFile(dir.path() / "main.topo", "import \"sub\"\n");
  fs::create_directories(dir.path() / "sub");
  LoadedModules l(dir.path() / "main.topo");
  REQUIRE(l.codes() == std::vector<std::string>{"E0009"});
  CHECK(l.diags.diagnostics()[0].message.find("is a directory") != std::string::npos);
}

}  // namespace topoc::driver
