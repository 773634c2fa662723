#!/usr/bin/env python3
"""Times `topoc lsp` from an edit to its diagnostics: a real server process
over stdio, a generated topology of N components (bench/check/gen_topology.py)
open in a project, then edits that alternately break one input's source id
(one E0201 comes back) and fix it (the diagnostics come back empty). Each
edit is an incremental didChange, as editors send them; the time is from
writing the didChange to reading the publishDiagnostics of that version, so
it includes the debounce, the check of the whole project, the JSON and the
pipes.

Usage: run.py [--topoc PATH] [--sizes 1000,10000] [--edits N] [--debounce MS,...]
Target (docs/benchmarks.md, "lsp"): 1k components within 50 ms of a change.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "check"))
import gen_topology  # noqa: E402

TARGET_MS = {1000: 50.0}


class Server:
    def __init__(self, topoc):
        self.p = subprocess.Popen([topoc, "lsp"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        self.next_id = 1

    def send(self, msg):
        body = json.dumps(msg).encode()
        self.p.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.p.stdin.flush()

    def read(self):
        length = None
        while True:
            line = self.p.stdout.readline()
            if not line:
                raise RuntimeError("the server closed its output")
            line = line.strip()
            if not line:
                break
            name, _, value = line.partition(b":")
            if name.lower() == b"content-length":
                length = int(value)
        return json.loads(self.p.stdout.read(length))

    def request(self, method, params):
        i = self.next_id
        self.next_id += 1
        self.send({"jsonrpc": "2.0", "id": i, "method": method, "params": params})
        while True:
            m = self.read()
            if m.get("id") == i:
                return m

    def notify(self, method, params):
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def diagnostics(self, uri, version):
        while True:
            m = self.read()
            if m.get("method") == "textDocument/publishDiagnostics" and m["params"]["uri"] == uri \
                    and m["params"].get("version") == version:
                return m["params"]["diagnostics"]

    def close(self):
        self.request("shutdown", None)
        self.notify("exit", None)
        rc = self.p.wait(timeout=30)
        if rc != 0:
            raise RuntimeError("topoc lsp exited %d after shutdown" % rc)


def bench(topoc, n, edits, debounce):
    with tempfile.TemporaryDirectory() as tmp:
        root = os.path.realpath(tmp)
        os.makedirs(os.path.join(root, "topologies"))
        with open(os.path.join(root, "config.json"), "w") as f:
            f.write("{}\n")
        path = os.path.join(root, "topologies", "big.topo")
        text = gen_topology.generate(n)
        with open(path, "w") as f:
            f.write(text)
        uri = "file://" + path
        # The edit: the first `input src-0 ` -> `input src-0x` and back.
        lines = text.split("\n")
        line = next(i for i, l in enumerate(lines) if "input src-0 " in l)
        col = lines[line].index("src-0") + len("src-0")

        s = Server(topoc)
        s.request("initialize", {"processId": None, "rootUri": "file://" + root, "capabilities": {},
                                 "initializationOptions": {"debounceMs": debounce}})
        s.notify("initialized", {})
        s.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "topo", "version": 1,
                                                          "text": text}})
        t0 = time.perf_counter()
        first = s.diagnostics(uri, 1)
        open_ms = (time.perf_counter() - t0) * 1000
        if first:
            raise RuntimeError("the generated file has diagnostics: %s" % first[:2])
        times = []
        for k in range(edits):
            version = k + 2
            breaking = k % 2 == 0
            rng = {"start": {"line": line, "character": col},
                   "end": {"line": line, "character": col + (0 if breaking else 1)}}
            t0 = time.perf_counter()
            s.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": version},
                                                "contentChanges": [{"range": rng, "text": "x" if breaking else ""}]})
            diags = s.diagnostics(uri, version)
            times.append((time.perf_counter() - t0) * 1000)
            want = ["E0201"] if breaking else []
            got = [d["code"] for d in diags]
            if got != want:
                raise RuntimeError("edit %d: expected %s, got %s" % (k, want, got))
        s.close()
        return open_ms, times


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--topoc", default=os.environ.get("TOPOC", os.path.join(HERE, "..", "..", "build", "cli", "topoc")))
    ap.add_argument("--sizes", default="1000,10000")
    ap.add_argument("--edits", type=int, default=40)
    ap.add_argument("--debounce", default="10,0")
    args = ap.parse_args()
    print("| components | debounce | open -> diagnostics | edit -> diagnostics: median | p90 | max | target |")
    print("|---:|---:|---:|---:|---:|---:|---|")
    ok = True
    for n in (int(x) for x in args.sizes.split(",")):
        for d in (int(x) for x in args.debounce.split(",")):
            open_ms, t = bench(args.topoc, n, args.edits, d)
            t.sort()
            p90 = t[int(len(t) * 0.9) - 1]
            target = TARGET_MS.get(n)
            verdict = ""
            if target is not None:
                verdict = "%s %.0f ms" % ("<" if p90 < target else "MISSED", target)
                ok = ok and p90 < target
            print("| %d | %d ms | %.1f ms | %.1f ms | %.1f ms | %.1f ms | %s |" %
                  (n, d, open_ms, statistics.median(t), p90, t[-1], verdict))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
