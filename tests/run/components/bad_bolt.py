"""Bolt that breaks the protocol on its first tuple, in the way MODE says:
bad-json, bad-utf8, unknown-ack, missing-end, unknown-command, bad-anchor, wrong-arity;
or, with "silent", never answers anything (heartbeats included); with
"die-at-start", exits (code 4) right after its handshake; with "stuck", never
reads its stdin again.
It writes a line to stderr first, so the runner's report can show it.
"""
import sys

import ml

mode = sys.argv[1]
ml.handshake()
if mode == "die-at-start":
    sys.stderr.write("bad_bolt: dying at start\n")
    sys.stderr.flush()
    sys.exit(4)
if mode == "stuck":
    import time
    time.sleep(120)
if mode == "silent":
    # Never answers anything, not even heartbeats.
    sys.stderr.write("bad_bolt: going silent\n")
    sys.stderr.flush()
    while True:
        ml.read_msg()
while True:
    m = ml.read_msg()
    if isinstance(m, list):
        continue
    if m.get("stream") == "__heartbeat":
        ml.send({"command": "sync"})
        continue
    sys.stderr.write("bad_bolt: about to misbehave (%s)\n" % mode)
    sys.stderr.flush()
    if mode == "bad-json":
        sys.stdout.write("{this is not json\nend\n")
    elif mode == "bad-utf8":
        # An emit whose string holds a byte that is not UTF-8 (0xff).
        sys.stdout.flush()
        sys.stdout.buffer.write(b'{"command": "emit", "tuple": ["caf\xff"]}\nend\n')
        sys.stdout.buffer.flush()
    elif mode == "unknown-ack":
        ml.send({"command": "ack", "id": "12345"})
    elif mode == "missing-end":
        sys.stdout.write('{"command": "ack", "id": "%s"}\n' % m["id"])
        sys.stdout.flush()
        sys.exit(0)
    elif mode == "unknown-command":
        ml.send({"command": "dance"})
    elif mode == "bad-anchor":
        ml.send({"command": "emit", "anchors": ["777"], "tuple": [1]})
    elif mode == "wrong-arity":
        ml.send({"command": "emit", "tuple": [1, 2, 3]})
    sys.stdout.flush()
    # Wait to be killed (or for EOF).
    while True:
        ml.read_msg()
