#!/usr/bin/env python3
"""End-to-end: `topoc run` on copies of examples/wordcount and
examples/sentences (the Python runtime from stdlib/python), checking the
counts they leave behind; then Ctrl-C and kill -9 of topoc itself, checking
that no component process survives.

usage: examples_test.py TOPOC_BINARY SOURCE_DIR
"""
import glob
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

topoc, source = sys.argv[1], sys.argv[2]
failures = []


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        failures.append(what)


def copy_example(name, tmp):
    dst = os.path.join(tmp, name)
    shutil.copytree(os.path.join(source, "examples", name), dst,
                    ignore=shutil.ignore_patterns("logs", "_build", "__pycache__"))
    return dst


def summary(stdout):
    rows = {}
    for line in stdout.splitlines():
        parts = line.split()
        if len(parts) == 8 and parts[1] in ("spout", "bolt"):
            rows[parts[0]] = dict(zip(["role", "tasks", "emitted", "executed", "acked", "failed", "restarts"],
                                      [parts[1]] + [int(p) for p in parts[2:]]))
    return rows


def pids(project):
    return [int(os.path.basename(p)) for p in glob.glob(os.path.join(project, "_build", "run", "*", "pids", "*"))]


def alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie is dead for our purposes (its parent is gone, init reaps it).
    try:
        with open("/proc/%d/stat" % pid) as f:
            return f.read().split(")")[-1].split()[0] != "Z"
    except OSError:
        return False


