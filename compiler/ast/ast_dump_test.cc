#include "compiler/ast/ast_dump.h"

#include <doctest/doctest.h>

namespace topoc::ast {

namespace {

Name DumpName(std::string text, uint32_t begin) {
  return Name{std::move(text), Span{0, begin, begin + 1}};
}

// A file with one topology holding one python spout, built by hand.
struct DumpSample {
  Arena arena;
  File* file = arena.Make<File>();
  Topology* topology = arena.Make<Topology>();
  Component* spout = arena.Make<Component>();
  DumpSample() {
    file->file = 0;
    file->imports.push_back(Import{"lib.topo", Span{0, 0, 17}});
    topology->name = DumpName("t", 27);
    topology->span = Span{0, 18, 80};
    spout->role = ir::Role::kSpout;
    spout->id = DumpName("a", 42);
    spout->kind.python_class = "m.A";
    spout->body.parallelism.push_back(IntSetting{2, Span{0, 60, 73}, Span{0, 72, 73}});
    topology->components.push_back(spout);
    file->topologies.push_back(topology);
  }
};

bool HasLine(const std::string& dump, const std::string& line) {
  return dump.find(line + "\n") != std::string::npos;
}

}  // namespace

TEST_CASE("Dump: one line per node, names quoted, spans as @file:begin-end") {
  DumpSample s;
  std::string d = Dump(*s.file);
  CHECK(d.rfind("file 0\n", 0) == 0);
  CHECK(HasLine(d, "import \"lib.topo\" @0:0-17"));
  CHECK(HasLine(d, "topology \"t\"@0:27-28 @0:18-80"));
  CHECK(HasLine(d, "spout \"a\"@0:42-43 @none"));  // the component's own span was left unset
  CHECK(HasLine(d, "  parallelism 2@0:60-73@0:72-73"));
  CHECK(d.find("python \"m.A\"") != std::string::npos);
}

TEST_CASE("Dump: any change of a field or a span changes the dump") {
  DumpSample s;
  const std::string before = Dump(*s.file);
  CHECK(Dump(*s.file) == before);  // deterministic
  s.spout->id.span.end = 44;
  CHECK(Dump(*s.file) != before);
  s.spout->id.span.end = 43;
  s.spout->role = ir::Role::kBolt;
  CHECK(Dump(*s.file) != before);
  s.spout->role = ir::Role::kSpout;
  s.spout->body.config.push_back(ir::ConfigEntry{"k", ir::Value(1), Span{0, 1, 2}, Span{0, 3, 4}});
  std::string with_config = Dump(*s.file);
  CHECK(HasLine(with_config, "  config \"k\"@0:1-2 = 1@0:3-4"));
  s.spout->body.config[0].value = ir::Value(1.0);  // 1 and 1.0 are different values
  CHECK(Dump(*s.file) != with_config);
}

TEST_CASE("Dump: strings are escaped and doubles written exactly") {
  DumpSample s;
  s.spout->kind.tag = ComponentKind::Tag::kJava;
  s.spout->kind.java_class = "a\"b\nc";
  ir::JavaArg arg;
  arg.type = ir::JavaArg::Type::kDouble;
  arg.double_value = 0.1;
  s.spout->kind.java_args = std::vector<ir::JavaArg>{arg};
  std::string d = Dump(*s.file);
  CHECK(d.find("java \"a\\\"b\\nc\"") != std::string::npos);  // one line, JSON-escaped
  CHECK(d.find("double 0x1.999999999999ap-4 ") != std::string::npos);  // %a: no rounding
  arg.double_value = 0.1 + 1e-17;  // the next double up prints differently
  s.spout->kind.java_args = std::vector<ir::JavaArg>{arg};
  CHECK(Dump(*s.file) != d);
}

TEST_CASE("Dump: templates, inputs with groupings, outputs") {
  Arena arena;
  File* f = arena.Make<File>();
  Template* t = arena.Make<Template>();
  t->name = DumpName("base", 9);
  t->file = 0;
  Output out;
  out.name = DumpName("errors", 30);
  out.direct = true;
  out.fields.push_back(DumpName("x", 40));
  t->body.outputs.push_back(out);
  Input in;
  in.source = DumpName("a", 50);
  in.grouping.kind = ir::GroupingKind::kFields;
  in.grouping.fields.push_back(DumpName("x", 60));
  t->body.inputs.push_back(in);
  f->templates.push_back(t);
  std::string d = Dump(*f);
  CHECK(d.find("template \"base\"@0:9-10 @none file 0\n") != std::string::npos);
  CHECK(HasLine(d, "  output direct 1 name \"errors\"@0:30-31 @none"));
  CHECK(HasLine(d, "   field \"x\"@0:40-41"));
  CHECK(HasLine(d, "  input \"a\"@0:50-51 stream - @none"));
  CHECK(HasLine(d, "   field \"x\"@0:60-61"));
}

}  // namespace topoc::ast
