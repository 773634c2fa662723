#!/usr/bin/env python3
"""Reliability under crashes: `topoc run` of tests/run/crash (a reliable
spout of N ids -> shuffle relay x2 -> fields sink x2) while random spout and
bolt processes are killed with SIGKILL every 1-2 s for --kill-secs seconds (the
spout spreads the ids over that time).
Then, with the killing stopped, every id must be acked within --settle-secs,
and every id the spout got an ack for must have been processed by a sink
(a sink writes an id down before it acks it). Ids processed more than once
(replays after a crash) are counted and reported, not an error: that is
at-least-once delivery.

usage: crash_test.py TOPOC_BINARY SOURCE_DIR [--ids N] [--kill-secs S]
                     [--settle-secs S] [--seed N]
Prints the figures; exits 1 when a check fails.
"""
import argparse
import collections
import glob
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

ap = argparse.ArgumentParser()
ap.add_argument("topoc")
ap.add_argument("source")
ap.add_argument("--ids", type=int, default=2000)
ap.add_argument("--kill-secs", type=float, default=12)
ap.add_argument("--settle-secs", type=float, default=60)
ap.add_argument("--seed", type=int, default=None)
ap.add_argument("--python", default="/usr/bin/python3")
args = ap.parse_args()

failures = []


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what, flush=True)
    if not cond:
        failures.append(what)


def component_pids(project):
    """pid -> launcher name of the project's live component processes."""
    found = {}
    marker = os.path.join(project, "_build", "run", "crash", "_topoc") + "/"
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open("/proc/%s/cmdline" % entry, "rb") as f:
                argv = f.read().split(b"\0")
            with open("/proc/%s/stat" % entry) as f:
                state = f.read().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state == "Z":
            continue
        for a in argv:
            a = a.decode(errors="replace")
            if a.startswith(marker):
                found[int(entry)] = os.path.basename(a)
    return found


def read_ids(path):
    with open(path) as f:
        return [int(line) for line in f if line.endswith("\n")]


def main():
    seed = args.seed if args.seed is not None else random.randrange(1 << 30)
    rng = random.Random(seed)
    tmp = tempfile.mkdtemp(prefix="topoc-crash-")
    project = os.path.join(tmp, "crash")
    shutil.copytree(os.path.join(args.source, "tests", "run", "crash"), project)
    state = os.path.join(tmp, "state")
    os.mkdir(state)
    print("crash test: %d ids, kills for %g s, seed %d, state in %s"
          % (args.ids, args.kill_secs, seed, state), flush=True)
    out = open(os.path.join(tmp, "topoc.out"), "w+")
    cmd = [args.topoc, "run", project, "--python", args.python,
           "-o", "crash.ids=%d" % args.ids, "-o", 'crash.state="%s"' % state,
           "-o", "crash.rate=%g" % (args.ids / max(1.0, args.kill_secs))]
    proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT)
    kills = collections.Counter()
    start = time.monotonic()
    done = os.path.join(state, "done")
    try:
        # Kill random component processes every 1-2 s.
        time.sleep(1.0)
        while time.monotonic() - start < args.kill_secs and proc.poll() is None:
            pids = component_pids(project)
            if pids:
                pid = rng.choice(sorted(pids))
                try:
                    os.kill(pid, signal.SIGKILL)
                    kills[pids[pid]] += 1
                except ProcessLookupError:
                    pass
            time.sleep(rng.uniform(1.0, 2.0))
        killed_for = time.monotonic() - start
        # Then let it finish: every id acked.
        deadline = time.monotonic() + args.settle_secs
        while not os.path.exists(done) and time.monotonic() < deadline \
                and proc.poll() is None:
            time.sleep(0.2)
        settled_after = time.monotonic() - start
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGINT)
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
    out.seek(0)
    text = out.read()

    acked = read_ids(os.path.join(state, "acked.log")) \
        if os.path.exists(os.path.join(state, "acked.log")) else []
    processed = []
    for path in glob.glob(os.path.join(state, "processed_*.log")):
        processed += read_ids(path)
    acked_set, processed_set = set(acked), set(processed)
    dups = len(processed) - len(processed_set)
    restarts = sum(int(m.group(1)) for m in re.finditer(
        r"^\S+\s+(?:spout|bolt)\s+\d+\s+\d+\s+\d+\s+\d+\s+\d+\s+(\d+)\s*$",
        text, re.M))
    print("killed %d processes in %.0f s (%s); topoc restarted %d tasks"
          % (sum(kills.values()), killed_for,
             ", ".join("%s x%d" % (k.replace(".py", ""), v)
                       for k, v in sorted(kills.items())), restarts))
    print("every id acked after %.1f s; %d ids processed %d times: "
          "%d duplicate deliveries (%.1f%%)"
          % (settled_after, len(processed_set), len(processed), dups,
             100.0 * dups / max(1, len(processed_set))), flush=True)

    check(sum(kills.values()) > 0, "processes were killed")
    check(os.path.exists(done), "every id was acked (%d of %d)"
          % (len(acked_set), args.ids))
    check(acked_set == set(range(args.ids)) or not os.path.exists(done),
          "the acked ids are exactly 0..N-1")
    never = acked_set - processed_set
    check(not never, "nothing acked that the sink did not process (%d were)"
          % len(never))
    check(proc.returncode == 0, "topoc run exits 0 (status %s)"
          % proc.returncode)
    check(restarts >= sum(kills.values()) - 2,
          "topoc restarted the killed tasks (%d restarts, %d kills)"
          % (restarts, sum(kills.values())))
    if failures:
        print(text[-4000:])
        print("%d failed" % len(failures))
        return 1
    shutil.rmtree(tmp, ignore_errors=True)
    return 0


sys.exit(main())
