"""End-to-end tests of `topoc build` and `topoc graph` (text backends).

Usage: build_e2e_test.py TOPOC SOURCE_DIR
Set TOPOC_BLESS=1 to rewrite the golden trees under tests/build/e2e/.

Checks:
  * golden outputs of --target clojure,flux,dot,json for examples/wordcount,
    examples/sentences and tests/build/every-feature.topo, plus the seed's
    streamparse dialect on Storm 0.9 and a Storm 1.x build; for a project,
    the clojure target's _resources/resources/ also holds exactly the
    project's src/ and the streamparse runtime, byte for byte;
  * byte-identical rebuilds (every target, thrift included); a rebuild
    leaves outputs that did not change alone (mtimes kept) and rewrites
    the ones that did;
  * the Clojure files, read by Debian's `clojure` against recording DSL
    stand-ins, say what the JSON IR says; the Flux YAML loads with PyYAML
    and agrees with the JSON IR;
  * nothing is written on errors; exit codes 0 / 1 / 2; --check; --name;
  * `topoc graph` (dot text, svg through Graphviz, and the message when
    Graphviz is missing).
"""
import filecmp
import json
import os
import shutil
import subprocess
import sys
import tempfile

import yaml

TOPOC = os.path.abspath(sys.argv[1])
SRC = os.path.abspath(sys.argv[2])
BLESS = os.environ.get("TOPOC_BLESS") == "1"
GOLDEN = os.path.join(SRC, "tests", "build", "e2e")
HARNESS = os.path.join(SRC, "backends", "clojure", "testdata", "record_dsl.clj")
TEXT_TARGETS = ["-t", "clojure", "-t", "flux", "-t", "dot", "-t", "json"]
CASES = {
    "wordcount": os.path.join(SRC, "examples", "wordcount"),
    "sentences": os.path.join(SRC, "examples", "sentences"),
    "every-feature": os.path.join(SRC, "tests", "build", "every-feature.topo"),
}
# Golden cases: name -> (input, extra build arguments).
GOLDEN_CASES = {
    "wordcount": (CASES["wordcount"], TEXT_TARGETS),
    "sentences": (CASES["sentences"], TEXT_TARGETS),
    "every-feature": (CASES["every-feature"], TEXT_TARGETS),
    # The seed's streamparse form on the seed's Storm line.
    "wordcount-streamparse-0.9": (CASES["wordcount"], ["-t", "clojure", "--storm-version", "0.9",
                                                       "--opt", "clojure.dialect=streamparse"]),
    "sentences-1.x": (CASES["sentences"], ["-t", "clojure", "-t", "flux", "--storm-version", "1.x",
                                           "--python", "/opt/venv/bin/python"]),
}

failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what)


def topoc(*args, env=None):
    return subprocess.run([TOPOC, *args], capture_output=True, text=True, env=env)


def tree(root):
    out = {}
    for dirpath, _, files in os.walk(root):
        for f in files:
            p = os.path.join(dirpath, f)
            with open(p, "rb") as fh:
                out[os.path.relpath(p, root)] = fh.read()
    return out


RESOURCES = os.path.join("_resources", "resources") + os.sep
RUNTIME = os.path.join(SRC, "stdlib", "python")


def copied_resources(project):
    """What `topoc build -t clojure` of a project copies for `lein jar`
    (the jar's resources/ as topoc submit fills it, launchers aside): the
    project's src/ tree and the streamparse runtime, minus caches."""
    want = {}
    for base, prefix in ((os.path.join(project, "src"), ""),
                         (os.path.join(RUNTIME, "streamparse"), "streamparse" + os.sep)):
        for dirpath, dirnames, files in os.walk(base):
            dirnames[:] = [d for d in dirnames if d != "__pycache__"]
            for f in files:
                if f.endswith((".pyc", ".pyo")):
                    continue
                p = os.path.join(dirpath, f)
                with open(p, "rb") as fh:
                    want[RESOURCES + prefix + os.path.relpath(p, base)] = fh.read()
    return want


def split_copies(files):
    """Generated outputs apart from the copies of src/ and the runtime
    (those are checked against their sources, not kept as goldens)."""
    generated = {f: b for f, b in files.items()
                 if not f.startswith(RESOURCES) or f.startswith(RESOURCES + "_topoc" + os.sep)}
    copies = {f: b for f, b in files.items() if f not in generated}
    return generated, copies


