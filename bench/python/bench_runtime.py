#!/usr/bin/env python3
"""Cost of topoc's Python runtime (stdlib/python/streamparse) by itself.

A bolt subprocess is fed a recorded multilang input -- the handshake, then N
tuples, each followed by the task-id reply its emit waits for -- straight
from a file on its stdin, with stdout to /dev/null: no runner, no Storm.
The cost of a run with 0 tuples (interpreter start, imports, handshake) is
subtracted; the best of --repeat runs is kept. Two figures: tuples per
CPU-second of the bolt process (user+sys, steady on a loaded machine) and
tuples per wall-clock second.

    python3 bench/python/bench_runtime.py [--tuples N] [--repeat R]
        [--python INTERPRETER] [--serializer json|msgpack|all]

Prints tuples/s per bolt and serializer (msgpack only when the interpreter
has the msgpack module).
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
RUNTIME = os.path.join(REPO, "stdlib", "python")

BOLTS = [
    ("AckBolt", "ack only", False),
    ("EmitNoIdsBolt", "emit (need_task_ids=False) + ack", False),
    ("EmitBolt", "emit + wait task ids + ack", True),
]


def encoder(kind):
    if kind == "json":
        dumps = json.JSONEncoder(separators=(",", ":")).encode
        return lambda m: dumps(m).encode() + b"\nend\n"
    import msgpack
    packer = msgpack.Packer(use_bin_type=True)
    return packer.pack


def record_input(path, kind, n, with_task_ids, pid_dir):
    enc = encoder(kind)
    with open(path, "wb") as f:
        f.write(enc({"conf": {"topology.name": "bench"}, "pidDir": pid_dir,
                     "context": {"taskid": 2, "componentid": "bolt",
                                 "task->component": {"1": "spout",
                                                     "2": "bolt"}}}))
        ids = enc([3])
        chunk = []
        for i in range(n):
            chunk.append(enc({"id": str(7000000000000000000 + i),
                              "comp": "spout", "stream": "default",
                              "task": 1,
                              "tuple": ["the quick brown fox %d" % (i % 100),
                                        i]}))
            if with_task_ids:
                chunk.append(ids)
            if len(chunk) >= 2000:
                f.write(b"".join(chunk))
                chunk = []
        f.write(b"".join(chunk))
    return os.path.getsize(path)


def run_once(python, bolt, input_path):
    """(wall seconds, CPU seconds of the bolt process) for one run."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([RUNTIME, HERE])
    with open(input_path, "rb") as stdin, open(os.devnull, "wb") as devnull, \
            tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(
            [python, "-m", "streamparse.run", "bench_components." + bolt],
            stdin=stdin, stdout=devnull, stderr=err, env=env)
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            err.seek(0)
            sys.exit("bench: %s exited with %d:\n%s" % (
                bolt, proc.returncode, err.read().decode(errors="replace")))
    return elapsed, usage.ru_utime + usage.ru_stime


def has_msgpack(python):
    return subprocess.run([python, "-c", "import msgpack"],
                          stderr=subprocess.DEVNULL).returncode == 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--tuples", type=int, default=100000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--python", default=sys.executable)
    ap.add_argument("--serializer", choices=["json", "msgpack", "all"],
                    default="all")
    args = ap.parse_args()
    if args.tuples <= 0 or args.repeat <= 0:
        ap.error("--tuples and --repeat must be positive")

    kinds = ["json", "msgpack"] if args.serializer == "all" else [
        args.serializer]
    if "msgpack" in kinds and not has_msgpack(args.python):
        if args.serializer == "msgpack":
            sys.exit("bench: %s has no msgpack module" % args.python)
        print("msgpack: skipped (%s has no msgpack module)" % args.python)
        kinds.remove("msgpack")
    if "msgpack" in kinds:
        try:
            import msgpack  # noqa: F401  (needed to record the input)
        except ImportError:
            print("msgpack: skipped (this script's interpreter %s has no "
                  "msgpack module to record the input)" % sys.executable)
            kinds.remove("msgpack")

    version = subprocess.run([args.python, "-c",
                              "import sys; print(sys.version.split()[0])"],
                             stdout=subprocess.PIPE).stdout.decode().strip()
    print("python runtime benchmark: %d tuples, best of %d, python %s (%s)"
          % (args.tuples, args.repeat, version, args.python))
    results = []
    with tempfile.TemporaryDirectory(prefix="topoc-bench-py-") as tmp:
        for kind in kinds:
            for bolt, label, with_ids in BOLTS:
                path = os.path.join(tmp, "%s-%s.in" % (kind, with_ids))
                empty = os.path.join(tmp, "%s-empty.in" % kind)
                if not os.path.exists(path):
                    record_input(path, kind, args.tuples, with_ids,
                                        tmp)
                if not os.path.exists(empty):
                    record_input(empty, kind, 0, False, tmp)
                base = [run_once(args.python, bolt, empty)
                        for _ in range(args.repeat)]
                runs = [run_once(args.python, bolt, path)
                        for _ in range(args.repeat)]
                wall = max(min(r[0] for r in runs) - min(b[0] for b in base),
                           1e-9)
                cpu = max(min(r[1] for r in runs) - min(b[1] for b in base),
                          1e-9)
                results.append((kind, label, args.tuples / cpu,
                                args.tuples / wall))
                print("  %-8s %-34s %9.0f tuples/s per CPU-second "
                      "(%5.1f us/tuple)  %9.0f tuples/s wall-clock"
                      % (kind, label, args.tuples / cpu,
                         1e6 * cpu / args.tuples, args.tuples / wall))
    return results


if __name__ == "__main__":
    main()
