#!/usr/bin/python3
"""End-to-end tests of `topoc quickstart`, and of the two example projects.

  * a new project has every file, the topology named after it, valid JSON
    config in the seed's format, Python that compiles, and the seed's output;
  * `topoc quickstart wordcount` is byte for byte examples/wordcount;
  * an existing path is never overwritten (exit 2, clear message);
  * bad names and a missing --dir are refused (exit 2), creating nothing;
  * `topoc check` passes on the new project and on both examples (skipped
    with a note while `topoc check` is still a placeholder).

Usage: quickstart_test.py TOPOC SOURCE_DIR
"""
import filecmp
import json
import os
import py_compile
import subprocess
import sys
import tempfile

TOPOC = os.path.abspath(sys.argv[1])
SOURCE_DIR = os.path.abspath(sys.argv[2])
EXAMPLES = os.path.join(SOURCE_DIR, "examples")
failures = []

EXPECTED_FILES = [
    ".gitignore", "config.json", "README.md",
    "src/bolts/__init__.py", "src/bolts/wordcount.py",
    "src/spouts/__init__.py", "src/spouts/words.py",
    "tests/test_{m}.py",
    "topologies/{n}.topo", "virtualenvs/{n}.txt",
]


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what)


def topoc(*args, cwd=None):
    p = subprocess.run([TOPOC, *args], cwd=cwd, capture_output=True, text=True, timeout=60)
    return p.returncode, p.stdout, p.stderr


def tree(root):
    """Relative paths of every file and folder under root."""
    out = set()
    for dirpath, dirnames, filenames in os.walk(root):
        rel = os.path.relpath(dirpath, root)
        for name in dirnames + filenames:
            out.add(os.path.normpath(os.path.join(rel, name)))
    return out


def check_new_project(tmp):
    rc, out, err = topoc("quickstart", "demo-app", "--dir", tmp)
    check(rc == 0, "quickstart demo-app exits 0 (rc=%d, stderr=%r)" % (rc, err))
    root = os.path.join(tmp, "demo-app")
    files = [f.format(n="demo-app", m="demo_app") for f in EXPECTED_FILES]
    for f in files:
        check(os.path.isfile(os.path.join(root, f)), "demo-app/%s created" % f)
        check(("create    %s/demo-app/%s" % (tmp, f)) in out, "'create' line printed for %s" % f)
    dirs = {"src", "src/bolts", "src/spouts", "tests", "topologies", "virtualenvs"}
    check(tree(root) == set(files) | dirs, "no other files: %r" % sorted(tree(root) - set(files) - dirs))
    check("cd %s/demo-app && topoc run" % tmp in out, "prints the next step: %r" % out)

    topo = open(os.path.join(root, "topologies/demo-app.topo")).read()
    check("topology demo-app {" in topo, "the topology is named after the project")
    check('python "spouts.words.WordSpout"' in topo and 'python "bolts.wordcount.WordCounter"' in topo,
          "the topology runs the seed's WordSpout and WordCounter")

    cfg = json.load(open(os.path.join(root, "config.json")))
    check(cfg.get("topology_specs") == "topologies/" and cfg.get("virtualenv_specs") == "virtualenvs/",
          "config.json names topology_specs and virtualenv_specs")
    prod = cfg.get("envs", {}).get("prod", {})
    for key in ("user", "nimbus", "workers", "log", "virtualenv_root"):
        check(key in prod, "config.json envs.prod has %s" % key)
    check(set(prod.get("log", {})) == {"path", "max_bytes", "backup_count", "level"},
          "envs.prod.log has path, max_bytes, backup_count, level")
    check(prod.get("log", {}).get("level") in ("critical", "error", "warning", "info", "debug"),
          "log level is one streamparse knows")

    gitignore = open(os.path.join(root, ".gitignore")).read().split()
    for pattern in ("_build/", "logs/", "*.pyc", "__pycache__/"):
        check(pattern in gitignore, ".gitignore ignores %s" % pattern)
    check("demo-app" in open(os.path.join(root, "README.md")).read(), "README names the project")

    words = open(os.path.join(root, "src/spouts/words.py")).read()
    counter = open(os.path.join(root, "src/bolts/wordcount.py")).read()
    check("from streamparse.spout import Spout" in words and "class WordSpout(Spout)" in words,
          "WordSpout is a streamparse Spout")
    check("from streamparse.bolt import Bolt" in counter and "class WordCounter(Bolt)" in counter
          and "Counter()" in counter, "WordCounter is a streamparse Bolt counting with Counter")
    for f in ("src/spouts/words.py", "src/bolts/wordcount.py"):
        try:
            py_compile.compile(os.path.join(root, f), cfile=os.path.join(tmp, "x.pyc"), doraise=True)
        except py_compile.PyCompileError as e:
            check(False, "%s compiles: %s" % (f, e))
    return root


