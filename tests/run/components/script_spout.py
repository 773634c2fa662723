"""Spout for the runner's unit tests (runtime/*_test.cc): sends the messages
it is given (JSON text, one per argument after OUT) on its first `next`,
then syncs; every later command just syncs. Appends every message it
receives to OUT as one JSON line, so a test sees the task ids, acks and
fails that came back.

usage: script_spout.py OUT MESSAGE...
"""
import json
import os
import sys

import ml

out = sys.argv[1]
messages = sys.argv[2:]


def send_script():
    # One write for all of them: the runner then reads them together, as
    # a test of what it refuses between two messages expects (with
    # PYTHONUNBUFFERED each sys.stdout.write would be a write of its own).
    sys.stdout.flush()
    os.write(sys.stdout.fileno(), "".join(text + "\nend\n" for text in messages).encode())


ml.handshake()
sent = False
while True:
    m = ml.read_msg()
    ml.append(out, json.dumps(m, sort_keys=True))
    if isinstance(m, list):
        continue  # task ids of an emit
    if m.get("command") == "next" and not sent:
        send_script()
        sent = True
    ml.send({"command": "sync"})
