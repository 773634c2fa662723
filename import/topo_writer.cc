#include "import/topo_writer.h"

#include <cmath>
#include <stdexcept>

#include <fmt/format.h>

#include "support/escape.h"

namespace topoc::import {

namespace {

// The grammar's keywords: an id spelled like one is written quoted, so the
// output reads unambiguously (keywords are contextual, but not to a reader).
constexpr std::string_view kKeywords[] = {
    "import", "template", "topology", "spout", "bolt", "python", "shell", "java", "output",
    "direct", "input", "parallelism", "tasks", "config", "shuffle", "fields", "all", "global",
    "none", "local-or-shuffle", "partial-key", "custom", "true", "false", "null"};

bool IsIdentifier(std::string_view s) {
  if (s.empty()) return false;
  char c0 = s[0];
  if (!((c0 >= 'a' && c0 <= 'z') || (c0 >= 'A' && c0 <= 'Z') || c0 == '_')) return false;
  for (char c : s) {
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-')) {
      return false;
    }
  }
  return true;
}

bool IsKeyword(std::string_view s) {
  for (auto k : kKeywords) {
    if (k == s) return true;
  }
  return false;
}

// A config key bare when every dotted part is an identifier, keyword or
// digits (the grammar's keyPart).
std::string ConfigKey(std::string_view key) {
  if (key.empty()) return TopoString(key);
  size_t start = 0;
  for (;;) {
    size_t dot = key.find('.', start);
    std::string_view part = key.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    bool digits = !part.empty() && part.find_first_not_of("0123456789") == std::string_view::npos;
    if (!IsIdentifier(part) && !digits) return TopoString(key);
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  return std::string(key);
}

std::string Double(double v) {
  // .topo has no spelling for NaN or infinities; WriteTopo's caller turns
  // the exception into an import error naming the value.
  if (!std::isfinite(v)) {
    throw std::invalid_argument(fmt::format("the number {} cannot be written in .topo", v));
  }
  // fmt's shortest form reads back to the same double; ".0" keeps a whole
  // number a FLOAT token, not an INT.
  std::string s = fmt::format("{}", v);
  if (s.find_first_of(".e") == std::string::npos) s += ".0";
  return s;
}

std::string Value(const ir::Value& v) {
  switch (v.type()) {
    case ir::Value::value_t::null: return "null";
    case ir::Value::value_t::boolean: return v.get<bool>() ? "true" : "false";
    case ir::Value::value_t::number_integer: return std::to_string(v.get<int64_t>());
    case ir::Value::value_t::number_unsigned: return std::to_string(v.get<uint64_t>());
    case ir::Value::value_t::number_float: return Double(v.get<double>());
    case ir::Value::value_t::string: return TopoString(v.get<std::string>());
    case ir::Value::value_t::array: {
      std::string out = "[";
      bool first = true;
      for (const auto& item : v) {
        if (!first) out += ", ";
        first = false;
        out += Value(item);
      }
      return out + "]";
    }
    case ir::Value::value_t::object: {
      if (v.empty()) return "{}";
      std::string out = "{ ";
      bool first = true;
      for (const auto& [k, item] : v.items()) {
        if (!first) out += ", ";
        first = false;
        out += TopoString(k) + ": " + Value(item);
      }
      return out + " }";
    }
    default: break;
  }
  throw std::invalid_argument("a value .topo cannot hold");
}

std::string FieldList(const std::vector<std::string>& fields) {
  std::string out = "(";
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i) out += ", ";
    out += TopoName(fields[i]);
  }
  return out + ")";
}

std::string JavaArgs(const std::vector<ir::JavaArg>& args) {
  std::string out = "(";
  for (size_t i = 0; i < args.size(); ++i) {
    if (i) out += ", ";
    const auto& a = args[i];
    switch (a.type) {
      case ir::JavaArg::Type::kInt: out += std::to_string(a.int_value); break;
      // An unsuffixed integer that fits an int is read back as an int: longs
      // need the suffix to keep their type.
      case ir::JavaArg::Type::kLong: out += std::to_string(a.int_value) + "L"; break;
      case ir::JavaArg::Type::kDouble: out += Double(a.double_value); break;
      case ir::JavaArg::Type::kString: out += TopoString(a.string_value); break;
      case ir::JavaArg::Type::kBool: out += a.bool_value ? "true" : "false"; break;
    }
  }
  return out + ")";
}

