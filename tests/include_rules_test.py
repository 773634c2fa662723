#!/usr/bin/env python3
"""The include rules of docs/internals.md, checked over the source tree.

Every `#include "..."` of the repository's own .cc/.h files (build/ and
generated files aside) must point down the pipeline or within its own
folder, and no file may reach itself through includes. Unit tests beside
their code (`*_test.cc`, and test helpers `*_testing.h`) may include anything: they drive a stage through
the ones above it. A folder that holds C++ but has no place in LAYERS or
STAGES fails the check until it is given one.

    include_rules_test.py SOURCE_DIR      check the tree
    include_rules_test.py --self-test     check the checker on made-up trees

Exit status 0 when every rule holds, 1 with one line per broken rule
(file:line: message), 2 on usage errors.
"""

import os
import re
import sys
import tempfile

# What each top-level folder may include besides itself, bottom to top:
# support < compiler, thrift (Storm's generated types) < backends, import,
# config (config.json) < runtime, deploy, lsp < cli. Sideways arrows
# (runtime -> deploy) are as wrong as upward ones.
LAYERS = {
    "support": [],
    "compiler": ["support"],
    "thrift": ["support"],
    "backends": ["compiler", "thrift"],
    "import": ["compiler"],
    "config": ["compiler"],
    "runtime": ["backends", "import", "config"],
    "deploy": ["backends", "import", "config"],
    "lsp": ["backends", "import", "config"],
    "cli": ["runtime", "deploy", "lsp"],
}
# Folders whose sources may include anything.
ANYTHING = {"bench", "fuzz", "tests"}

# The stages inside compiler/, as they include each other today: the AST
# carries IR values, so ir/ sits below ast/; format/ (topoc fmt) reads the
# parser's output beside sema/; fmt/ is libfmt's compiled part.
STAGES = {
    "fmt": [],
    "source": [],
    "diag": ["source"],
    "ir": ["source"],
    "ast": ["ir"],
    "parse": ["ast", "diag"],
    "sema": ["parse"],
    "format": ["parse"],
    "driver": ["sema"],
}

SOURCE_EXTENSIONS = (".cc", ".h")
SKIP_DIRS = {".git", "node_modules", "__pycache__"}
INCLUDE = re.compile(r'^\s*#\s*include\s*"([^"]+)"')


def closure(graph):
    """name -> every name it may include (itself and all below)."""
    out = {}

    def below(name, seen):
        for dep in graph.get(name, []):
            if dep not in seen:
                seen.add(dep)
                below(dep, seen)
        return seen

    for name in graph:
        out[name] = below(name, {name})
    return out


LAYER_ALLOWED = closure(LAYERS)
STAGE_ALLOWED = closure(STAGES)


def unit_of(path):
    """('layer', 'stage'): 'compiler/sema/sema.cc' -> ('compiler', 'sema')."""
    parts = path.split("/")
    layer = parts[0] if len(parts) > 1 else ""
    stage = parts[1] if layer == "compiler" and len(parts) > 2 else ""
    return layer, stage


def sources(root):
    for dirpath, dirnames, filenames in os.walk(root):
        rel_dir = os.path.relpath(dirpath, root)
        top = rel_dir == "."
        # build*/ at the top are build trees (generated code); tests/build/
        # is a test suite.
        dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS
                             and not (top and d.startswith("build")))
        if top:
            continue  # nothing at the top is compiled
        for name in sorted(filenames):
            if name.endswith(SOURCE_EXTENSIONS):
                yield os.path.join(rel_dir, name).replace(os.sep, "/")


def includes(root, path):
    """(line number, included path as written) of every quoted include."""
    with open(os.path.join(root, path), encoding="utf-8", errors="replace") as f:
        for number, line in enumerate(f, 1):
            m = INCLUDE.match(line)
            if m:
                yield number, m.group(1)


def resolve(root, path, target):
    """The repository file an include names, or None (generated, external)."""
    for candidate in (target, os.path.join(os.path.dirname(path), target)):
        candidate = os.path.normpath(candidate).replace(os.sep, "/")
        if os.path.isfile(os.path.join(root, candidate)):
            return candidate
    return None


def layer_problem(path, target):
    """Why `path` may not include `target` (both repository paths), or None."""
    layer, stage = unit_of(path)
    to_layer, to_stage = unit_of(target)
    if layer in ANYTHING or os.path.basename(path).endswith(("_test.cc", "_testing.h")):
        return None
    if layer not in LAYERS:
        return "the folder %s/ has no layer in the include rules (tests/include_rules_test.py)" % layer
    if to_layer not in LAYERS and to_layer not in ANYTHING:
        return None  # generated output or third-party code named by path
    if to_layer not in LAYER_ALLOWED[layer]:
        return ("%s/ may not include %s/ (an arrow back up or across the pipeline: %s)"
                % (layer, to_layer, pipeline()))
    if layer == "compiler" and to_layer == "compiler" and stage and to_stage:
        for s in (stage, to_stage):
            if s not in STAGES:
                return ("the stage compiler/%s/ has no place in the include rules "
                        "(tests/include_rules_test.py)" % s)
        if to_stage not in STAGE_ALLOWED[stage]:
            return ("compiler/%s/ may not include compiler/%s/ (a stage may include only "
                    "the stages below it: %s)" % (stage, to_stage, ", ".join(
                        "%s < %s" % (d, s) for s in STAGES for d in STAGES[s])))
    return None


def pipeline():
    return "support < compiler, thrift < backends, import, config < runtime, deploy, lsp < cli"


