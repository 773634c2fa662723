#!/usr/bin/env python3
"""Time, peak memory and output size of `topoc check` on hostile inputs
(docs/benchmarks.md, "Hostile input"): a file of nothing but `{`, a file of
nothing but `,` (no nesting: every byte a token the parser must reject), and
one huge identifier, each at several sizes, in text and JSON.

For each run it prints the input size, wall time, peak RSS (of the child,
from wait4), bytes written to stderr+stdout, and the ratios that should
stay flat for linear behaviour: microseconds and RSS bytes per input byte.

Usage: hostile.py [--topoc PATH] [--sizes MB,MB,...] [--shapes brace,comma,ident]
                  [--formats text,json]
  --topoc  the binary (default: $TOPOC, else build/cli/topoc)
  --sizes  input sizes in MB (default 1,5,50; fractions allowed)
"""
import argparse
import os
import subprocess
import sys
import tempfile
import time

SHAPES = {
    # 50 MB of `{`: nesting refused (E0006) at depth 101.
    "brace": lambda n: b"{" * n,
    # A file of `,` inside a topology: no nesting, a syntax error per token
    # until the per-file cap.
    "comma": lambda n: b"topology t { " + b"," * max(0, n - 15) + b" }",
    # One identifier of n bytes where a component name goes.
    "ident": lambda n: b"topology t {\n  bolt b = python \"a.B\" { input " + b"x" * n + b" shuffle }\n}\n",
}


def run(topoc, path, fmt):
    start = time.monotonic()
    with subprocess.Popen([topoc, "check", "--format", fmt, path], stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT) as p:
        out = 0
        while True:
            chunk = p.stdout.read(1 << 20)
            if not chunk:
                break
            out += len(chunk)
        _, status, usage = os.wait4(p.pid, 0)
        p.returncode = os.waitstatus_to_exitcode(status)
    return time.monotonic() - start, usage.ru_maxrss * 1024, out, p.returncode


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--topoc", default=os.environ.get("TOPOC", "build/cli/topoc"))
    ap.add_argument("--sizes", default="1,5,50")
    ap.add_argument("--shapes", default="brace,comma,ident")
    ap.add_argument("--formats", default="text,json")
    args = ap.parse_args()
    print("| shape | input | format | exit | wall s | µs/byte | peak RSS | RSS/byte | output bytes |")
    print("|---|---:|---|---:|---:|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory() as tmp:
        for shape in args.shapes.split(","):
            for mb in args.sizes.split(","):
                n = int(float(mb) * 1_000_000)
                path = os.path.join(tmp, "%s-%s.topo" % (shape, mb))
                with open(path, "wb") as f:
                    f.write(SHAPES[shape](n))
                size = os.path.getsize(path)
                for fmt in args.formats.split(","):
                    secs, rss, out, code = run(args.topoc, path, fmt)
                    print("| %s | %.1f MB | %s | %d | %.2f | %.3f | %.0f MB | %.1f | %d |" % (
                        shape, size / 1e6, fmt, code, secs, secs * 1e6 / size, rss / 1e6,
                        rss / size, out))
                    sys.stdout.flush()
                os.unlink(path)


if __name__ == "__main__":
    main()
