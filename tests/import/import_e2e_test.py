"""End-to-end tests of `topoc import`.

Usage: import_e2e_test.py TOPOC SOURCE_DIR

  * a seed-layout project (tests/import/seed: topologies/sentences.clj in
    streamparse.specs' Clojure DSL, the seed's config.json and project.clj)
    and a streamparse 4 project (tests/import/sp4: topologies/wordcount.py
    with Topology, Spout.spec, Grouping, Stream, ShellBolt, JavaSpout) are
    imported; `topoc build -t thrift -t json` of the result gives the same
    StormTopology bytes and IR as the .topo written by hand for the same
    topology (expected/*.topo);
  * the imported seed project runs (`topoc run`, every bolt executes);
  * config.json is never rewritten; streamparse keys topoc does not use are
    named;
  * `topoc build -t clojure` of an imported .clj (streamparse dialect on
    Storm 0.9, and Storm's own dialect) imports back to the same .topo;
  * errors: file:line:col and nothing written (exit 1), a failing Python
    module's traceback (exit 1), existing .topo files kept without --force,
    usage and I/O problems (exit 2).
"""
import filecmp
import json
import os
import shutil
import subprocess
import sys
import tempfile

TOPOC = os.path.abspath(sys.argv[1])
SRC = os.path.abspath(sys.argv[2])
HERE = os.path.join(SRC, "tests", "import")
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what)


def topoc(*args, cwd=None, env=None):
    e = dict(os.environ)
    e.update(env or {})
    return subprocess.run([TOPOC, *args], capture_output=True, text=True, cwd=cwd, env=e)


def read(path, mode="r"):
    with open(path, mode) as fh:
        return fh.read()


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as fh:
        fh.write(text)


def without_header(text):
    return "\n".join(line for line in text.splitlines() if not line.startswith("// Imported by"))


def build(what, out):
    r = topoc("build", what, "-t", "thrift", "-t", "json", "--out", out)
    check(r.returncode == 0, f"build {what}: {r.returncode} {r.stderr}")
    return r


def same_build(project, expected_topo, name, tmp):
    """The imported project and the hand-written .topo build alike."""
    a = os.path.join(tmp, "built-import-" + name)
    b = os.path.join(tmp, "built-hand-" + name)
    build(project, a)
    build(expected_topo, b)
    for f in (name + ".stormtopology", name + ".ir.json"):
        pa, pb = os.path.join(a, f), os.path.join(b, f)
        check(os.path.exists(pa) and os.path.exists(pb), f"{name}: {f} built")
        if os.path.exists(pa) and os.path.exists(pb):
            check(read(pa, "rb") == read(pb, "rb"), f"{name}: {f} of the import equals the hand-written one's")
    dump = topoc("dump", os.path.join(a, name + ".stormtopology"))
    check(dump.returncode == 0, f"dump {name}: {dump.stderr}")
    return json.loads(dump.stdout) if dump.returncode == 0 else {}


