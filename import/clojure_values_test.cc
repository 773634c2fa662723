// Clojure data read as .topo values: config maps and Storm's constants,
// counts, string vectors, Java arguments, and the refusal of code.
#include "import/clojure_values.h"

#include <doctest/doctest.h>

namespace topoc::import {
namespace {

using R = ClojureDataReader;

Form ReadForm(std::string_view text) {
  auto forms = ReadAll(text);
  REQUIRE(forms.size() == 1);
  return forms[0];
}

// The Failure reading `text` with `read` raises.
template <typename F>
Failure ValueFailureOf(std::string_view text, F read) {
  Form f = ReadForm(text);
  try {
    read(f);
  } catch (const Failure& failure) {
    return failure;
  }
  FAIL("no failure for: " << text);
  return {};
}

TEST_CASE("names without namespace or package") {
  CHECK(Local("storm/topology") == "topology");
  CHECK(Local("topology") == "topology");
  CHECK(Local("/") == "/");
  CHECK(SimpleClass("org.example.Foo") == "Foo");
  CHECK(SimpleClass("Foo") == "Foo");
  CHECK(Found(ReadForm("x")) == "the symbol 'x'");
  CHECK(Found(ReadForm("(f 1)")) == "the call (f 1)");
}

TEST_CASE("config data is JSON") {
  ir::Value v = R::Data(ReadForm(R"({"a" [1 2.5 "s" true nil] "b" {"c" 3}})"));
  CHECK(v == ir::Value::parse(R"({"a": [1, 2.5, "s", true, null], "b": {"c": 3}})"));
  CHECK(ValueFailureOf(R"({:k 1})", R::Data).message.find("a string key") != std::string::npos);
  CHECK(ValueFailureOf(":all", R::Data).message.find("the keyword :all is not a config value") == 0);
  CHECK(ValueFailureOf("99999999999999999999", R::Data).message.find("does not fit a 64-bit integer") !=
        std::string::npos);
  Failure code = ValueFailureOf("(f x)", R::Data);
  CHECK(code.message.find("not computed by code") != std::string::npos);
  CHECK(code.pos.line == 1);
  CHECK(code.pos.column == 1);
}

TEST_CASE("config maps: Storm's constants name keys; topology.name is dropped at the top") {
  ir::Value m = R::ConfigMap(ReadForm(R"({TOPOLOGY-WORKERS 2 "topology.debug" true "topology.name" "x"})"), true);
  CHECK(m == ir::Value::parse(R"({"topology.workers": 2, "topology.debug": true})"));
  CHECK(R::ConfigMap(ReadForm(R"({"topology.name" "x"})"), false)["topology.name"] == "x");
  CHECK(ValueFailureOf("{NOT-A-STORM-KEY 1}", [](const Form& f) { R::ConfigMap(f, false); })
            .message.find("a config key") != std::string::npos);
  CHECK(ValueFailureOf(R"({"a" 1 "a" 2})", [](const Form& f) { R::ConfigMap(f, false); }).message ==
        "config key 'a' appears twice");
}

TEST_CASE("counts and string vectors") {
  CHECK(R::PositiveInt(ReadForm("4"), "parallelism") == 4);
  CHECK(ValueFailureOf("0", [](const Form& f) { R::PositiveInt(f, "parallelism"); }).message ==
        "parallelism must be at least 1, found 0");
  CHECK(R::Strings(ReadForm(R"(["a" "b"])"), "fields") == std::vector<std::string>{"a", "b"});
  CHECK(ValueFailureOf(R"(["a" 1])", [](const Form& f) { R::Strings(f, "fields"); })
            .message.find("expected a string (fields)") == 0);
}

TEST_CASE("Java arguments") {
  ir::JavaArg i = R::JavaArg(ReadForm("(int 3)"));
  CHECK(i.type == ir::JavaArg::Type::kInt);
  CHECK(i.int_value == 3);
  CHECK(R::JavaArg(ReadForm("7")).type == ir::JavaArg::Type::kLong);
  ir::JavaArg d = R::JavaArg(ReadForm("(double 2)"));
  CHECK(d.type == ir::JavaArg::Type::kDouble);
  CHECK(d.double_value == 2.0);
  CHECK(R::JavaArg(ReadForm(R"("s")")).string_value == "s");
  CHECK(ValueFailureOf("(int 3000000000)", R::JavaArg).message == "the int argument does not fit 32 bits");

  std::string cls;
  std::vector<ir::JavaArg> args;
  R::ReadThriftJavaObject(ReadForm(R"((JavaObject. "a.B" [(JavaObjectArg/int_arg 1) (JavaObjectArg/string_arg "x")]))"),
                          &cls, &args);
  CHECK(cls == "a.B");
  REQUIRE(args.size() == 2);
  CHECK(args[0].type == ir::JavaArg::Type::kInt);
  CHECK(args[1].string_value == "x");
}

}  // namespace
}  // namespace topoc::import