def golden(tmp):
    for name, (path, extra) in GOLDEN_CASES.items():
        out = os.path.join(tmp, "golden-" + name)
        r = topoc("build", path, *extra, "-o", out)
        check(r.returncode == 0, f"{name}: build failed: {r.stderr}")
        got, copies = split_copies(tree(out))
        if os.path.isdir(path):  # a project: its src/ and the runtime are copied for lein
            check(copies == copied_resources(path),
                  f"{name}: _resources/resources/ is not src/ + the streamparse runtime: "
                  f"{sorted(set(copies) ^ set(copied_resources(path)))}")
        else:
            check(not copies, f"{name}: resources copied for a lone .topo file: {sorted(copies)}")
        want_dir = os.path.join(GOLDEN, name)
        if BLESS:
            shutil.rmtree(want_dir, ignore_errors=True)
            for f, b in got.items():
                os.makedirs(os.path.dirname(os.path.join(want_dir, f)), exist_ok=True)
                with open(os.path.join(want_dir, f), "wb") as fh:
                    fh.write(b)
            continue
        want = tree(want_dir)
        check(sorted(got) == sorted(want),
              f"{name}: file list differs: {sorted(set(got) ^ set(want))}")
        for f in sorted(set(got) & set(want)):
            check(got[f] == want[f], f"{name}: {f} differs from {os.path.join(want_dir, f)} "
                  "(TOPOC_BLESS=1 rewrites)")


def rebuild(tmp):
    for name in ("wordcount", "sentences"):
        a, b = os.path.join(tmp, "a-" + name), os.path.join(tmp, "b-" + name)
        for out in (a, b):
            r = topoc("build", CASES[name], "-t", "all", "-o", out)
            check(r.returncode == 0, f"{name}: build -t all failed: {r.stderr}")
        ta, tb = tree(a), tree(b)
        check(ta == tb and len(ta) > 5, f"{name}: rebuild is not byte-identical")
        check(any(f.endswith(".stormtopology") for f in ta), f"{name}: no thrift output")


def unchanged_outputs(tmp):
    out = os.path.join(tmp, "unchanged")
    r = topoc("build", CASES["wordcount"], "-t", "all", "-o", out)
    check(r.returncode == 0, f"first build failed: {r.stderr}")
    files = sorted(tree(out))
    old = 1_000_000_000  # 2001: any mtime a real write would replace
    for f in files:
        os.utime(os.path.join(out, f), (old, old))
    r = topoc("build", CASES["wordcount"], "-t", "all", "-o", out)
    check(r.returncode == 0, f"rebuild failed: {r.stderr}")
    check(f"{len(files)} of {len(files)} already up to date" in r.stderr,
          f"rebuild does not say every file is up to date: {r.stderr!r}")
    touched = [f for f in files if os.stat(os.path.join(out, f)).st_mtime != old]
    check(not touched, f"rebuild rewrote unchanged outputs: {touched}")
    # A damaged output (same size and a different one) is rewritten; only it.
    clj = next(f for f in files if f.endswith(".clj") and f.startswith("topologies"))
    with open(os.path.join(out, clj), "r+b") as fh:
        fh.write(b"X")  # the file starts with a comment: now it does not
    yaml_file = next(f for f in files if f.endswith(".yaml"))
    with open(os.path.join(out, yaml_file), "ab") as fh:
        fh.write(b"# local edit\n")
    r = topoc("build", CASES["wordcount"], "-t", "all", "-o", out)
    check(r.returncode == 0, f"third build failed: {r.stderr}")
    check(f"{len(files) - 2} of {len(files)} already up to date" in r.stderr,
          f"third build's summary: {r.stderr!r}")
    touched = sorted(f for f in files if os.stat(os.path.join(out, f)).st_mtime != old)
    check(touched == sorted([clj, yaml_file]), f"rewrote {touched}, expected {clj} and {yaml_file}")
    fresh = os.path.join(tmp, "unchanged-fresh")
    topoc("build", CASES["wordcount"], "-t", "all", "-o", fresh)
    check(tree(out) == tree(fresh), "the rewritten outputs differ from a fresh build")
    # An output whose place a folder holds: exit 2 naming it, no crash.
    blocked = os.path.join(tmp, "blocked")
    os.makedirs(os.path.join(blocked, clj))
    r = topoc("build", CASES["wordcount"], "-t", "clojure", "-o", blocked)
    check(r.returncode == 2 and f"cannot write '{os.path.join(blocked, clj)}'" in r.stderr,
          f"an output blocked by a folder: {r.returncode} {r.stderr!r}")


def grouping_of(g):
    """JSON-IR grouping -> what record_dsl.clj reports."""
    kind = g["kind"]
    if kind == "fields":
        return {"kind": "fields", "fields": g["fields"]}
    if kind == "partial-key":
        return {"kind": "partial-key", "fields": g["fields"]}
    if kind == "custom":
        return {"kind": "custom", "class": g["class"],
                "args": [{"type": a["type"], "value": a["value"]} for a in g["args"]]}
    return {"kind": kind}


