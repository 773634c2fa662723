#include "import/clojure_values.h"

#include <climits>
#include <cmath>

#include <fmt/format.h>

#include "compiler/sema/config_keys.h"

namespace topoc::import {

namespace {
using T = Form::Type;
}  // namespace

// The importer stops at the first problem: a file it cannot read as data is
// one the user fixes or converts by hand, so one message is enough.
void Fail(const Form& at, std::string message) { throw Failure{at.pos, std::move(message)}; }

std::string_view Local(std::string_view symbol) {
  // `/` alone is clojure.core's division, not a namespace separator.
  if (symbol == "/") return symbol;
  auto slash = symbol.rfind('/');
  return slash == std::string_view::npos ? symbol : symbol.substr(slash + 1);
}

std::string_view SimpleClass(std::string_view name) {
  auto dot = name.rfind('.');
  return dot == std::string_view::npos ? name : name.substr(dot + 1);
}

std::string Found(const Form& f) {
  if (f.type == T::kSymbol) return "the symbol '" + f.text + "'";
  if (f.type == T::kList && !f.Head().empty()) return "the call " + Describe(f);
  return "the " + std::string(TypeName(f.type)) + " " + Describe(f);
}

void ClojureDataReader::NotData(const Form& f, std::string_view what) {
  Fail(f, fmt::format("expected {}, found {}; topoc import reads topologies written as data, not "
                      "computed by code", what, Found(f)));
}

// Storm's config constants (TOPOLOGY-WORKERS) name known keys.
std::string ClojureDataReader::ConfigKey(const Form& k) {
  if (k.type == T::kString) return k.text;
  if (k.type == T::kSymbol) {
    std::string key;
    // Config/TOPOLOGY_MAX_SPOUT_PENDING in Java is TOPOLOGY-MAX-SPOUT-PENDING
    // in the Clojure DSL; its value is the key with '.' for '-', lowercased.
    // Only constants that name a key Storm has are accepted.
    for (char ch : Local(k.text)) key += ch == '-' ? '.' : static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    if (sema::FindConfigKey(key)) return key;
  }
  NotData(k, "a config key (a string, or a Storm config constant such as TOPOLOGY-WORKERS)");
}

ir::Value ClojureDataReader::Data(const Form& f) {
  switch (f.type) {
    case T::kNil: return nullptr;
    case T::kBool: return f.bool_value;
    case T::kInteger: return f.int_value;
    case T::kFloat:
      // x != x is NaN; Clojure reads ##NaN and ##Inf, which .topo cannot spell.
      if (f.float_value != f.float_value || f.float_value == HUGE_VAL || f.float_value == -HUGE_VAL) {
        Fail(f, "NaN and infinite numbers cannot be written in .topo");
      }
      return f.float_value;
    case T::kString: return f.text;
    case T::kVector: {
      ir::Value out = ir::Value::array();
      for (const auto& item : f.items) out.push_back(Data(item));
      return out;
    }
    case T::kMap: {
      ir::Value out = ir::Value::object();
      for (size_t i = 0; i + 1 < f.items.size(); i += 2) {
        const Form& k = f.items[i];
        if (k.type != T::kString) NotData(k, "a string key (Storm's config is JSON)");
        out[k.text] = Data(f.items[i + 1]);
      }
      return out;
    }
    case T::kBigNumber: Fail(f, "the number " + f.text + " does not fit a 64-bit integer");
    case T::kRatio: Fail(f, "the ratio " + f.text + " is not a JSON number");
    case T::kKeyword: Fail(f, "the keyword :" + f.text + " is not a config value (Storm's config is JSON); write a string");
    default: NotData(f, "a config value (string, number, boolean, nil, vector or map)");
  }
}

ir::Value ClojureDataReader::ConfigMap(const Form& m, bool topology_level) {
  if (m.type != T::kMap) NotData(m, "a config map");
  ir::Value out = ir::Value::object();
  for (size_t i = 0; i + 1 < m.items.size(); i += 2) {
    std::string key = ConfigKey(m.items[i]);
    if (out.contains(key)) Fail(m.items[i], "config key '" + key + "' appears twice");
    if (topology_level && key == "topology.name") continue;  // the topology's own name
    out[key] = Data(m.items[i + 1]);
  }
  return out;
}

int ClojureDataReader::PositiveInt(const Form& f, std::string_view what) {
  if (f.type != T::kInteger) NotData(f, fmt::format("an integer ({})", what));
  if (f.int_value < 1) Fail(f, fmt::format("{} must be at least 1, found {}", what, f.int_value));
  if (f.int_value > INT_MAX) Fail(f, fmt::format("{} {} does not fit a 32-bit integer", what, f.int_value));
  return static_cast<int>(f.int_value);
}

std::vector<std::string> ClojureDataReader::Strings(const Form& v, std::string_view what) {
  if (v.type != T::kVector) NotData(v, fmt::format("a vector of {}", what));
  std::vector<std::string> out;
  for (const auto& item : v.items) {
    if (item.type != T::kString) NotData(item, fmt::format("a string ({})", what));
    out.push_back(item.text);
  }
  return out;
}

// (JavaObject. "class" [(JavaObjectArg/int_arg 1) ...])
void ClojureDataReader::ReadThriftJavaObject(const Form& g, std::string* cls, std::vector<ir::JavaArg>* args) {
  if (g.items.size() != 3 || g.items[1].type != T::kString || g.items[2].type != T::kVector) {
    Fail(g, "expected (JavaObject. \"class\" [(JavaObjectArg/int_arg 1) ...])");
  }
  *cls = g.items[1].text;
  if (cls->empty()) Fail(g.items[1], "the class name is empty");
  for (const Form& a : g.items[2].items) {
    std::string_view head = a.Head();
    auto slash = head.rfind('/');
    if (a.type != T::kList || a.items.size() != 2 || slash == std::string_view::npos ||
        SimpleClass(head.substr(0, slash)) != "JavaObjectArg") {
      NotData(a, "(JavaObjectArg/int_arg N), long_arg, double_arg, string_arg or bool_arg");
    }
    std::string_view factory = head.substr(slash + 1);
    const Form& v = a.items[1];
    ir::JavaArg arg;
    if (factory == "int_arg") {
      arg.type = ir::JavaArg::Type::kInt;
      arg.int_value = IntArg(v, true);
    } else if (factory == "long_arg") {
      arg.type = ir::JavaArg::Type::kLong;
      arg.int_value = IntArg(v, false);
    } else if (factory == "double_arg") {
      // double_arg takes any number: (double_arg 2) is the double 2.0.
      arg = JavaArg(v);
      if (arg.type == ir::JavaArg::Type::kInt || arg.type == ir::JavaArg::Type::kLong) {
        arg.double_value = static_cast<double>(arg.int_value);
      } else if (arg.type != ir::JavaArg::Type::kDouble) {
        NotData(v, "a number");
      }
      arg.type = ir::JavaArg::Type::kDouble;
    } else if (factory == "string_arg") {
      if (v.type != T::kString) NotData(v, "a string");
      arg.type = ir::JavaArg::Type::kString;
      arg.string_value = v.text;
    } else if (factory == "bool_arg") {
      if (v.type != T::kBool) NotData(v, "true or false");
      arg.type = ir::JavaArg::Type::kBool;
      arg.bool_value = v.bool_value;
    } else {
      Fail(a, "JavaObjectArg/" + std::string(factory) + " is not supported (.topo has int, long, double, string and bool arguments)");
    }
    args->push_back(std::move(arg));
  }
}

int64_t ClojureDataReader::IntArg(const Form& v, bool int32) {
  const Form* f = &v;
  std::string_view head = Local(v.Head());
  // (JavaObjectArg/int_arg (int 1)) and (JavaObjectArg/int_arg 1) mean the same.
  if ((head == "int" || head == "long") && v.items.size() == 2) f = &v.items[1];
  if (f->type != T::kInteger) NotData(v, int32 ? "an int" : "a long");
  if (int32 && (f->int_value < INT_MIN || f->int_value > INT_MAX)) Fail(v, "the int argument does not fit 32 bits");
  return f->int_value;
}

// A constructor argument: (int N) int, N long (Clojure's integers are
// Longs), (long N), X.Y / (double X) double, "s", true/false.
ir::JavaArg ClojureDataReader::JavaArg(const Form& v) {
  ir::JavaArg arg;
  std::string_view head = Local(v.Head());
  if (head == "int" || head == "long" || head == "double") {
    if (v.items.size() != 2) NotData(v, "a constructor argument");
    const Form& x = v.items[1];
    if (head == "double") {
      if (x.type != T::kInteger && x.type != T::kFloat) NotData(x, "a number");
      arg.type = ir::JavaArg::Type::kDouble;
      arg.double_value = x.type == T::kInteger ? static_cast<double>(x.int_value) : x.float_value;
      return arg;
    }
    arg.type = head == "int" ? ir::JavaArg::Type::kInt : ir::JavaArg::Type::kLong;
    arg.int_value = IntArg(v, head == "int");
    return arg;
  }
  switch (v.type) {
    case T::kInteger: arg.type = ir::JavaArg::Type::kLong; arg.int_value = v.int_value; return arg;
    case T::kFloat:
      if (v.float_value != v.float_value || v.float_value == HUGE_VAL || v.float_value == -HUGE_VAL) {
        Fail(v, "NaN and infinite numbers cannot be written in .topo");
      }
      arg.type = ir::JavaArg::Type::kDouble;
      arg.double_value = v.float_value;
      return arg;
    case T::kString: arg.type = ir::JavaArg::Type::kString; arg.string_value = v.text; return arg;
    case T::kBool: arg.type = ir::JavaArg::Type::kBool; arg.bool_value = v.bool_value; return arg;
    default: NotData(v, "a constructor argument (a number, string, boolean, (int N) or (long N))");
  }
}

}  // namespace topoc::import
