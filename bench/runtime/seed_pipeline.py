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
        [--secs 10] [--rounds 3] [--runtime STDLIB_PYTHON_DIR] [--ui]

--ui measures the live view's cost instead: each round runs the JSON
pipeline without and with `--ui` (in alternating order), the latter with a
client that keeps the page's event stream open and polls the REST API
(/api/v1/topology/:id and /topoc/live) every second and the page every
5 s, and prints of both: words/s, CPU µs per word of all the run's
processes, CPU µs per word of topoc's routing thread, and (with --ui) the
CPU of topoc's other threads (the web server's) per second of run.
"""

import argparse
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

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


def thread_cpu(pid):
    """(CPU s of the main thread, CPU s of the others) of process pid."""
    tick = os.sysconf("SC_CLK_TCK")
    main = others = 0.0
    try:
        for tid in os.listdir("/proc/%d/task" % pid):
            with open("/proc/%d/task/%s/stat" % (pid, tid)) as f:
                fields = f.read().rsplit(")", 1)[1].split()
            cpu = (int(fields[11]) + int(fields[12])) / tick
            if int(tid) == pid:
                main += cpu
            else:
                others += cpu
    except OSError:
        return None
    return main, others


def ui_client(proc, err_path, stop, seen):
    """Reads the live view's URL from topoc's stderr, then acts like a
    browser with the page open: the event stream, plus REST polls."""
    base = None
    while base is None and proc.poll() is None and not stop.is_set():
        with open(err_path) as f:
            m = re.search(r"live view at (http://127\.0\.0\.1:\d+)/", f.read())
        base = m and m.group(1)
        time.sleep(0.05)
    if base is None:
        return

    def events():
        try:
            with urllib.request.urlopen(base + "/topoc/events", timeout=30) as r:
                for line in r:
                    if line.startswith(b"data: "):
                        seen["events"] += 1
                    if stop.is_set():
                        return
        except OSError:
            pass
    threading.Thread(target=events, daemon=True).start()
    tid = None
    n = 0
    while not stop.is_set() and proc.poll() is None:
        try:
            if tid is None:
                with urllib.request.urlopen(base + "/api/v1/topology/summary", timeout=5) as r:
                    tid = json.load(r)["topologies"][0]["id"]
            for path in ["/api/v1/topology/" + tid, "/topoc/live"] + (["/"] if n % 5 == 0 else []):
                with urllib.request.urlopen(base + path, timeout=5) as r:
                    r.read()
                    seen["polls"] += 1
        except OSError:
            pass
        n += 1
        stop.wait(1)


def cpu_sampler(proc, stop, seen):
    """topoc's own CPU by thread, last seen before it exits."""
    while not stop.is_set() and proc.poll() is None:
        cpu = thread_cpu(proc.pid)
        if cpu:
            seen["cpu"] = cpu
        stop.wait(0.1)


def pipeline(topoc, python, secs, serializer, runtime, ui=False, details=None):
    """(words/s, CPU us per word of all the run's processes). `details`, if
    given, gets the CPU seconds of topoc's main (routing) thread and of its
    other threads (the live view's), and the words counted."""
    work = tempfile.mkdtemp(prefix="topoc-seed-bench-")
    try:
        project = os.path.join(work, "seed")
        shutil.copytree(PROJECT, project)
        cmd = [topoc, "run", project, "--time", str(secs), "--python", python]
        if SERIALIZERS[serializer]:
            cmd += ["-o", "topology.multilang.serializer=" +
                    SERIALIZERS[serializer]]
        if ui:
            cmd += ["--ui", "--ui-port", "0"]
        env = dict(os.environ)
        if runtime:
            env["TOPOC_PYTHON_RUNTIME"] = runtime
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        out_path, err_path = os.path.join(work, "out"), os.path.join(work, "err")
        with open(out_path, "w") as out, open(err_path, "w") as err:
            proc = subprocess.Popen(cmd, stdout=out, stderr=err, text=True, env=env)
        stop, seen = threading.Event(), {"events": 0, "polls": 0, "cpu": (0, 0)}
        sampler = threading.Thread(target=cpu_sampler, args=(proc, stop, seen))
        sampler.start()
        client = None
        if ui:
            client = threading.Thread(target=ui_client, args=(proc, err_path, stop, seen))
            client.start()
        proc.wait()
        stop.set()
        sampler.join()
        if client:
            client.join()
            if not seen["events"] or not seen["polls"]:
                sys.exit("seed_pipeline: the live view's client got no events or polls")
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime -
                                                     before.ru_stime)
        with open(out_path) as f, open(err_path) as g:
            text = f.read() + g.read()
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
        if details is not None:
            details.update(main=seen["cpu"][0], others=seen["cpu"][1], words=executed,
                           secs=float(ran.group(1)))
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
    ap.add_argument("--ui", action="store_true",
                    help="measure the live view's cost (see above)")
    args = ap.parse_args()
    if args.ui:
        return ui_rounds(args)
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


def ui_rounds(args):
    print("seed pipeline with and without `topoc run --ui` (a client on the "
          "page: event stream + REST polls each second)")
    print("python %s, %d cores, load %s, %g s runs, %d rounds"
          % (args.python, os.cpu_count(),
             open("/proc/loadavg").read().split()[0], args.secs,
             args.rounds))
    ratios = []
    rows = {False: [], True: []}
    for r in range(args.rounds):
        order = [False, True] if r % 2 == 0 else [True, False]
        got = {}
        for ui in order:
            d = {}
            rate, cpu = pipeline(args.topoc, args.python, args.secs, "json",
                                 args.runtime, ui=ui, details=d)
            # words/s, all processes' CPU us per word, the routing thread's
            # CPU us per word, the other threads' CPU ms per second of run.
            got[ui] = (rate, cpu, d["main"] / d["words"] * 1e6,
                       d["others"] / d["secs"] * 1e3)
            rows[ui].append(got[ui])
        ratios.append(got[True][0] / got[False][0])
        print("round %d: without %6.0f words/s, %5.2f cpu-us/word, routing "
              "thread %.2f us/word | with --ui %6.0f words/s, %5.2f "
              "cpu-us/word, routing thread %.2f us/word, server threads "
              "%.1f ms/s | words/s %.3f"
              % ((r + 1,) + got[False][:3] + got[True] + (ratios[-1],)),
              flush=True)
    med = {ui: [statistics.median(x[i] for x in rows[ui]) for i in range(4)]
           for ui in rows}
    print("median without: %.0f words/s, %.2f cpu-us/word, routing thread "
          "%.3f us/word" % tuple(med[False][:3]))
    print("median with --ui: %.0f words/s, %.2f cpu-us/word, routing thread "
          "%.3f us/word, server threads %.2f ms per s of run" % tuple(med[True]))
    print("with/without: words/s %.3f (median of rounds; min %.3f, max %.3f)"
          % (statistics.median(ratios), min(ratios), max(ratios)))


if __name__ == "__main__":
    main()
