// libFuzzer target for `topoc import` of Clojure topology files: bytes ->
// the Clojure reader (import/clojure_reader.h) -> the topology importer
// (import/clojure_import.h) -> the .topo writer (import/topo_writer.h) ->
// the front end, from memory. It must never crash, hang or throw anything
// but what each stage documents, and:
//   - the reader either reads every form or throws ReadError at a position
//     inside the text (line 1..lines, column 1..line length + 1); every
//     form it reads can be described in a bounded string;
//   - the importer refuses with a message that names the file and a
//     position inside it (or none), or accepts a topology with a name;
//   - the .topo text written for an accepted topology always lexes and
//     parses (no E0001-E0008 diagnostic): whatever names, strings and
//     numbers the file held, the writer quotes and escapes them. (Semantic
//     errors are allowed: `topoc import` reports them and writes nothing.)
// Build and run: fuzz/run.sh clojure SECONDS; seeds fuzz/corpus/clojure/.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/driver/compilation.h"
#include "import/clojure_import.h"
#include "import/clojure_reader.h"
#include "import/topo_writer.h"

namespace {

namespace imp = topoc::import;

// True when `pos` (1-based line and byte column) lies in `text` or just past
// the end of one of its lines.
bool Inside(std::string_view text, imp::Pos pos) {
  if (pos.line < 1 || pos.column < 1) return false;
  uint32_t line = 1;
  size_t begin = 0;
  while (line < pos.line) {
    size_t nl = text.find('\n', begin);
    if (nl == std::string_view::npos) return false;
    begin = nl + 1;
    ++line;
  }
  size_t end = text.find('\n', begin);
  size_t length = (end == std::string_view::npos ? text.size() : end) - begin;
  return pos.column <= length + 1;
}

void Fail(const char* what, const std::string& detail) {
  std::fprintf(stderr, "%s: %s\n", what, detail.c_str());
  std::abort();
}

void CheckForms(std::string_view text, const std::vector<imp::Form>& forms, int depth) {
  for (const imp::Form& f : forms) {
    if (!Inside(text, f.pos)) Fail("a form's position is outside the text", imp::Describe(f));
    if (depth == 0 && imp::Describe(f).size() > 200) Fail("Describe is unbounded", imp::Describe(f));
    if (depth < 64) CheckForms(text, f.items, depth + 1);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);

  try {
    CheckForms(text, imp::ReadAll(text), 0);
  } catch (const imp::ReadError& e) {
    if (!Inside(text, e.pos) || std::string_view(e.what()).empty()) {
      Fail("ReadError without a position inside the text", e.what());
    }
  }

  imp::Topology topology;
  imp::ImportError error;
  if (!imp::ImportClojure(text, "topologies/fuzz.clj", "fuzz", &topology, &error)) {
    if (error.message.empty() || error.Render().find("topologies/fuzz.clj") == std::string::npos) {
      Fail("a refusal without a message naming the file", error.Render());
    }
    if (error.pos.line != 0 && !Inside(text, error.pos)) {
      Fail("a refusal at a position outside the text", error.Render());
    }
    return 0;
  }
  if (topology.name.empty()) Fail("an imported topology without a name", "");

  std::string topo;
  try {
    topo = imp::WriteTopo(topology, "topologies/fuzz.clj");
  } catch (const std::invalid_argument&) {
    return 0;  // documented: a NaN or infinite float has no .topo form
  }
  topoc::driver::CompileOptions options;
  options.texts.emplace_back("/nonexistent-topoc-fuzz/fuzz.topo", topo);
  topoc::driver::Compilation compilation;
  topoc::driver::Compile(options, compilation);
  for (const topoc::Diagnostic& d : compilation.diags.diagnostics()) {
    if (d.code.size() == 5 && d.code.compare(0, 4, "E000") == 0 && d.code[4] >= '1' &&
        d.code[4] <= '8') {
      Fail("the written .topo does not parse", d.code + " " + d.message + "\n" + topo);
    }
  }
  return 0;
}
