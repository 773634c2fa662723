#include "compiler/ir/ir.h"

#include <set>

#include <doctest/doctest.h>

namespace topoc::ir {

namespace {

Component* AddComponent(Topology& t, std::string id) {
  t.components.push_back(std::make_unique<Component>());
  t.components.back()->id = std::move(id);
  return t.components.back().get();
}

}  // namespace

TEST_CASE("names: the .topo spelling of every grouping kind, role and kind") {
  using K = Grouping::Kind;
  CHECK(GroupingKindName(K::kShuffle) == "shuffle");
  CHECK(GroupingKindName(K::kFields) == "fields");
  CHECK(GroupingKindName(K::kAll) == "all");
  CHECK(GroupingKindName(K::kGlobal) == "global");
  CHECK(GroupingKindName(K::kNone) == "none");
  CHECK(GroupingKindName(K::kDirect) == "direct");
  CHECK(GroupingKindName(K::kLocalOrShuffle) == "local-or-shuffle");
  CHECK(GroupingKindName(K::kPartialKey) == "partial-key");
  CHECK(GroupingKindName(K::kCustom) == "custom");
  CHECK(RoleName(Role::kSpout) == "spout");
  CHECK(RoleName(Role::kBolt) == "bolt");
  CHECK(KindName(Kind::kPython) == "python");
  CHECK(KindName(Kind::kShell) == "shell");
  CHECK(KindName(Kind::kJava) == "java");
}

TEST_CASE("Component: FindStream by id, TaskCount from tasks or parallelism") {
  Component c;
  for (const char* id : {"default", "errors"}) {
    c.streams.push_back(std::make_unique<Stream>());
    c.streams.back()->id = id;
  }
  REQUIRE(c.FindStream("errors") != nullptr);
  CHECK(c.FindStream("errors") == c.streams[1].get());
  CHECK(c.FindStream("default") == c.streams[0].get());
  CHECK(c.FindStream("Errors") == nullptr);
  CHECK(c.FindStream("") == nullptr);
  c.parallelism = 3;
  CHECK(c.TaskCount() == 3);
  c.tasks = 8;
  CHECK(c.TaskCount() == 8);
  c.tasks = 0;
  CHECK(c.TaskCount() == 0);  // topology.tasks 0 is Storm's "no tasks", not unset
}

TEST_CASE("Topology: FindComponent with and without the index, the first of duplicates") {
  Topology t;
  Component* a = AddComponent(t, "a");
  Component* b = AddComponent(t, "b");
  AddComponent(t, "a");  // a duplicate id (sema reports it): the first one is found
  CHECK(t.FindComponent("a") == a);  // no index yet: a linear scan
  CHECK(t.FindComponent("b") == b);
  t.BuildIndex();
  CHECK(t.FindComponent("a") == a);
  CHECK(t.FindComponent("b") == b);
  CHECK(t.FindComponent("c") == nullptr);
  // Components added after BuildIndex are still found (the stale index is
  // not used), and a rebuilt index finds them too.
  Component* c = AddComponent(t, "c");
  CHECK(t.FindComponent("c") == c);
  CHECK(t.FindComponent("a") == a);
  t.BuildIndex();
  CHECK(t.FindComponent("c") == c);
}

TEST_CASE("Program: FindTopology by name, the first of duplicates") {
  Program p;
  for (const char* name : {"one", "two", "one"}) {
    p.topologies.push_back(std::make_unique<Topology>());
    p.topologies.back()->name = name;
  }
  CHECK(p.FindTopology("one") == p.topologies[0].get());
  CHECK(p.FindTopology("two") == p.topologies[1].get());
  CHECK(p.FindTopology("three") == nullptr);
}

}  // namespace topoc::ir
