#!/usr/bin/env python3
"""bench/build: times `topoc build` of every target on generated topologies
of 10 / 1k / 10k / 100k components, each backend alone (in-process, from
backend_bench), and Debian's `clojure` reading the emitted .clj at 1k
components; prints both and the ratio.

Usage: bench/build/run.py [--build-dir DIR] [--sizes 10,1000,...] [--repeats N]
  DIR defaults to build (it must hold cli/topoc; backend_bench is
  built there on demand). Every timed `topoc build` writes into an empty
  folder (a first build) on tmpfs (/dev/shm) when there is one; the "again"
  column rebuilds over up-to-date outputs, which topoc leaves alone. Topologies come from bench/check/gen_topology.py,
  with its 4-string shell command cut to the 2 strings Storm's
  ShellComponent takes (so the thrift target accepts them).
"""
import argparse
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.dirname(os.path.dirname(HERE))


CPU = {}  # id(result) -> best CPU seconds of the same measurement


def children_cpu():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def best_of(n, fn, cpu_key=None, setup=None):
    """Best wall-clock time of n runs of fn (after an untimed setup() each);
    the best CPU time (user+sys of the child processes) goes to
    CPU[cpu_key]. On a loaded machine CPU time is the steadier figure."""
    best, best_cpu = None, None
    for _ in range(n):
        if setup:
            setup()
        c = children_cpu()
        t = time.perf_counter()
        fn()
        dt = time.perf_counter() - t
        dc = children_cpu() - c
        best = dt if best is None else min(best, dt)
        best_cpu = dc if best_cpu is None else min(best_cpu, dc)
    if cpu_key:
        CPU[cpu_key] = best_cpu
    return best


