"""Bolt: appends "<task> <source> <stream> <values-json>" per tuple to OUT.

usage: record_bolt.py OUT [--emit] [--no-ack] [--crash-every N]
                          [--direct-to COMPONENT] [--sleep-odd SECS]
                          [--metric NAME] [--stderr-lines]
--emit re-emits the values anchored to the input; --crash-every exits the
process (code 3) when it receives its N-th tuple, before acking it;
--direct-to emits each tuple directly to the lowest task of COMPONENT;
--sleep-odd sleeps SECS per tuple in tasks with an odd id; --metric sends a
`metrics` command for NAME per tuple; --stderr-lines writes a line to stderr
per tuple.
"""
import json
import time
import sys

import ml

out = sys.argv[1]
emit = "--emit" in sys.argv
ack = "--no-ack" not in sys.argv
crash_every = 0
direct_to = None
sleep_odd = 0.0
metric = None
stderr_lines = "--stderr-lines" in sys.argv
for i, a in enumerate(sys.argv):
    if a == "--sleep-odd":
        sleep_odd = float(sys.argv[i + 1])
    if a == "--metric":
        metric = sys.argv[i + 1]
    if a == "--crash-every":
        crash_every = int(sys.argv[i + 1])
    if a == "--direct-to":
        direct_to = sys.argv[i + 1]

conf, ctx = ml.handshake()
task = ctx["taskid"]
direct_task = None
if direct_to:
    direct_task = min(int(t) for t, c in ctx["task->component"].items() if c == direct_to)
seen = 0
while True:
    m = ml.read_msg()
    if isinstance(m, list):
        continue  # task ids
    if m.get("stream") == "__heartbeat":
        ml.send({"command": "sync"})
        continue
    if m.get("stream") == "__tick":
        ml.append(out, "%d tick %s" % (task, json.dumps(m["tuple"])))
        ml.send({"command": "ack", "id": m["id"]})
        continue
    seen += 1
    if crash_every and seen % crash_every == 0:
        sys.stderr.write("record_bolt: crashing on purpose at tuple %d\n" % seen)
        sys.stderr.flush()
        sys.exit(3)
    if sleep_odd and task % 2 == 1:
        time.sleep(sleep_odd)
    if stderr_lines:
        sys.stderr.write("record_bolt: tuple %d at task %d, padding the log a little\n" % (seen, task))
        sys.stderr.flush()
    if metric:
        ml.send({"command": "metrics", "name": metric, "params": 1})
    ml.append(out, "%d %s %s %s" % (task, m["comp"], m["stream"], json.dumps(m["tuple"])))
    if emit:
        ml.send({"command": "emit", "anchors": [m["id"]], "tuple": m["tuple"]})
    if direct_task is not None:
        ml.send({"command": "emit", "anchors": [m["id"]], "tuple": m["tuple"], "task": direct_task})
    if ack:
        ml.send({"command": "ack", "id": m["id"]})