def seed_project(tmp):
    proj = os.path.join(tmp, "seed")
    shutil.copytree(os.path.join(HERE, "seed"), proj, ignore=shutil.ignore_patterns("expected"))
    shutil.copytree(os.path.join(SRC, "examples", "sentences", "src"), os.path.join(proj, "src"))
    config_before = read(os.path.join(proj, "config.json"), "rb")
    r = topoc("import", cwd=proj)
    check(r.returncode == 0, f"seed import: {r.returncode} {r.stderr}")
    topo = os.path.join(proj, "topologies", "sentences.topo")
    check(os.path.exists(topo), "seed: topologies/sentences.topo written")
    check("topologies/sentences.clj -> topologies/sentences.topo" in r.stderr, f"seed: progress line: {r.stderr}")
    check(read(os.path.join(proj, "config.json"), "rb") == config_before, "seed: config.json untouched")
    check("\"library\" is not used by topoc" in r.stderr, f"seed: library key named: {r.stderr}")
    text = read(topo)
    check(text.startswith("// Imported by `topoc import` from topologies/sentences.clj.\ntopology sentences {\n"),
          f"seed: header: {text[:120]}")
    check("    spout sentence-spout-1 = python \"spouts.SentenceSpout\" {\n        output (sentence)\n"
          "        parallelism 2\n    }\n" in text, f"seed: layout:\n{text}")
    check(topoc("check", cwd=proj).returncode == 0, "seed: topoc check passes on the imported project")
    t = same_build(proj, os.path.join(HERE, "seed", "expected", "sentences.topo"), "sentences", tmp)
    if t:
        check(sorted(t["spouts"]) == ["sentence-spout-1", "sentence-spout-2"], "seed: spout ids")
        check(sorted(t["bolts"]) == ["error-log", "sentence-splitter", "word-count-saver", "word-counter"],
              "seed: bolt ids")
        splitter = t["bolts"]["sentence-splitter"]["common"]
        check(splitter["parallelism_hint"] == 2, "seed: splitter parallelism")
        check(splitter["streams"]["errors"]["output_fields"] == ["sentence", "reason"], "seed: errors stream")
        counter = t["bolts"]["word-counter"]["common"]
        check(counter["json_conf"] == {"topology.tick.tuple.freq.secs": 10}, f"seed: counter conf {counter}")
        check(counter["inputs"][0]["grouping"] == {"fields": ["word"]}, f"seed: fields grouping {counter}")
    # The imported project runs as it is (its components unchanged).
    run = topoc("run", "--time", "3", cwd=proj)
    check(run.returncode == 0 and "0 problem(s)" in run.stdout, f"seed: topoc run: {run.returncode} {run.stdout} {run.stderr}")
    for line in run.stdout.splitlines():
        cols = line.split()
        if len(cols) == 8 and cols[1] == "bolt":
            check(int(cols[4]) > 0, f"seed run: bolt {cols[0]} executed tuples: {line}")
    # Importing again gives the same file, which is then left alone.
    again = topoc("import", proj)
    check(again.returncode == 0, f"seed: second import: {again.stderr}")
    check(read(topo) == text, "seed: second import identical")

    # Round trip through the clojure backend, both dialects.
    for dialect, extra in (("streamparse", ["--storm-version", "0.9"]), ("storm", [])):
        out = os.path.join(tmp, "clj-" + dialect)
        r = topoc("build", topo, "-t", "clojure", "--opt", "dialect=" + dialect, "--out", out, *extra)
        check(r.returncode == 0, f"build -t clojure {dialect}: {r.stderr}")
        back = os.path.join(tmp, "back-" + dialect)
        r = topoc("import", os.path.join(out, "topologies", "sentences.clj"), "--out", back)
        check(r.returncode == 0, f"re-import of the {dialect} clojure: {r.returncode} {r.stderr}")
        path = os.path.join(back, "sentences.topo")
        if os.path.exists(path):
            check(without_header(read(path)) == without_header(text),
                  f"{dialect} clojure reads back to the same topology:\n{read(path)}")


