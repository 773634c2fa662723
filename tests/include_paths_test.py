#!/usr/bin/env python3
"""The build's own side of the include rules (docs/internals.md, "Libraries
per stage"): each library's include path shows only the folders the rules
let its sources include, so a wrong-way #include does not compile.

    include_paths_test.py TARGETS_JSON

TARGETS_JSON is written by tests/CMakeLists.txt at generate time: the
source and build folders, the C++ compiler, and every target with its
source files and its whole include path (its own and what it links).
Two checks:

1. For every library and program whose sources all sit in one stage or
   layer (programs built from tests/, fuzz/ or bench/ may include
   anything), no folder outside that stage's rules in
   tests/include_rules_test.py can be reached through an include directory.
2. The compiler itself, with topoc_ir's include path, refuses
   #include "compiler/sema/sema.h" (not found) while it accepts
   "compiler/ir/ir.h"; with topoc_sema's path the same sema include works.

Exit status 0 when both hold, 1 with one line per problem.
"""

import json
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import include_rules_test as rules  # noqa: E402

failures = []


def fail(message):
    failures.append(message)
    print("FAIL:", message)


def folders():
    """Every folder the rules know: the layers and compiler/<stage>."""
    out = [f for f in list(rules.LAYERS) + sorted(rules.ANYTHING) if f != "compiler"]
    return out + ["compiler/" + s for s in rules.STAGES]


def allowed(unit):
    """The folders a source of `unit` ('compiler/ir', 'runtime') may include."""
    layer, _, stage = unit.partition("/")
    layers = rules.LAYER_ALLOWED[layer]
    out = set()
    for f in folders():
        f_layer, _, f_stage = f.partition("/")
        if f_layer == "compiler" and layer == "compiler":
            if f_stage in rules.STAGE_ALLOWED[stage]:
                out.add(f)
        elif f_layer in layers:
            out.add(f)
    return out


def unit_of(path):
    """The stage or layer of a repository path ('compiler/ir', 'runtime');
    '' for a unit test beside its code, None for tests/, fuzz/ and bench/."""
    layer, stage = rules.unit_of(path)
    if layer in rules.ANYTHING:
        return None
    if os.path.basename(path).endswith(("_test.cc", "_testing.h")):
        return ""
    return layer + "/" + stage if stage else layer


def ours(d, roots):
    """Whether include directory `d` lies in the source or build tree (system
    folders such as /usr/include/thrift are not topoc's)."""
    d = os.path.realpath(d)
    return any(d == r or d.startswith(r + os.sep) for r in roots)


def check_paths(targets, src, build):
    before, checked = len(failures), 0
    for t in targets:
        units = set()
        for source in t["sources"]:
            path = os.path.realpath(os.path.join(t["source_dir"], source))
            if ours(path, (build,)) or not ours(path, (src,)) or not path.endswith(".cc"):
                continue  # generated in the build tree
            rel = os.path.relpath(path, src)
            units.add(unit_of(rel))
        # Test programs may include anything; a unit test compiled into a
        # library or program is held to that target's path like the rest.
        units.discard("")
        if len(units) != 1 or None in units:
            continue
        unit = units.pop()
        if unit.partition("/")[0] not in rules.LAYERS:
            continue
        checked += 1
        ok = allowed(unit)
        for d in t["include_dirs"]:
            if not ours(d, (src, build)):
                continue
            for f in folders():
                if os.path.isdir(os.path.join(d, f)) and f not in ok:
                    fail("%s (%s/): its include path %s shows %s/, which %s/ may not include"
                         % (t["name"], unit, d, f, unit))
    if checked < 10:
        fail("only %d targets were checked; is %s the full list?" % (checked, sys.argv[1]))
    if len(failures) == before:
        print("include paths of %d targets hold the include rules" % checked)


def preprocess(cxx, include_dirs, header):
    """(exit status, stderr) of the compiler preprocessing one #include."""
    with tempfile.TemporaryDirectory() as tmp:
        probe = os.path.join(tmp, "probe.cc")
        with open(probe, "w") as f:
            f.write('#include "%s"\n' % header)
        cmd = [cxx, "-std=c++20", "-E", "-o", os.devnull, probe]
        cmd += ["-I" + d for d in include_dirs]
        p = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        return p.returncode, p.stderr


def check_compiler(targets, cxx):
    by_name = {t["name"]: t for t in targets}
    for name in ("topoc_ir", "topoc_sema"):
        if name not in by_name:
            fail("no target %s in %s" % (name, sys.argv[1]))
            return
    before = len(failures)
    ir, sema = by_name["topoc_ir"]["include_dirs"], by_name["topoc_sema"]["include_dirs"]
    rc, err = preprocess(cxx, ir, "compiler/ir/ir.h")
    if rc != 0:
        fail("topoc_ir's include path does not find compiler/ir/ir.h:\n" + err)
    rc, err = preprocess(cxx, ir, "compiler/sema/sema.h")
    if rc == 0 or "compiler/sema/sema.h" not in err or "No such file" not in err:
        fail("topoc_ir's include path finds compiler/sema/sema.h (exit %d):\n%s" % (rc, err))
    rc, err = preprocess(cxx, sema, "compiler/sema/sema.h")
    if rc != 0:
        fail("topoc_sema's include path does not find compiler/sema/sema.h:\n" + err)
    if len(failures) == before:
        print("the compiler refuses ir/ -> sema/ and accepts sema/ -> sema/")


def main(argv):
    if len(argv) != 2:
        print("usage: include_paths_test.py TARGETS_JSON", file=sys.stderr)
        return 2
    with open(argv[1]) as f:
        build = json.load(f)
    targets = build["targets"]
    for t in targets:
        t["sources"] = [s for s in t["sources"].split("|") if s]
        t["include_dirs"] = [d for d in t["include_dirs"].split("|") if d]
    check_paths(targets, os.path.realpath(build["source_dir"]), os.path.realpath(build["binary_dir"]))
    check_compiler(targets, build["cxx"])
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
