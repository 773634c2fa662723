// Reading Clojure data (the Forms of import/clojure_reader.h) as .topo
// values: config maps and Storm's config constants, counts, vectors of
// strings, Java constructor arguments. A form that is code rather than
// data fails (Failure) with a message at that form. ClojureImporter
// (clojure_import.cc) builds the DSL's shapes on these.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/ir/ir.h"
#include "import/clojure_reader.h"

namespace topoc::import {

// Why a topology cannot be imported, at a form's position.
struct Failure {
  Pos pos;
  std::string message;
};

[[noreturn]] void Fail(const Form& at, std::string message);

// The name of a symbol without its namespace (`storm/topology` -> topology).
std::string_view Local(std::string_view symbol);
// A class name without its package (`org.example.Foo` -> Foo).
std::string_view SimpleClass(std::string_view name);
// "the symbol 'x'", "the call (f ...)", "the keyword :k": for messages.
std::string Found(const Form& f);

class ClojureDataReader {
 public:
  [[noreturn]] static void NotData(const Form& f, std::string_view what);
  // Storm's config constants (TOPOLOGY-WORKERS) name known keys.
  static std::string ConfigKey(const Form& k);
  static ir::Value Data(const Form& f);
  static ir::Value ConfigMap(const Form& m, bool topology_level);
  static int PositiveInt(const Form& f, std::string_view what);
  static std::vector<std::string> Strings(const Form& v, std::string_view what);
  // (JavaObject. "class" [(JavaObjectArg/int_arg 1) ...])
  static void ReadThriftJavaObject(const Form& g, std::string* cls, std::vector<ir::JavaArg>* args);
  static int64_t IntArg(const Form& v, bool int32);
  // A constructor argument: (int N) int, N long (Clojure's integers are
  // Longs), (long N), X.Y / (double X) double, "s", true/false.
  static ir::JavaArg JavaArg(const Form& v);
};

}  // namespace topoc::import