def sp4_project(tmp):
    proj = os.path.join(tmp, "sp4")
    shutil.copytree(os.path.join(HERE, "sp4"), proj, ignore=shutil.ignore_patterns("expected", "__pycache__"))
    config_before = read(os.path.join(proj, "config.json"), "rb")
    r = topoc("import", proj, "--python", "/usr/bin/python3")
    check(r.returncode == 0, f"sp4 import: {r.returncode} {r.stderr}")
    topo = os.path.join(proj, "topologies", "wordcount.topo")
    check(os.path.exists(topo), "sp4: topologies/wordcount.topo written")
    check(read(os.path.join(proj, "config.json"), "rb") == config_before, "sp4: config.json untouched")
    for key in ("\"envs.prod.ssh_password\" is not used", "\"envs.prod.log.file\" is not used"):
        check(key in r.stderr, f"sp4: config note {key}: {r.stderr}")
    check("use_ssh_for_nimbus" not in r.stderr and "virtualenv_flags" not in r.stderr
          and "serializer" not in r.stderr, f"sp4: keys topoc reads are not named: {r.stderr}")
    t = same_build(proj, os.path.join(HERE, "sp4", "expected", "wordcount.topo"), "wordcount", tmp)
    if t:
        check(sorted(t["spouts"]) == ["kafka-words", "word_spout"], f"sp4: spout ids {sorted(t['spouts'])}")
        count = t["bolts"]["count_bolt"]["common"]
        check(count["parallelism_hint"] == 4, "sp4: par 4")
        check(count["json_conf"] == {"topology.tick.tuple.freq.secs": 10, "topology.tasks": 8},
              f"sp4: count conf {count['json_conf']}")
        audit = t["bolts"]["audit"]["common"]
        check(audit["streams"]["control"]["direct"] is True, "sp4: direct stream")
    # "serializer": "msgpack" becomes each topology's multilang serializer.
    mp = os.path.join(tmp, "sp4-msgpack")
    shutil.copytree(proj, mp)
    os.remove(os.path.join(mp, "topologies", "wordcount.topo"))
    conf = json.loads(read(os.path.join(mp, "config.json")))
    conf["serializer"] = "msgpack"
    write(os.path.join(mp, "config.json"), json.dumps(conf))
    r = topoc("import", mp)
    check(r.returncode == 0 and "\"serializer\": \"msgpack\" is written as" in r.stderr, f"msgpack: {r.stderr}")
    check("topology.multilang.serializer: \"org.apache.storm.multilang.MsgpackSerializer\"\n"
          in read(os.path.join(mp, "topologies", "wordcount.topo")), "msgpack: in the topology config")
    conf["serializer"] = "pickle"
    write(os.path.join(mp, "config.json"), json.dumps(conf))
    r = topoc("import", mp, "--out", os.path.join(tmp, "sp4-pickle"))
    check(r.returncode == 0 and "\"serializer\": \"pickle\" is not supported" in r.stderr, f"pickle: {r.stderr}")
    # TOPOC_PYTHON picks the interpreter too; a .py given alone.
    r = topoc("import", os.path.join(proj, "topologies", "wordcount.py"), "--out", os.path.join(tmp, "sp4-out"),
              env={"TOPOC_PYTHON": "/usr/bin/python3"})
    check(r.returncode == 0, f"sp4: file import: {r.stderr}")
    out = os.path.join(tmp, "sp4-out", "wordcount.topo")
    check(os.path.exists(out) and read(out) == read(topo), "sp4: file import equals project import")


