#!/usr/bin/env python3
"""Times `topoc check` on generated topologies of 10, 50, 1k, 10k and 100k
components (bench/check/gen_topology.py) and prints one row per size: the
best and median wall time of N runs (the whole process: start, read, parse,
check, exit), the time per component, and the growth against the previous
size (x10 components should cost about x10 for linear behaviour).

Every run must exit 0 with no output: timing a failing check would be
meaningless, so any diagnostic stops the benchmark.

Usage: run.py [--topoc PATH] [--runs N] [--sizes 10,50,1000,...] [--out DIR]
  --topoc   the binary (default: $TOPOC, else build/cli/topoc)
  --runs    runs per size (default 11; 3 for 100k)
  --out     where the generated .topo files go (default: a temp folder)
"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import gen_topology  # noqa: E402

TARGETS_MS = {50: 10.0, 100000: 2000.0}


def time_check(topoc, path, runs):
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        p = subprocess.run([topoc, "check", path], capture_output=True, text=True)
        elapsed = (time.perf_counter() - start) * 1000.0
        if p.returncode != 0 or p.stdout.strip() or p.stderr.strip():
            sys.stderr.write("topoc check %s: exit %d\n%s%s" % (path, p.returncode, p.stdout[:3000], p.stderr[:3000]))
            sys.exit(1)
        times.append(elapsed)
    return min(times), statistics.median(times)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--topoc", default=os.environ.get("TOPOC") or os.path.join(HERE, "..", "..", "build", "cli", "topoc"))
    ap.add_argument("--runs", type=int, default=11)
    ap.add_argument("--sizes", default="10,50,1000,10000,100000")
    ap.add_argument("--out")
    args = ap.parse_args()
    topoc = os.path.abspath(args.topoc)
    if not os.access(topoc, os.X_OK):
        sys.stderr.write("run.py: no topoc binary at %s (build it, or pass --topoc)\n" % topoc)
        return 2
    sizes = [int(s) for s in args.sizes.split(",") if s]
    out_dir = args.out or tempfile.mkdtemp(prefix="topoc-bench-check-")
    os.makedirs(out_dir, exist_ok=True)

    print("topoc check, wall time per run (best / median of N), %s" % topoc)
    print("%10s %10s %6s %10s %10s %12s %8s  %s" % ("components", "bytes", "runs", "best ms", "median ms",
                                                   "us/compnt", "growth", "target"))
    prev = None
    failed_target = False
    for n in sizes:
        path = os.path.join(out_dir, "bench_%d.topo" % n)
        text = gen_topology.generate(n)
        with open(path, "w") as f:
            f.write(text)
        runs = args.runs if n < 100000 else max(3, min(args.runs, 5))
        best, median = time_check(topoc, path, runs)
        growth = ""
        if prev:
            growth = "x%.1f" % (best / prev[1]) if prev[1] > 0 else ""
        target = ""
        if n in TARGETS_MS:
            ok = best < TARGETS_MS[n]
            failed_target |= not ok
            target = "%s < %g ms" % ("ok" if ok else "MISSED", TARGETS_MS[n])
        print("%10d %10d %6d %10.2f %10.2f %12.2f %8s  %s" % (n, len(text), runs, best, median,
                                                             best * 1000.0 / n, growth, target))
        sys.stdout.flush()
        prev = (n, best)
    return 1 if failed_target else 0


if __name__ == "__main__":
    sys.exit(main())