def recorded_grouping(g):
    if g["kind"] == "partial-key":
        return {"kind": "partial-key", "fields": g["fields"]}
    if g["kind"] == "custom":
        return {"kind": "custom", "class": g["class"], "args": [a["arg"] for a in g["args"]]}
    return g


def clojure_agrees_with_ir(tmp):
    if shutil.which("clojure") is None:
        print("skip: clojure not installed")
        return
    out = os.path.join(tmp, "golden-every-feature")
    files = sorted(os.path.join(out, "topologies", f) for f in os.listdir(os.path.join(out, "topologies")))
    r = subprocess.run(["clojure", HARNESS, *files], capture_output=True, text=True)
    check(r.returncode == 0, f"clojure failed: {r.stderr[-2000:]}")
    if r.returncode != 0:
        return
    for rec in json.loads(r.stdout):
        with open(os.path.join(out, rec["name"] + ".ir.json")) as f:
            ir = json.load(f)
        conf = dict(ir["config"], **{"topology.name": ir["name"]})
        check(rec["config"] == conf, f"{ir['name']}: clojure config differs")
        for c in ir["components"]:
            where = rec["spouts" if c["role"] == "spout" else "bolts"]
            r_c = where.get(c["id"])
            check(r_c is not None, f"{c['id']}: missing in clojure")
            if r_c is None:
                continue
            check(r_c.get("p", 1) == c["parallelism"], f"{c['id']}: parallelism")
            want_conf = dict(c["config"])
            if c["tasks"] is not None:
                want_conf["topology.tasks"] = c["tasks"]
            check(r_c.get("conf", {}) == want_conf, f"{c['id']}: conf {r_c.get('conf')} != {want_conf}")
            if c["kind"] == "java":
                check(r_c["object"]["java-new"] == c["java_class"], f"{c['id']}: java class")
                check(r_c["object"]["args"] == c["java_args"], f"{c['id']}: java args")
            else:
                cmd = (["python3", "_topoc/" + c["python_class"] + ".py"]
                       if c["kind"] == "python" else c["shell_command"])
                check(r_c["command"] == cmd, f"{c['id']}: command")
                want_out = {s["id"]: {"fields": s["fields"], "direct": s["direct"]} for s in c["streams"]}
                check(r_c["outputs"] == want_out, f"{c['id']}: outputs")
            got_in = {(i["component"], i["stream"]): recorded_grouping(i["grouping"])
                      for i in r_c.get("inputs", [])}
            want_in = {(i["component"], i["stream"]): grouping_of(i["grouping"]) for i in c["inputs"]}
            check(got_in == want_in, f"{c['id']}: inputs {got_in} != {want_in}")


def flux_agrees_with_ir(tmp):
    out = os.path.join(tmp, "golden-every-feature")
    for name in ("every-feature", "second"):
        with open(os.path.join(out, name + ".flux.yaml")) as f:
            y = yaml.safe_load(f)
        with open(os.path.join(out, name + ".ir.json")) as f:
            ir = json.load(f)
        check(y["name"] == ir["name"], "flux name")
        check(y.get("config", {}) == ir["config"], f"{name}: flux config")
        defs = {d["id"]: d for d in y["spouts"] + y["bolts"]}
        check(set(defs) == {c["id"] for c in ir["components"]}, f"{name}: flux components")
        streams = {(s["from"], s["to"], s["grouping"]["streamId"]): s["grouping"] for s in y["streams"]}
        n = 0
        for c in ir["components"]:
            check(defs[c["id"]]["parallelism"] == c["parallelism"], f"{c['id']}: flux parallelism")
            for i in c["inputs"]:
                n += 1
                g = streams.get((i["component"], c["id"], i["stream"]))
                check(g is not None, f"{c['id']}: flux stream from {i['component']}")
                if g is None:
                    continue
                kind = i["grouping"]["kind"]
                want = {"partial-key": "CUSTOM", "custom": "CUSTOM"}.get(
                    kind, kind.upper().replace("-", "_"))
                check(g["type"] == want, f"{c['id']}: flux grouping {g['type']} != {want}")
        check(len(streams) == n, f"{name}: flux stream count")