def errors(tmp):
    proj = os.path.join(tmp, "bad")
    write(os.path.join(proj, "config.json"), "{}\n")
    good = '(defn a [o] [{"s" (python-spout-spec o "spouts.S" ["x"])} {}])\n'
    write(os.path.join(proj, "topologies", "a.clj"), good)
    write(os.path.join(proj, "topologies", "b.clj"),
          '(ns b)\n(defn b [options]\n  (let [n 2]\n    [{"s" (python-spout-spec options "spouts.S" ["x"] :p n)} {}]))\n')
    r = topoc("import", proj)
    check(r.returncode == 1, f"let: exit {r.returncode}")
    check("topologies/b.clj:3:3: error: the topology is computed by code" in r.stderr, f"let: message {r.stderr}")
    check("\n3 |   (let [n 2]\n  |   ^\n" in r.stderr, f"let: the line and a caret: {r.stderr}")
    check(not os.path.exists(os.path.join(proj, "topologies", "a.topo")), "let: nothing written (not even a.topo)")

    os.remove(os.path.join(proj, "topologies", "b.clj"))
    write(os.path.join(proj, "topologies", "c.py"), "import no_such_module\n")
    r = topoc("import", proj)
    check(r.returncode == 1, f"py import error: exit {r.returncode}")
    check("Traceback" in r.stderr and "no_such_module" in r.stderr, f"py import error: traceback {r.stderr}")
    check("c.py\", line 1, in <module>" in r.stderr and "record.py" not in r.stderr,
          f"py import error: the user's frames only: {r.stderr}")
    check(not os.path.exists(os.path.join(proj, "topologies", "a.topo")), "py error: nothing written")

    write(os.path.join(proj, "topologies", "c.py"),
          "from streamparse import Spout, Topology\n\nclass S(Spout):\n    outputs = ['x']\n\n"
          "class T(Topology):\n    s = S.spec()\n    t = S.spec(inputs=[s])\n")
    r = topoc("import", proj)
    check(r.returncode == 1 and "c.py:8: error: a spout takes no inputs" in r.stderr,
          f"spout inputs: {r.returncode} {r.stderr}")
    check("Traceback" not in r.stderr, "a refused spec is a message, not a traceback")

    write(os.path.join(proj, "topologies", "c.py"), "x = 1\n")
    r = topoc("import", proj)
    check(r.returncode == 1 and "c.py: error: no streamparse Topology subclass" in r.stderr, f"no topology: {r.stderr}")

    # The compiler's check of the written .topo: a one-part python class.
    os.remove(os.path.join(proj, "topologies", "c.py"))
    write(os.path.join(proj, "topologies", "d.clj"), '(defn d [o] [{"s" (python-spout-spec o "Spout" ["x"])} {}])\n')
    r = topoc("import", proj)
    check(r.returncode == 1 and "E0311" in r.stderr and "topologies/d.topo" in r.stderr and "nothing was written" in r.stderr,
          f"check error: {r.returncode} {r.stderr}")
    check(not os.path.exists(os.path.join(proj, "topologies", "a.topo")), "check error: nothing written")
    os.remove(os.path.join(proj, "topologies", "d.clj"))

    # An existing, different .topo is kept unless --force.
    write(os.path.join(proj, "topologies", "a.topo"), "// mine\n")
    r = topoc("import", proj)
    check(r.returncode == 2 and "--force" in r.stderr, f"exists: {r.returncode} {r.stderr}")
    check(read(os.path.join(proj, "topologies", "a.topo")) == "// mine\n", "exists: kept")
    r = topoc("import", proj, "--force")
    check(r.returncode == 0 and "spout s = python" in read(os.path.join(proj, "topologies", "a.topo")),
          f"--force: {r.returncode} {r.stderr}")

    # Two sources for one .topo.
    write(os.path.join(proj, "topologies", "a.py"), "x = 1\n")
    r = topoc("import", proj)
    check(r.returncode == 2 and "would both be written to" in r.stderr, f"clash: {r.returncode} {r.stderr}")
    os.remove(os.path.join(proj, "topologies", "a.py"))

    # The module runs from the project's root, as `sparse` ran it.
    write(os.path.join(proj, "src", "comps.py"), "from streamparse import Spout\n\nclass S(Spout):\n    outputs = ['x']\n")
    write(os.path.join(proj, "topologies", "r.py"),
          "from streamparse import Topology\nfrom comps import S\n\nPAR = len(open('config.json').read())\n\n"
          "class R(Topology):\n    s = S.spec(par=PAR)\n")
    r = topoc("import", proj, cwd=tmp)
    check(r.returncode == 0 and "parallelism 3" in read(os.path.join(proj, "topologies", "r.topo")),
          f"cwd is the project root: {r.returncode} {r.stderr}")
    os.remove(os.path.join(proj, "topologies", "r.py"))

    # Usage and I/O.
    r = topoc("import", os.path.join(tmp, "missing.clj"))
    check(r.returncode == 2 and "does not exist" in r.stderr, f"missing: {r.stderr}")
    write(os.path.join(tmp, "x.txt"), "")
    r = topoc("import", os.path.join(tmp, "x.txt"))
    check(r.returncode == 2 and "neither a .clj nor a .py" in r.stderr, f"txt: {r.stderr}")
    empty = os.path.join(tmp, "empty")
    os.makedirs(os.path.join(empty, "topologies"))
    r = topoc("import", empty)
    check(r.returncode == 2 and "no .clj or .py topologies" in r.stderr, f"empty: {r.stderr}")
    r = topoc("import", os.path.join(proj, "topologies", "a.clj"), "--python", "/nonexistent/python")
    check(r.returncode == 0, "a .clj needs no python")
    write(os.path.join(tmp, "p", "t.py"), "x = 1\n")
    r = topoc("import", os.path.join(tmp, "p", "t.py"), "--python", "/nonexistent/python")
    check(r.returncode == 2 and "/nonexistent/python" in r.stderr, f"bad python: {r.returncode} {r.stderr}")


with tempfile.TemporaryDirectory() as tmp:
    seed_project(tmp)
    sp4_project(tmp)
    errors(tmp)

if failures:
    print(f"{len(failures)} failure(s)")
    sys.exit(1)
print("import e2e: ok")
