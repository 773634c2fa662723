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


def run_once(argv):
    """Runs argv; returns (wall ms, cpu ms of the child, exit code, output)."""
    with tempfile.TemporaryFile() as out:
        start = time.perf_counter()
        p = subprocess.Popen(argv, stdout=out, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(p.pid, 0)
        wall = (time.perf_counter() - start) * 1000.0
        p.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        text = out.read().decode(errors="replace")
    run_once.max_rss_mb = usage.ru_maxrss / 1024.0
    return wall, (usage.ru_utime + usage.ru_stime) * 1000.0, p.returncode, text


def time_check(topoc, path, runs):
    walls, cpus, rss = [], [], []
    for _ in range(runs):
        wall, cpu, rc, text = run_once([topoc, "check", path])
        if rc != 0 or text.strip():
            sys.stderr.write("topoc check %s: exit %d\n%s" % (path, rc, text[:3000]))
            sys.exit(1)
        walls.append(wall)
        cpus.append(cpu)
        rss.append(run_once.max_rss_mb)
    return min(walls), statistics.median(walls), min(cpus), max(rss)


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

    print("topoc check: wall time per run, best and median of N (the whole process:")
    print("start, read, parse, check, exit), and the best CPU time (user+sys) of the")
    print("process, which a loaded machine disturbs less. %s" % topoc)
    print("load average: %.2f %.2f %.2f" % os.getloadavg())
    base = [run_once([topoc, "--version"]) for _ in range(args.runs)]
    print("baseline `topoc --version` (process start only): best wall %.2f ms, best cpu %.2f ms"
          % (min(b[0] for b in base), min(b[1] for b in base)))
    print("%10s %10s %5s %9s %10s %9s %10s %7s %7s  %s" % ("components", "bytes", "runs", "best ms", "median ms",
                                                     "cpu ms", "us/compnt", "rss MB", "growth", "target (best wall)"))
    prev = None
    failed_target = False
    for n in sizes:
        path = os.path.join(out_dir, "bench_%d.topo" % n)
        text = gen_topology.generate(n)
        with open(path, "w") as f:
            f.write(text)
        runs = args.runs if n < 100000 else max(3, min(args.runs, 5))
        best, median, cpu, rss = time_check(topoc, path, runs)
        growth = ""
        if prev:
            growth = "x%.1f" % (best / prev[1]) if prev[1] > 0 else ""
        target = ""
        if n in TARGETS_MS:
            ok = best < TARGETS_MS[n]
            failed_target |= not ok
            target = "%s < %g ms" % ("ok" if ok else "MISSED", TARGETS_MS[n])
        print("%10d %10d %5d %9.2f %10.2f %9.2f %10.2f %7.1f %7s  %s"
              % (n, len(text), runs, best, median, cpu, best * 1000.0 / n, rss, growth, target))
        sys.stdout.flush()
        prev = (n, best)
    return 1 if failed_target else 0


if __name__ == "__main__":
    sys.exit(main())