def cycles(graph):
    """Strongly connected sets of files that reach themselves (Tarjan)."""
    index, low, on_stack, stack, found = {}, {}, set(), [], []
    counter = [0]

    def visit(v):
        # An explicit stack: include chains may be deeper than Python's
        # recursion limit in a bad tree.
        work = [(v, iter(sorted(graph.get(v, {}))))]
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        while work:
            node, it = work[-1]
            advanced = False
            for w in it:
                if w not in index:
                    index[w] = low[w] = counter[0]
                    counter[0] += 1
                    stack.append(w)
                    on_stack.add(w)
                    work.append((w, iter(sorted(graph.get(w, {})))))
                    advanced = True
                    break
                if w in on_stack:
                    low[node] = min(low[node], index[w])
            if advanced:
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                group = []
                while True:
                    w = stack.pop()
                    on_stack.discard(w)
                    group.append(w)
                    if w == node:
                        break
                if len(group) > 1 or node in graph.get(node, {}):
                    found.append(sorted(group))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def shortest_cycle(graph, members, start):
    """start, ..., start: the fewest includes from `start` back to itself."""
    parent = {start: None}
    queue = [start]
    for node in queue:
        for target in sorted(graph[node]):
            if target not in members:
                continue
            if target == start:
                path = [node]
                while parent[path[-1]] is not None:
                    path.append(parent[path[-1]])
                return path[::-1] + [start]
            if target not in parent:
                parent[target] = node
                queue.append(target)
    return [start, start]


def check(root):
    """Every broken rule as 'file:line: message', in file order."""
    problems = []
    graph = {}  # file -> {included file: line}
    for path in sources(root):
        edges = graph.setdefault(path, {})
        for line, target in includes(root, path):
            resolved = resolve(root, path, target)
            problem = layer_problem(path, resolved or target)
            if problem:
                problems.append("%s:%d: includes \"%s\": %s" % (path, line, target, problem))
            if resolved:
                edges.setdefault(resolved, line)
    for group in cycles(graph):
        path = shortest_cycle(graph, set(group), group[0])
        steps = ["%s:%d includes %s" % (a, graph[a][b], b) for a, b in zip(path, path[1:])]
        problems.append("%s:%d: an include cycle: %s" % (path[0], graph[path[0]][path[1]], "; ".join(steps)))
    return problems


def self_test():
    """The checker on small trees: it must pass a good one and name each
    wrong include of bad ones."""
    cases = [
        ({"compiler/sema/sema.h": '#include "compiler/ast/ast.h"\n',
          "compiler/ast/ast.h": '#include "compiler/ir/ir.h"\n#include "TopoLexer.h"\n',
          "compiler/ir/ir.h": "",
          "backends/b.cc": '#include "compiler/sema/sema.h"\n#include "thrift/gen-cpp/storm_types.h"\n',
          "cli/main.cc": '#include "backends/b.h"\n#include "lsp/server.h"\n',
          "backends/b.h": "", "lsp/server.h": '#include "compiler/ir/ir.h"\n',
          "compiler/sema/sema_test.cc": '#include "cli/main.h"\n',
          "tests/t.cc": '#include "cli/main.h"\n'},
         []),
        ({"compiler/ir/ir.h": "", "compiler/ast/ast.h": "",
          "compiler/ir/ir.cc": '#include "compiler/ir/ir.h"\n\n#include "compiler/ast/ast.h"\n'},
         ["compiler/ir/ir.cc:3: includes \"compiler/ast/ast.h\": compiler/ir/ may not include compiler/ast/"]),
        ({"compiler/ir/ir.h": "", "runtime/r.h": "",
          "compiler/ir/ir.cc": '#include "runtime/r.h"\n'},
         ["compiler/ir/ir.cc:1: includes \"runtime/r.h\": compiler/ may not include runtime/"]),
        ({"runtime/r.h": "", "deploy/d.cc": '#include "runtime/r.h"\n'},
         ["deploy/d.cc:1: includes \"runtime/r.h\": deploy/ may not include runtime/"]),
        ({"newstage/x.cc": '#include "compiler/ir/ir.h"\n', "compiler/ir/ir.h": ""},
         ["newstage/x.cc:1: includes \"compiler/ir/ir.h\": the folder newstage/ has no layer"]),
        ({"backends/a.h": '#include "backends/b.h"\n', "backends/b.h": '#include "backends/c.h"\n',
          "backends/c.h": '\n#include "backends/a.h"\n'},
         ["backends/a.h:1: an include cycle: backends/a.h:1 includes backends/b.h; "
          "backends/b.h:1 includes backends/c.h; backends/c.h:2 includes backends/a.h"]),
    ]
    failures = 0
    for files, expected in cases:
        with tempfile.TemporaryDirectory() as root:
            for path, text in files.items():
                os.makedirs(os.path.join(root, os.path.dirname(path)), exist_ok=True)
                with open(os.path.join(root, path), "w") as f:
                    f.write(text)
            got = check(root)
        ok = len(got) == len(expected) and all(g.startswith(e) for g, e in zip(got, expected))
        if not ok:
            failures += 1
            print("self-test: for %s\n  expected %s\n  got      %s" % (sorted(files), expected, got))
    if failures:
        return 1
    print("include rules self-test: %d cases pass" % len(cases))
    return 0


def main(argv):
    if argv[1:] == ["--self-test"]:
        return self_test()
    if len(argv) != 2 or not os.path.isdir(argv[1]):
        print("usage: include_rules_test.py SOURCE_DIR | --self-test", file=sys.stderr)
        return 2
    problems = check(argv[1])
    for p in problems:
        print(p)
    if problems:
        print("%d include rule(s) broken; the rules are in tests/include_rules_test.py "
              "and docs/internals.md" % len(problems))
        return 1
    print("include rules hold")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