std::string Grouping(const ir::Grouping& g) {
  using K = ir::Grouping::Kind;
  switch (g.kind) {
    case K::kShuffle: return "shuffle";
    case K::kFields: return "fields" + FieldList(g.fields);
    case K::kAll: return "all";
    case K::kGlobal: return "global";
    case K::kNone: return "none";
    case K::kDirect: return "direct";
    case K::kLocalOrShuffle: return "local-or-shuffle";
    case K::kPartialKey: return "partial-key" + FieldList(g.fields);
    case K::kCustom: {
      std::string out = "custom " + TopoString(g.custom_class);
      if (!g.custom_args.empty()) out += " " + JavaArgs(g.custom_args);
      return out;
    }
  }
  return "shuffle";
}

void ConfigBlock(const ir::Value& config, const std::string& indent, std::string& out) {
  if (config.size() == 1) {
    auto it = config.items().begin();
    out += indent + "config { " + ConfigKey(it.key()) + ": " + Value(it.value()) + " }\n";
    return;
  }
  out += indent + "config {\n";
  for (const auto& [k, v] : config.items()) out += indent + "    " + ConfigKey(k) + ": " + Value(v) + "\n";
  out += indent + "}\n";
}

}  // namespace

std::string TopoString(std::string_view text) { return support::Quoted(text, support::kJavaStyle); }

std::string TopoName(std::string_view name) {
  if (IsIdentifier(name) && !IsKeyword(name)) return std::string(name);
  return TopoString(name);
}

std::string WriteTopo(const Topology& t, std::string_view origin) {
  std::string out;
  out += "// Imported by `topoc import` from " + std::string(origin) + ".\n";
  out += "topology " + TopoName(t.name) + " {\n";
  // A blank line after the config and between the spouts and the bolts.
  bool need_blank = false;
  if (!t.config.empty()) {
    out += "    config {\n";
    for (const auto& [k, v] : t.config.items()) out += "        " + ConfigKey(k) + ": " + Value(v) + "\n";
    out += "    }\n";
    need_blank = true;
  }
  const Component* previous = nullptr;
  for (const auto& c : t.components) {
    if (need_blank || (previous && previous->role != c.role)) out += "\n";
    need_blank = false;
    previous = &c;
    out += "    ";
    out += c.role == ir::Role::kSpout ? "spout " : "bolt ";
    out += TopoName(c.id) + " = ";
    switch (c.kind) {
      case ir::Kind::kPython: out += "python " + TopoString(c.python_class); break;
      case ir::Kind::kShell: {
        out += "shell [";
        for (size_t i = 0; i < c.shell_command.size(); ++i) {
          if (i) out += ", ";
          out += TopoString(c.shell_command[i]);
        }
        out += "]";
        break;
      }
      case ir::Kind::kJava:
        out += "java " + TopoString(c.java_class);
        if (!c.java_args.empty()) out += " " + JavaArgs(c.java_args);
        break;
    }
    std::string body;
    for (const auto& in : c.inputs) {
      body += "        input " + TopoName(in.source);
      if (in.stream != ir::kDefaultStream) body += "." + TopoName(in.stream);
      body += " " + Grouping(in.grouping) + "\n";
    }
    for (const auto& o : c.outputs) {
      body += "        output ";
      if (o.direct) body += "direct ";
      if (o.stream != ir::kDefaultStream) body += TopoName(o.stream) + " ";
      body += FieldList(o.fields) + "\n";
    }
    if (c.parallelism != 1) body += fmt::format("        parallelism {}\n", c.parallelism);
    if (c.tasks) body += fmt::format("        tasks {}\n", *c.tasks);
    if (!c.config.empty()) ConfigBlock(c.config, "        ", body);
    if (body.empty()) {
      out += "\n";
    } else {
      out += " {\n" + body + "    }\n";
    }
  }
  out += "}\n";
  return out;
}

}  // namespace topoc::import
