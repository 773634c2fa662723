"""Spout: emits ids 0..N-1 as [word, id] (one per next), reliable with
--reliable; replays failed ids; logs ack/fail/activate/deactivate to OUT and
dumps its handshake to OUT.handshake.<task>.

usage: seq_spout.py OUT N [--reliable] [--words a,b,c] [--stream S]
                     [--pid-ids] [--die-once MARKER K]
--pid-ids makes message ids "<pid>:<i>" and logs "foreign ack|fail <id>" for
an ack or fail of an id another process emitted; --die-once exits (code 5)
on the first `next` after K emits, unless MARKER exists (it creates it).
"""
import os
import json
import sys

import ml

out, n = sys.argv[1], int(sys.argv[2])
reliable = "--reliable" in sys.argv
words = ["hello", "storm", "apple", "zebra", "the", "cow"]
stream = None
pid_ids = "--pid-ids" in sys.argv
die_after = None
for i, a in enumerate(sys.argv):
    if a == "--die-once" and not os.path.exists(sys.argv[i + 1]):
        open(sys.argv[i + 1], "w").close()
        die_after = int(sys.argv[i + 2])
    if a == "--words":
        words = sys.argv[i + 1].split(",")
    if a == "--stream":
        stream = sys.argv[i + 1]

conf, ctx = ml.handshake()
task = ctx["taskid"]
with open("%s.handshake.%d" % (out, task), "w") as f:
    json.dump({"conf": conf, "context": ctx}, f)

next_id = 0
emitted = 0
replay = []


def check_id(cmd, msg_id):
    if pid_ids:
        if int(str(msg_id).split(":")[0]) != os.getpid():
            ml.append(out, "foreign %s %s" % (cmd, msg_id))
        return msg_id
    return msg_id


while True:
    m = ml.read_msg()
    cmd = m.get("command")
    if cmd == "next":
        if die_after is not None and emitted >= die_after:
            sys.stderr.write("seq_spout: dying on purpose after %d emits\n" % emitted)
            sys.stderr.flush()
            sys.exit(5)
        i = None
        if replay:
            i = replay.pop(0)
        elif next_id < n:
            i = next_id
            next_id += 1
        if i is not None:
            msg = {"command": "emit", "tuple": [words[i % len(words)], i]}
            if reliable:
                msg["id"] = "%d:%d" % (os.getpid(), i) if pid_ids else i
            emitted += 1
            if stream:
                msg["stream"] = stream
            ml.send(msg)
            ml.read_msg()  # task ids
    elif cmd == "ack":
        ml.append(out, "ack %s" % check_id("ack", m["id"]))
    elif cmd == "fail":
        ml.append(out, "fail %s" % check_id("fail", m["id"]))
        if pid_ids:
            if int(str(m["id"]).split(":")[0]) == os.getpid():
                replay.append(int(m["id"].split(":")[1]))
        else:
            replay.append(m["id"])
    elif cmd in ("activate", "deactivate"):
        ml.append(out, cmd)
    ml.send({"command": "sync"})