def errors(tmp):
    bad = os.path.join(tmp, "bad.topo")
    with open(bad, "w") as f:
        f.write("topology t {\n  spout s = python \"spouts.S\" { output (x) }\n"
                "  bolt b = python \"bolts.B\" { input sx shuffle }\n}\n")
    out = os.path.join(tmp, "bad-out")
    r = topoc("build", bad, "-t", "all", "-o", out)
    check(r.returncode == 1, f"bad input: exit {r.returncode}, want 1")
    check("error[E0201]" in r.stderr, f"bad input: no E0201 in {r.stderr!r}")
    check(not os.path.exists(out), "bad input: output folder was written")

    r = topoc("build", bad, "--check")
    check(r.returncode == 1, "--check on bad input: want exit 1")
    r = topoc("build", bad, "--check", "--format", "json")
    check(r.returncode == 1 and json.loads(r.stdout.splitlines()[0])["code"] == "E0201",
          f"--check --format json: {r.stdout!r}")

    good_out = os.path.join(tmp, "check-out")
    r = topoc("build", CASES["wordcount"], "--check", "-o", good_out)
    check(r.returncode == 0 and not os.path.exists(good_out), "--check on good input")

    # A backend error (flux on Storm 0.9; partial-key in clojure on 0.9) writes nothing.
    out = os.path.join(tmp, "v09")
    r = topoc("build", CASES["every-feature"], "-t", "json", "-t", "flux", "-t", "clojure",
              "--storm-version", "0.9", "-o", out)
    check(r.returncode == 1, f"0.9 flux: exit {r.returncode}")
    check("E0503" in r.stderr and "E0501" in r.stderr, f"0.9: {r.stderr!r}")
    check(not os.path.exists(out), "0.9: output folder was written")

    r = topoc("build", CASES["wordcount"], "-t", "json", "--name", "nope", "-o", out)
    check(r.returncode == 1 and "E0504" in r.stderr, f"--name nope: {r.returncode} {r.stderr!r}")
    r = topoc("build", CASES["wordcount"], "-t", "clojure", "--opt", "colour=red", "-o", out)
    check(r.returncode == 1 and "E0502" in r.stderr, f"unknown --opt: {r.stderr!r}")
    check(not os.path.exists(out), "backend errors: output folder was written")

    for args in (["--opt", "novalue"], ["-t", "bogus"], ["--storm-version", "3.x"]):
        r = topoc("build", CASES["wordcount"], *args, "-o", out)
        check(r.returncode == 2, f"usage {args}: exit {r.returncode}, want 2")
    r = topoc("build", os.path.join(tmp, "missing"))
    check(r.returncode == 2 and "does not exist" in r.stderr, "missing path")
    r = topoc("build", tmp)
    check(r.returncode == 2 and "no topoc project" in r.stderr, f"no project: {r.stderr!r}")

    # The default output folder is <project>/_build; scoped --opt reaches clojure only.
    proj = os.path.join(tmp, "proj")
    shutil.copytree(CASES["wordcount"], proj)
    r = topoc("build", proj, "-t", "clojure", "-t", "thrift", "--opt", "clojure.dialect=streamparse")
    check(r.returncode == 0, f"project build: {r.stderr}")
    with open(os.path.join(proj, "_build", "topologies", "wordcount.clj")) as f:
        check("(python-spout-spec" in f.read(), "clojure.dialect=streamparse not applied")
    check(os.path.exists(os.path.join(proj, "_build", "wordcount.stormtopology")), "thrift in _build")


def graph(tmp):
    r = topoc("graph", CASES["wordcount"])
    check(r.returncode == 0 and r.stdout.startswith("// Generated by topoc") and
          '"word-spout" -> "count-bolt"' in r.stdout, f"graph dot: {r.stderr}")
    r = topoc("graph", CASES["every-feature"])
    check(r.returncode == 2 and "--name" in r.stderr, "graph with two topologies needs --name")
    if shutil.which("dot"):
        svg = os.path.join(tmp, "g.svg")
        r = topoc("graph", CASES["every-feature"], "--name", "every-feature", "-f", "svg", "-o", svg)
        check(r.returncode == 0, f"graph svg: {r.stderr}")
        with open(svg) as f:
            check("<svg" in f.read(), "graph svg: not an svg")
    env = dict(os.environ, PATH="/nonexistent")
    r = topoc("graph", CASES["wordcount"], "-f", "png", "-o", os.path.join(tmp, "g.png"), env=env)
    check(r.returncode == 2 and "apt-get install graphviz" in r.stderr,
          f"graph without dot: {r.returncode} {r.stderr!r}")


def main():
    with tempfile.TemporaryDirectory(prefix="topoc_build_e2e_") as tmp:
        golden(tmp)
        if BLESS:
            print("blessed", GOLDEN)
            return 0
        rebuild(tmp)
        unchanged_outputs(tmp)
        clojure_agrees_with_ir(tmp)
        flux_agrees_with_ir(tmp)
        errors(tmp)
        graph(tmp)
    print(f"{len(failures)} failure(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