def run(cmd):
    """Runs cmd, output to a temporary file (no pipes or reader threads, so
    the harness adds little to short runs); exits on failure. Returns the
    output."""
    with tempfile.TemporaryFile() as out:
        p = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT)
        _, status, _ = os.wait4(p.pid, 0)
        out.seek(0)
        text = out.read().decode(errors="replace")
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{text[-3000:]}")
    return text


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build-dir", default=os.path.join(SRC, "build"))
    ap.add_argument("--sizes", default="10,1000,10000,100000")
    ap.add_argument("--repeats", type=int, default=3)
    args = ap.parse_args()
    topoc = os.path.join(args.build_dir, "cli", "topoc")
    subprocess.run(["cmake", "--build", args.build_dir, "--target", "backend_bench", "topoc"],
                   check=True, capture_output=True)
    bench = os.path.join(args.build_dir, "backends", "backend_bench")
    sizes = [int(s) for s in args.sizes.split(",")]
    targets = ["thrift", "clojure", "flux", "dot", "json"]

    rows = []
    # Outputs go to tmpfs when there is one: creating files on a disk that
    # has just seen many deletions costs ext4 milliseconds of inode search
    # (`recently_deleted`), which would swamp what topoc does.
    out_root = "/dev/shm" if os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK) else None
    print(f"outputs written under {out_root or tempfile.gettempdir()}", flush=True)
    with tempfile.TemporaryDirectory(prefix="topoc_bench_build_") as tmp, \
            tempfile.TemporaryDirectory(prefix="topoc_bench_out_", dir=out_root) as outs:
        clj_1k = None
        for n in sizes:
            topo = os.path.join(tmp, f"g{n}.topo")
            run([sys.executable, os.path.join(SRC, "bench", "check", "gen_topology.py"), str(n), topo])
            with open(topo) as f:
                text = f.read()
            text = re.sub(r'shell \["node", "score.js", "--group", "\d+"\]', 'shell ["node", "score.js"]', text)
            with open(topo, "w") as f:
                f.write(text)
            reps = 1 if n >= 100000 else args.repeats
            row = {"n": n}
            row["check"] = best_of(reps, lambda: run([topoc, "build", topo, "--check"]))
            out = os.path.join(outs, f"out{n}")

            def empty_out():
                shutil.rmtree(out, ignore_errors=True)

            def build(target):
                run([topoc, "build", topo, "-t", target, "-o", out])

            # Every timed build writes into an empty folder (emptied before
            # the clock starts): a first build's cost. A rebuild leaves
            # up-to-date files alone: the "again" column.
            for t in targets:
                row["build_" + t] = best_of(reps, lambda: build(t), cpu_key=(n, t), setup=empty_out)
            row["build_all"] = best_of(reps, lambda: build("all"), setup=empty_out)
            empty_out()
            build("clojure")
            row["rebuild_clojure"] = best_of(reps, lambda: build("clojure"))
            for line in run([bench, topo, str(reps)]).splitlines():
                if not line.startswith("{"):
                    continue
                j = json.loads(line)
                row["gen_" + j["step"]] = j["seconds"]
                if j["step"] != "compile":
                    row["bytes_" + j["step"]] = j["bytes"]
            if n == 1000:
                # the .clj the JVM reads (`out` holds it from the rebuilds)
                kept = os.path.join(tmp, "clj1k")
                shutil.copytree(out, kept)
                out = kept
                clj_1k = os.path.join(out, "topologies", os.listdir(os.path.join(out, "topologies"))[0])
                row["clj_file"] = clj_1k
            rows.append(row)
            print(f"n={n:>6}  check {row['check']:.3f}s  " +
                  "  ".join(f"{t} {row['build_' + t]:.3f}s" for t in targets) +
                  f"  all {row['build_all']:.3f}s  (clojure rebuild, up to date: "
                  f"{row['rebuild_clojure']:.3f}s)", flush=True)
            print(f"        in-process: compile {row['gen_compile']:.4f}s  " +
                  "  ".join(f"{t} {row['gen_' + t]:.4f}s" for t in targets), flush=True)

        print()
        print("| components | topoc build --check | -t thrift | -t clojure | -t flux | -t dot | -t json | -t all "
              "| -t clojure again (up to date) |")
        print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        for r in rows:
            print(f"| {r['n']} | {r['check']:.4f} s | " +
                  " | ".join(f"{r['build_' + t]:.4f} s" for t in targets) + f" | {r['build_all']:.4f} s "
                  f"| {r['rebuild_clojure']:.4f} s |")
        print()
        print("| components | compile (front end) | thrift | clojure | flux | dot | json | clojure µs/component |")
        print("|---:|---:|---:|---:|---:|---:|---:|---:|")
        for r in rows:
            print(f"| {r['n']} | {r['gen_compile']:.4f} s | " +
                  " | ".join(f"{r['gen_' + t]:.4f} s" for t in targets) +
                  f" | {1e6 * r['gen_clojure'] / r['n']:.2f} |")

        if clj_1k and shutil.which("clojure"):
            reader = os.path.join(HERE, "read_forms.clj")
            jvm = best_of(args.repeats, lambda: run(["clojure", reader, clj_1k]), cpu_key="jvm")
            r1k = next(r for r in rows if r["n"] == 1000)
            topoc_cpu = CPU[(1000, "clojure")]
            print()
            print(f"1k components: Debian clojure reading the emitted .clj: {jvm:.3f} s wall, "
                  f"{CPU['jvm']:.3f} s CPU (best of {args.repeats})")
            print(f"               topoc build -t clojure (whole process):  {r1k['build_clojure']:.4f} s wall, "
                  f"{topoc_cpu:.4f} s CPU"
                  f"  -> ratio {jvm / r1k['build_clojure']:.0f}x wall, {CPU['jvm'] / max(topoc_cpu, 1e-6):.0f}x CPU")
            print(f"               clojure backend alone (in-process):      {r1k['gen_clojure']:.4f} s"
                  f"  -> ratio {jvm / r1k['gen_clojure']:.0f}x")
        elif clj_1k:
            print("clojure not installed: JVM comparison skipped")


if __name__ == "__main__":
    main()
