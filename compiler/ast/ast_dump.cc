#include "compiler/ast/ast_dump.h"

#include <cstdio>
#include <sstream>

namespace topoc::ast {

namespace {

// Every field of the AST, spans included, as text.
class Dumper {
 public:
  std::string Dump(const File& f) {
    Line("file ", f.file);
    for (const auto& i : f.imports) Line("import ", Q(i.path), " ", S(i.span));
    for (const Template* t : f.templates) {
      Line("template ", N(t->name), " ", S(t->span), " file ", t->file);
      Kind(t->kind);
      Body(t->body);
    }
    for (const Topology* t : f.topologies) {
      Line("topology ", N(t->name), " ", S(t->span));
      Config(t->config);
      for (const Component* c : t->components) {
        Line(c->role == ir::Role::kSpout ? "spout " : "bolt ", N(c->id), " ", S(c->span));
        Kind(c->kind);
        Body(c->body);
      }
    }
    return out_.str();
  }

 private:
  template <class... A>
  void Line(const A&... a) {
    ((out_ << a), ...);
    out_ << '\n';
  }
  static std::string S(Span s) {
    return s.valid() ? "@" + std::to_string(s.file) + ":" + std::to_string(s.begin) + "-" +
                           std::to_string(s.end)
                     : "@none";
  }
  // JSON quoting keeps every dump line one line, whatever the string holds.
  static std::string Q(const std::string& s) { return ir::Value(s).dump(); }
  static std::string N(const Name& n) { return Q(n.text) + S(n.span); }
  static std::string Hex(double d) {
    char buf[64];
    // %a (hex float) is exact: two doubles that differ in the last bit dump
    // differently, which a decimal format could hide.
    std::snprintf(buf, sizeof buf, "%a", d);
    return buf;
  }
  void Args(const char* what, const std::vector<ir::JavaArg>& args) {
    for (const auto& a : args) {
      Line("  ", what, " type ", static_cast<int>(a.type), " int ", a.int_value, " double ",
           Hex(a.double_value), " string ", Q(a.string_value), " bool ", a.bool_value, " ",
           S(a.span));
    }
  }
  void Kind(const ComponentKind& k) {
    Line(" kind ", static_cast<int>(k.tag), " python ", Q(k.python_class), " java ",
         Q(k.java_class), " template ", N(k.template_name), " class ", S(k.class_span), " ",
         S(k.span), " has-args ", k.java_args.has_value());
    for (const auto& c : k.shell_command) Line("  command ", Q(c));
    if (k.java_args) Args("arg", *k.java_args);
  }
  void Config(const std::vector<ir::ConfigEntry>& entries) {
    for (const auto& e : entries) {
      Line("  config ", Q(e.key), S(e.key_span), " = ", e.value.dump(), S(e.value_span));
    }
  }
  void Body(const Body& b) {
    Line(" body ", S(b.span));
    for (const auto& o : b.outputs) {
      Line("  output direct ", o.direct, " name ", o.name ? N(*o.name) : "-", " ", S(o.span));
      for (const auto& f : o.fields) Line("   field ", N(f));
    }
    for (const auto& i : b.inputs) {
      Line("  input ", N(i.source), " stream ", i.stream ? N(*i.stream) : "-", " ", S(i.span));
      const Grouping& g = i.grouping;
      Line("   grouping ", static_cast<int>(g.kind), " custom ", Q(g.custom_class),
           S(g.custom_class_span), " ", S(g.span));
      for (const auto& f : g.fields) Line("   field ", N(f));
      Args("custom-arg", g.custom_args);
    }
    for (const auto& p : b.parallelism) Line("  parallelism ", p.value, S(p.span), S(p.value_span));
    for (const auto& t : b.tasks) Line("  tasks ", t.value, S(t.span), S(t.value_span));
    Config(b.config);
  }

  std::ostringstream out_;
};

}  // namespace

std::string Dump(const File& file) { return Dumper().Dump(file); }

}  // namespace topoc::ast