def check_refuses_overwrite(tmp, root):
    marker = os.path.join(root, "README.md")
    with open(marker, "w") as f:
        f.write("mine\n")
    rc, out, err = topoc("quickstart", "demo-app", "--dir", tmp)
    check(rc == 2, "quickstart over an existing project exits 2 (rc=%d)" % rc)
    check("already exists" in err and "demo-app" in err, "names the existing path: %r" % err)
    check(open(marker).read() == "mine\n", "the existing project is left untouched")
    # A plain file in the way is refused the same way.
    with open(os.path.join(tmp, "taken"), "w") as f:
        f.write("x")
    rc, _, err = topoc("quickstart", "taken", "--dir", tmp)
    check(rc == 2 and "already exists" in err, "a file in the way is refused (rc=%d, %r)" % (rc, err))
    check(open(os.path.join(tmp, "taken")).read() == "x", "the file in the way is untouched")


def check_bad_names(tmp):
    bad = ["", "a.b", "a/b", "a:b", "a\\b", "9lives", "-x", "has space", "caf\u00e9", "..", "x/../y"]
    before = tree(tmp)
    for name in bad:
        rc, out, err = topoc("quickstart", "--dir", tmp, "--", name)
        check(rc == 2, "bad name %r exits 2 (rc=%d)" % (name, rc))
        check("not a valid project name" in err, "bad name %r is explained: %r" % (name, err))
    check(tree(tmp) == before, "bad names create nothing")
    rc, _, err = topoc("quickstart", "fine", "--dir", os.path.join(tmp, "missing"))
    check(rc == 2 and "missing" in err, "a missing --dir is refused (rc=%d, %r)" % (rc, err))
    rc, _, _ = topoc("quickstart")
    check(rc == 2, "no NAME is a usage error (rc=%d)" % rc)
    # A language word as a name is written as a quoted id.
    rc, _, err = topoc("quickstart", "all", "--dir", tmp)
    check(rc == 0, "a keyword-like name is accepted (rc=%d, %r)" % (rc, err))
    if rc == 0:
        topo = open(os.path.join(tmp, "all/topologies/all.topo")).read()
        check('topology "all" {' in topo, "a keyword-like name is written quoted")


def check_matches_example(tmp):
    rc, _, err = topoc("quickstart", "wordcount", "--dir", tmp)
    check(rc == 0, "quickstart wordcount exits 0 (rc=%d, %r)" % (rc, err))
    made, example = os.path.join(tmp, "wordcount"), os.path.join(EXAMPLES, "wordcount")
    ignored = {"_build", "logs", "__pycache__"}  # what a local run leaves behind
    made_tree = tree(made)
    example_tree = {p for p in tree(example) if not (set(p.split(os.sep)) & ignored) and not p.endswith(".pyc")}
    check(made_tree == example_tree,
          "examples/wordcount has exactly quickstart's files: only in quickstart %r, only in example %r"
          % (sorted(made_tree - example_tree), sorted(example_tree - made_tree)))
    for rel in sorted(made_tree & example_tree):
        a, b = os.path.join(made, rel), os.path.join(example, rel)
        if os.path.isfile(a):
            check(filecmp.cmp(a, b, shallow=False), "examples/wordcount/%s matches quickstart's" % rel)


def check_topoc_check(projects):
    rc, _, err = topoc("check", projects[0])
    if "not implemented" in err:
        print("NOTE: `topoc check` is still a placeholder; skipping the check runs")
        return
    for p in projects:
        rc, out, err = topoc("check", p)
        check(rc == 0, "`topoc check %s` passes (rc=%d)\n%s%s" % (p, rc, out, err))
        # Clean even with --werror: every python class the topology names
        # exists under src/, no stream goes unconsumed, no config is unknown.
        rc, out, err = topoc("check", "--werror", p)
        check(rc == 0, "`topoc check --werror %s` passes (rc=%d)\n%s%s" % (p, rc, out, err))


def main():
    with tempfile.TemporaryDirectory(prefix="topoc-quickstart-") as tmp:
        root = check_new_project(tmp)
        check_refuses_overwrite(tmp, root)
        check_bad_names(tmp)
        check_matches_example(tmp)
        check_topoc_check([os.path.join(tmp, "wordcount"), root, os.path.join(tmp, "all"),
                           os.path.join(EXAMPLES, "wordcount"), os.path.join(EXAMPLES, "sentences")])
    if failures:
        print("%d check(s) failed" % len(failures))
        return 1
    print("quickstart: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
