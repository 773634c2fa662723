#!/usr/bin/env python3
"""Throughput of the seed's sentence pipeline under `topoc run`.

The project in bench/runtime/seed_pipeline/ is the seed's SentenceSpout ->
SentenceSplitterBolt x2 (shuffle) -> WordCounter x2 (fields(word)), all
Python, code unchanged (emit and emit_many return task ids). Each round runs

  1. the reference: the same split and count as a plain Python loop in one
     process, by the same interpreter, for --ref-secs seconds;
  2. `topoc run --time SECS` of the pipeline with the JSON serializer;
  3. the same with topology.multilang.serializer set to MessagePack (when
     the interpreter has the msgpack module);

and words/s is what the counters acked or failed divided by the run's
seconds.
The reference runs in every round, next to the runs it is compared with,
so the ratios hold on a loaded machine. Also printed: the CPU time of all
processes of the run (runner and components) per word counted, which does
not depend on the machine's load. Prints each round and the median.

    bench/runtime/seed_pipeline.py [--topoc BUILD/cli/topoc] [--python PY]
        [--secs 10] [--rounds 3] [--runtime STDLIB_PYTHON_DIR]
"""

import argparse
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
PROJECT = os.path.join(HERE, "seed_pipeline")

REFERENCE = r'''
import itertools, re, sys, time
from collections import Counter
sentences = itertools.cycle([
    "She advised him to take a long holiday, so he immediately quit work and took a trip around the world",
    "I was very glad to get a present from her",
    "He will be here in half an hour",
    "She saw him eating a sandwich",
])
counts = Counter()
words_done = 0
secs = float(sys.argv[1])
start = time.perf_counter()
while True:
    for _ in range(1000):
        sentence = re.sub(r"[,.;!\?]", "", next(sentences))
        words = [[w.strip()] for w in sentence.split(" ") if w.strip()]
        for (word,) in words:
            counts[word] += 1
        words_done += len(words)
    elapsed = time.perf_counter() - start
    if elapsed >= secs:
        break
print(words_done / elapsed)
'''

SERIALIZERS = {
    "json": None,
    "msgpack": "org.apache.storm.multilang.MsgpackSerializer",
}


def reference(python, secs):
    out = subprocess.run([python, "-c", REFERENCE, str(secs)], check=True,
                         capture_output=True, text=True).stdout
    return float(out.strip())


def pipeline(topoc, python, secs, serializer, runtime):
    work = tempfile.mkdtemp(prefix="topoc-seed-bench-")
    try:
        project = os.path.join(work, "seed")
        shutil.copytree(PROJECT, project)
        cmd = [topoc, "run", project, "--time", str(secs), "--python", python]
        if SERIALIZERS[serializer]:
            cmd += ["-o", "topology.multilang.serializer=" +
                    SERIALIZERS[serializer]]
        env = dict(os.environ)
        if runtime:
            env["TOPOC_PYTHON_RUNTIME"] = runtime
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        proc = subprocess.run(cmd, capture_output=True, text=True, env=env)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime -
                                                     before.ru_stime)
        text = proc.stdout + proc.stderr
        if proc.returncode != 0:
            sys.exit("seed_pipeline: topoc run failed (%d):\n%s"
                     % (proc.returncode, text))
        # What the counters finished (acked + failed by them), not what was
        # written to their pipes.
        executed = 0
        for line in text.splitlines():
            cols = line.split()
            if cols and cols[0] == "word-counter" and len(cols) >= 8:
                executed = int(cols[5]) + int(cols[6])
        ran = re.search(r"^ran ([0-9.]+) s", text, re.M)
        if not executed or not ran:
            sys.exit("seed_pipeline: no summary in topoc run's output:\n"
                     + text)
        return executed / float(ran.group(1)), cpu / executed * 1e6
    finally:
        shutil.rmtree(work, ignore_errors=True)


def has_msgpack(python):
    return subprocess.run([python, "-c", "import msgpack"],
                          capture_output=True).returncode == 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--topoc", default=os.path.join(REPO, "build", "cli",
                                                    "topoc"))
    ap.add_argument("--python", default=os.environ.get("TOPOC_PYTHON")
                    or shutil.which("python3"))
    ap.add_argument("--secs", type=float, default=10)
    ap.add_argument("--ref-secs", type=float, default=2)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--runtime", help="streamparse runtime folder to use "
                    "(TOPOC_PYTHON_RUNTIME; default: topoc's own)")
    args = ap.parse_args()
    kinds = ["json"] + (["msgpack"] if has_msgpack(args.python) else [])

    print("seed pipeline: SentenceSpout -> SentenceSplitterBolt x2 (shuffle) "
          "-> WordCounter x2 (fields)")
    print("python %s, %d cores, load %s, %g s runs, %d rounds"
          % (args.python, os.cpu_count(),
             open("/proc/loadavg").read().split()[0], args.secs,
             args.rounds))
    if "msgpack" not in kinds:
        print("(no msgpack module in that interpreter: JSON only)")
    rows = {k: [] for k in kinds}
    refs = []
    for r in range(args.rounds):
        ref = reference(args.python, args.ref_secs)
        refs.append(ref)
        line = "round %d: plain loop %9.0f words/s" % (r + 1, ref)
        for kind in kinds:
            rate, cpu = pipeline(args.topoc, args.python, args.secs, kind,
                                 args.runtime)
            rows[kind].append((rate, rate / ref, cpu))
            line += " | %s %7.0f words/s (%.2f%%, %.1f cpu-us/word)" % (
                kind, rate, 100 * rate / ref, cpu)
        print(line, flush=True)
    print("median: plain loop %.0f words/s" % statistics.median(refs))
    for kind in kinds:
        rates = [x[0] for x in rows[kind]]
        ratios = [x[1] for x in rows[kind]]
        cpus = [x[2] for x in rows[kind]]
        print("  %-8s %7.0f words/s, %.2f%% of the plain loop, %.1f "
              "CPU-us per word (all processes)"
              % (kind, statistics.median(rates),
                 100 * statistics.median(ratios), statistics.median(cpus)))
    if "msgpack" in kinds:
        pairs = [m[0] / j[0] for j, m in zip(rows["json"], rows["msgpack"])]
        print("  msgpack / json: %.2fx" % statistics.median(pairs))


if __name__ == "__main__":
    main()