def wordcount(tmp):
    project = copy_example("wordcount", tmp)
    p = subprocess.run([topoc, "run", project, "--time", "6"], capture_output=True, text=True, timeout=120)
    check(p.returncode == 0, "wordcount: topoc run exits 0 (stderr: %s)" % p.stderr[-500:])
    rows = summary(p.stdout)
    check(set(rows) == {"word-spout", "count-bolt"}, "wordcount: summary lists both components")
    if "count-bolt" not in rows:
        return
    totals = {}
    counted = 0
    per_task = []
    for path in glob.glob(os.path.join(project, "logs", "topoc_wordcount_count-bolt_*.log")):
        last = {}
        for line in open(path):
            m = re.match(r"ShellLog INFO task \d+: (\w+): (\d+)$", line.strip())
            if m:
                last[m.group(1)] = int(m.group(2))
        per_task.append(last)
        for w, n in last.items():
            totals[w] = totals.get(w, 0) + n
            counted += n
    emitted = rows["count-bolt"]["emitted"]
    check(emitted > 100, "wordcount: the bolts counted words (%d)" % emitted)
    check(set(totals) == {"dog", "cat", "zebra", "elephant"}, "wordcount: all four words counted: %s" % totals)
    check(abs(counted - emitted) <= 2, "wordcount: logged counts add up to the bolts' emits (%d vs %d)" % (counted, emitted))
    # The spout cycles 4 words and (load-aware) shuffle spreads them over a
    # shuffled ring of 1000 slots, so within one bolt task its words have
    # about the same count.
    for last in per_task:
        if last:
            check(max(last.values()) - min(last.values()) <= max(2, max(last.values()) // 4),
                  "wordcount: one task's words have about the same count: %s" % last)
    # executed = tuples the bolts acked; each acks right after its emit.
    check(abs(rows["count-bolt"]["executed"] - emitted) <= 2,
          "wordcount: the bolts acked what they counted (%d vs %d)" % (rows["count-bolt"]["executed"], emitted))
    check(not any(alive(pid) for pid in pids(project)), "wordcount: no component process left")


def sentences(tmp):
    project = copy_example("sentences", tmp)
    p = subprocess.run([topoc, "run", project, "--time", "8"], capture_output=True, text=True, timeout=120)
    check(p.returncode == 0, "sentences: topoc run exits 0 (stderr: %s)" % p.stderr[-500:])
    rows = summary(p.stdout)
    check(len(rows) == 6, "sentences: summary lists 6 components")
    counts = {}
    for path in glob.glob(os.path.join(project, "logs", "word_counts_*.json")):
        with open(path) as f:
            counts.update(json.load(f))
    same = [counts.get(w, 0) for w in ("quick", "brown", "fox", "jumps", "lazy")]
    check(min(same) > 0, "sentences: words of the Perl spout's sentence are counted: %s" % same)
    check(max(same) - min(same) <= max(2, max(same) // 20),
          "sentences: words of one sentence have (nearly) the same count: %s" % same)
    check(counts.get("glad", 0) > 0, "sentences: words of the Python spout's sentences are counted")
    errors = open(glob.glob(os.path.join(project, "logs", "sentence_errors_*.log"))[0]).read().splitlines()
    check(len(errors) > 0 and all(e == "no words\t!?" for e in errors),
          "sentences: the wordless sentence reached error-log over the 'errors' stream (all grouping)")
    if "sentence-spout-2" in rows:
        check(rows["sentence-spout-2"]["acked"] > 0, "sentences: the Perl spout's reliable tuples are acked")
    check(rows.get("word-counter", {}).get("restarts", 1) == 0, "sentences: no component died")
    check(not any(alive(pid) for pid in pids(project)), "sentences: no component process left")


def interrupt(tmp, sig):
    name = "signal-%d" % sig
    project = copy_example("wordcount", os.path.join(tmp, name))
    p = subprocess.Popen([topoc, "run", project], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    # Wait until every task has written its pid (3 tasks).
    deadline = time.time() + 60
    while len(pids(project)) < 3 and time.time() < deadline:
        time.sleep(0.2)
    time.sleep(1)
    started = pids(project)
    check(len(started) == 3, "%s: 3 component processes started" % name)
    os.kill(p.pid, sig)
    out, err = p.communicate(timeout=60)
    if sig == signal.SIGINT:
        check(p.returncode == 0, "SIGINT: topoc run stops cleanly (exit %d)" % p.returncode)
        check("word-spout" in out, "SIGINT: summary printed")
        log = open(glob.glob(os.path.join(project, "logs", "streamparse_wordcount_word-spout_*.log"))[0]).read()
    time.sleep(0.5 if sig == signal.SIGINT else 1.5)
    check(not any(alive(pid) for pid in started), "%s: no component process survives topoc" % name)


def log_settings(tmp):
    """config.json's log level reaches the components: the only env's, or
    the top-level "log"; -e picks an env; a bad config.json is exit 1 (the
    input is wrong), an unknown -e exit 2 (usage)."""
    os.makedirs(os.path.join(tmp, "log-settings"))
    project = copy_example("wordcount", os.path.join(tmp, "log-settings"))
    config_path = os.path.join(project, "config.json")
    with open(config_path) as f:
        config = json.load(f)

    def run_logs(*extra):
        shutil.rmtree(os.path.join(project, "logs"), ignore_errors=True)
        p = subprocess.run([topoc, "run", project, "--time", "2"] + list(extra),
                           capture_output=True, text=True, timeout=60)
        files = glob.glob(os.path.join(project, "logs", "streamparse_wordcount_*.log"))
        text = "".join(open(path).read() for path in files)
        if p.returncode == 0:
            check(len(files) == 3, "log: one streamparse log per task: %s" % files)
        return p.returncode, p.stderr, text

    config["envs"]["prod"]["log"]["level"] = "warning"
    with open(config_path, "w") as f:
        json.dump(config, f)
    code, err, logs = run_logs()
    check(code == 0 and " - INFO - " not in logs,
          "log: the only env's level (warning) hides the components' INFO lines: %r" % logs[:300])
    code, err, logs = run_logs("-e", "prod")
    check(code == 0 and " - INFO - " not in logs, "log: -e prod applies its level")
    config["log"] = {"level": "info"}
    with open(config_path, "w") as f:
        json.dump(config, f)
    code, err, logs = run_logs()
    check(code == 0 and " - INFO - started " in logs, "log: the top-level \"log\" wins over the env's")
    with open(config_path, "w") as f:
        json.dump({"log": {"level": "warning"}}, f)  # no envs: a local-only project
    code, err, logs = run_logs()
    check(code == 0 and " - INFO - " not in logs,
          "log: a config.json without envs still runs, with its top-level level: %s" % err[-300:])
    with open(config_path, "w") as f:
        json.dump(config, f)
    code, err, _ = run_logs("-e", "prd")
    check(code == 2 and "unknown environment 'prd'" in err and "did you mean 'prod'" in err,
          "log: an unknown -e is exit 2 with a suggestion: %s" % err)
    with open(config_path, "w") as f:
        f.write('{"envs": {')
    code, err, _ = run_logs()
    check(code == 1 and "config.json:1:" in err and "invalid JSON" in err,
          "log: a config.json with a syntax error is exit 1 naming line and column: %s" % err)


def cli_errors(tmp):
    def run(*args):
        p = subprocess.run([topoc, "run"] + list(args), capture_output=True, text=True, timeout=60)
        return p.returncode, p.stderr

    code, err = run(os.path.join(tmp, "no-such-dir"))
    check(code == 2 and "is not a folder" in err, "cli: a missing project folder is exit 2")
    code, err = run(os.path.join(source, "examples", "wordcount"), "--name", "nope")
    check(code == 1 and "no topology named 'nope' (the project has: wordcount)" in err, "cli: unknown --name is exit 1")
    p = subprocess.run([topoc, "run", os.path.join(source, "examples", "wordcount"), "--time", "1"],
                       capture_output=True, text=True, timeout=60,
                       env=dict(os.environ, TOPOC_PYTHON_RUNTIME=os.path.join(tmp, "nowhere")))
    check(p.returncode == 2 and "streamparse Python runtime was not found" in p.stderr,
          "cli: a TOPOC_PYTHON_RUNTIME without streamparse/ is exit 2, before any task starts")
    code, err = run(os.path.join(source, "examples", "wordcount"), "-o", "novalue")
    check(code == 2 and "not of the form key=value" in err, "cli: a bad -o is exit 2")
    project = os.path.join(tmp, "two")
    os.makedirs(os.path.join(project, "topologies"))
    os.makedirs(os.path.join(project, "src"))
    topo = os.path.join(project, "topologies", "t.topo")
    with open(topo, "w") as f:
        f.write('topology a {\n spout s = shell ["true"] { output (x) }\n}\n'
                'topology b {\n spout s = shell ["true"] { output (x) }\n}\n')
    code, err = run(project)
    check(code == 2 and "several topologies (a, b); choose one with --name" in err, "cli: several topologies need --name")
    with open(topo, "w") as f:
        f.write('topology j {\n spout s = java "org.Foo" { output (x) }\n}\n')
    code, err = run(project)
    check(code == 1 and "'s' is a java component (org.Foo)" in err, "cli: a java component is refused, exit 1")
    with open(topo, "w") as f:
        f.write('topology j {\n spout s = shell ["true"] { output (x) \n}\n')
    code, err = run(project)
    check(code == 1 and "error" in err, "cli: a topology with errors is exit 1 with its diagnostics")
    # --storm-version picks the defaults.yaml under the handshake's conf.
    with open(topo, "w") as f:
        f.write('topology v {\n spout s = shell ["sh", "-c", "head -n 1 > handshake.json; sleep 30"] '
                '{ output (x) }\n}\n')
    code, err = run(project, "--storm-version", "3.x")
    check(code == 2 and "--storm-version" in err, "cli: an unknown --storm-version is a usage error: %s" % err)
    for version, serializer in (("0.9", "backtype.storm.multilang.JsonSerializer"),
                                ("2.x", "org.apache.storm.multilang.JsonSerializer")):
        code, err = run(project, "--time", "1.5", "--storm-version", version)
        try:
            with open(os.path.join(project, "src", "handshake.json")) as f:
                conf = json.loads(f.read())["conf"]
        except (OSError, ValueError):
            conf = {}
        check(code == 0 and conf.get("topology.multilang.serializer") == serializer
              and conf.get("topology.message.timeout.secs") == 30
              and ("topology.shellbolt.max.pending" in conf) == (version != "0.9"),
              "cli: --storm-version %s gives that line's defaults in the handshake: %s" % (version, err[-300:]))


with tempfile.TemporaryDirectory(prefix="topoc-examples-") as tmp:
    cli_errors(tmp)
    log_settings(tmp)
    wordcount(tmp)
    sentences(tmp)
    interrupt(tmp, signal.SIGINT)
    interrupt(tmp, signal.SIGKILL)

print("%d failure(s)" % len(failures))
sys.exit(1 if failures else 0)
