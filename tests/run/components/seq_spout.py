"""Spout: emits ids 0..N-1 as [word, id] (one per next), reliable with
--reliable; replays failed ids; logs ack/fail/activate/deactivate to OUT and
dumps its handshake to OUT.handshake.<task>.

usage: seq_spout.py OUT N [--reliable] [--words a,b,c] [--stream S]
"""
import json
import sys

import ml

out, n = sys.argv[1], int(sys.argv[2])
reliable = "--reliable" in sys.argv
words = ["hello", "storm", "apple", "zebra", "the", "cow"]
stream = None
for i, a in enumerate(sys.argv):
    if a == "--words":
        words = sys.argv[i + 1].split(",")
    if a == "--stream":
        stream = sys.argv[i + 1]

conf, ctx = ml.handshake()
task = ctx["taskid"]
with open("%s.handshake.%d" % (out, task), "w") as f:
    json.dump({"conf": conf, "context": ctx}, f)

next_id = 0
replay = []
while True:
    m = ml.read_msg()
    cmd = m.get("command")
    if cmd == "next":
        i = None
        if replay:
            i = replay.pop(0)
        elif next_id < n:
            i = next_id
            next_id += 1
        if i is not None:
            msg = {"command": "emit", "tuple": [words[i % len(words)], i]}
            if reliable:
                msg["id"] = i
            if stream:
                msg["stream"] = stream
            ml.send(msg)
            ml.read_msg()  # task ids
    elif cmd == "ack":
        ml.append(out, "ack %d" % m["id"])
    elif cmd == "fail":
        ml.append(out, "fail %d" % m["id"])
        replay.append(m["id"])
    elif cmd in ("activate", "deactivate"):
        ml.append(out, cmd)
    ml.send({"command": "sync"})
