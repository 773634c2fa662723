#!/usr/bin/env python3
"""End-to-end: `topoc run` on a copy of tests/run/projects/sp4 until every
result is in, then SIGINT. Its components are written the streamparse 4 /
pystorm way (ReliableSpout replaying failed tuples, named streams, values
read by field name, TicklessBatchingBolt and a tick-driven BatchingBolt
grouped by key, self.logger, a shell bolt whose script calls .run() in
__main__); the test checks exact counts.

usage: sp4_test.py TOPOC_BINARY SOURCE_DIR
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

WORDS = ["apple", "banana", "cherry", "date", "elder"]
TOTAL = 200


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        failures.append(what)


def summary(stdout):
    rows = {}
    for line in stdout.splitlines():
        parts = line.split()
        if len(parts) == 8 and parts[1] in ("spout", "bolt"):
            rows[parts[0]] = dict(zip(["role", "tasks", "emitted", "executed", "acked", "failed", "restarts"],
                                      [parts[1]] + [int(p) for p in parts[2:]]))
    return rows


def load(logs, pattern):
    files = glob.glob(os.path.join(logs, pattern))
    out = []
    for path in files:
        with open(path) as f:
            out.append(json.load(f))
    return out


def complete(logs):
    try:
        spout = load(logs, "numbers_*.json")
        sink = load(logs, "sink_*.json")
        odd = load(logs, "odd_ticker_*.json")
    except ValueError:  # a file being replaced
        return False
    return (len(spout) == 1 and len(spout[0]["done"]) == TOTAL and len(sink) == 1
            and sum(v[0] for v in sink[0].values()) == len(passing)
            and len(odd) == 1 and sum(odd[0]["counts"].values()) == sum(want_odd.values()))


# What the topology must produce. The router fails n % 50 == 0 every time
# (max_fails = 2: emitted 3 times, then given up) and n % 10 == 0 once.
always = [n for n in range(TOTAL) if n % 50 == 0]
once = [n for n in range(TOTAL) if n % 10 == 0 and n % 50 != 0]
passing = [n for n in range(TOTAL) if n not in always]
want_fails = {n: 3 if n in always else 1 if n in once else 0 for n in range(TOTAL)}
want_sink = {}
for n in passing:
    total, evens = want_sink.get(WORDS[n % 5], (0, 0))
    want_sink[WORDS[n % 5]] = (total + 1, evens + (n % 2 == 0))
want_odd = {}
for n in passing:
    if n % 2:
        want_odd[WORDS[n % 5]] = want_odd.get(WORDS[n % 5], 0) + 1

with tempfile.TemporaryDirectory(prefix="topoc-sp4-") as tmp:
    project = os.path.join(tmp, "sp4")
    shutil.copytree(os.path.join(source, "tests", "run", "projects", "sp4"), project,
                    ignore=shutil.ignore_patterns("logs", "_build", "__pycache__"))
    logs = os.path.join(project, "logs")
    # Run until every result is in (or 120 s), then stop it as Ctrl-C does.
    p = subprocess.Popen([topoc, "run", project], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.time() + 120
    while time.time() < deadline and p.poll() is None and not complete(logs):
        time.sleep(0.5)
    time.sleep(1)  # anything extra (a duplicate) would show up now
    p.send_signal(signal.SIGINT)
    out, err = p.communicate(timeout=60)
    check(p.returncode == 0, "topoc run stops cleanly on SIGINT (exit %s; stderr: %s)" % (p.returncode, err[-800:]))
    rows = summary(out)
    check(set(rows) == {"numbers", "router", "word-batcher", "odd-ticker", "sink"},
          "the summary lists the 5 components: %s" % sorted(rows))

    spout = load(logs, "numbers_*.json")
    check(len(spout) == 1, "the spout left its results")
    if spout:
        s = spout[0]
        done = {int(k): v for k, v in s["done"].items()}
        check(sorted(done) == list(range(TOTAL)), "every n completed: %d of %d" % (len(done), TOTAL))
        check(done == want_fails, "fails per n before completing: 3 for n%%50==0 (given up), 1 for "
              "n%%10==0, else 0; differing: %s" % {n: done.get(n) for n in range(TOTAL) if done.get(n) != want_fails[n]})
        check(s["unacked"] == 0 and s["failed_tuples"] == 0,
              "ReliableSpout's unacked_tuples and failed_tuples end empty: %d, %d"
              % (s["unacked"], s["failed_tuples"]))
        check(s["emitted"] == TOTAL, "the spout emitted each n once by itself")
        check(s["topology"] == "sp4", "topology_name is the topology's name")
    if "numbers" in rows:
        r = rows["numbers"]
        replays = 2 * len(always) + len(once)
        check(r["emitted"] == TOTAL + replays, "emits include the replays: %d (want %d)"
              % (r["emitted"], TOTAL + replays))
        check(r["acked"] == len(passing), "Storm acked %d trees (want %d)" % (r["acked"], len(passing)))
        check(r["failed"] == 3 * len(always) + len(once), "Storm failed %d trees (want %d)"
              % (r["failed"], 3 * len(always) + len(once)))
    for name in ("router", "word-batcher", "odd-ticker", "sink"):
        check(rows.get(name, {}).get("restarts", 1) == 0, "%s: no task died" % name)

    sink = load(logs, "sink_*.json")
    check(len(sink) == 1, "the shell bolt (its script calls .run()) left its results")
    if sink:
        got = {w: tuple(v) for w, v in sink[0].items()}
        check(got == want_sink, "the sink's (total, evens) per word: %s (want %s)" % (got, want_sink))

    odd = load(logs, "odd_ticker_*.json")
    check(len(odd) == 1, "the tick-driven batcher left its results")
    if odd:
        check(odd[0]["counts"] == want_odd, "odd numbers per word, batched on ticks: %s (want %s)"
              % (odd[0]["counts"], want_odd))
        check(odd[0]["ticks"] >= 1, "process_tick still sees the ticks")

    # self.logger: the router's records land in its streamparse log files.
    failing = []
    for path in glob.glob(os.path.join(logs, "streamparse_sp4_router_*.log")):
        with open(path) as f:
            failing += [int(m.group(1)) for m in re.finditer(r" - streamparse\.router - INFO - failing (\d+)$",
                                                             f.read(), re.M)]
    check(sorted(failing) == sorted(always * 3 + once),
          "self.logger recorded each deliberate failure: %d records (want %d)"
          % (len(failing), 3 * len(always) + len(once)))
    check("Traceback" not in err, "no traceback on topoc's stderr")

print("%d failure(s)" % len(failures))
sys.exit(1 if failures else 0)
