#!/usr/bin/python3
"""Drives examples/sentences/src/other_sentence_spout.pl through Storm's
multilang protocol (storm-facts §2) as Storm's ShellSpout would, and checks
every answer: handshake and pid file, next/ack/fail/activate/deactivate each
ended by sync, reliable emits with replay of failed ids, task-id lists and
unknown commands tolerated, clean exit at end of input.

Usage: perl_spout_test.py SOURCE_DIR
"""
import json
import os
import select
import subprocess
import sys
import tempfile
import time

SOURCE_DIR = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "..")
SRC = os.path.join(SOURCE_DIR, "examples", "sentences", "src")
TIMEOUT = 10.0
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what)


class Spout:
    def __init__(self):
        self.proc = subprocess.Popen(["perl", "other_sentence_spout.pl"], cwd=SRC,
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        self.buf = b""

    def send(self, msg, pretty=False):
        text = json.dumps(msg, indent=2 if pretty else None)
        self.proc.stdin.write(text.encode() + b"\nend\n")
        self.proc.stdin.flush()

    def read(self):
        """One message, or raises after TIMEOUT seconds."""
        deadline = time.time() + TIMEOUT
        while True:
            lines = self.buf.split(b"\n")
            if b"end" in lines[:-1]:
                i = lines.index(b"end")
                self.buf = b"\n".join(lines[i + 1:])
                return json.loads(b"\n".join(lines[:i]))
            left = deadline - time.time()
            if left <= 0 or not select.select([self.proc.stdout], [], [], left)[0]:
                raise TimeoutError("no complete message from the spout; got %r" % self.buf)
            chunk = os.read(self.proc.stdout.fileno(), 65536)
            if not chunk:
                raise EOFError("spout closed stdout; got %r" % self.buf)
            self.buf += chunk

    def command(self, msg):
        """Sends a command and returns the messages before the closing sync."""
        self.send(msg)
        out = []
        while True:
            m = self.read()
            if m == {"command": "sync"}:
                return out
            out.append(m)


def main():
    pid_dir = tempfile.mkdtemp(prefix="topoc-perl-spout-")
    s = Spout()
    # Handshake: pretty-printed (multi-line) JSON must be accepted too.
    s.send({"conf": {"topology.name": "sentences"}, "pidDir": pid_dir,
            "context": {"taskid": 7, "componentid": "sentence-spout-2",
                        "task->component": {"7": "sentence-spout-2"}}}, pretty=True)
    reply = s.read()
    check(reply == {"pid": s.proc.pid}, "handshake reply is {'pid': <its pid>}: %r" % reply)
    check(os.path.exists(os.path.join(pid_dir, str(s.proc.pid))), "pid file <pidDir>/<pid> created")

    check(s.command({"command": "activate", "id": ""}) == [], "activate answered by a bare sync")

    emits = []
    for _ in range(5):
        out = s.command({"command": "next", "id": ""})
        check(len(out) == 1 and out[0].get("command") == "emit", "next answered by one emit: %r" % out)
        emits.append(out[0])
    sentences = [e["tuple"][0] for e in emits]
    ids = [e["id"] for e in emits]
    check(all(len(e["tuple"]) == 1 and isinstance(e["tuple"][0], str) for e in emits),
          "each emit is a one-field tuple (sentence)")
    check(len(set(ids)) == 5, "every emit has its own message id: %r" % ids)
    check(all(e.get("stream", "default") == "default" for e in emits), "emits go to the default stream")
    check(sentences[4] == sentences[0] and len(set(sentences[:4])) == 4,
          "four sentences, then the cycle starts again: %r" % sentences)
    check("!?" in sentences, "one sentence has no words, for the errors stream")
    check(all(e.get("need_task_ids") is False for e in emits), "emits ask for no task ids")

    # A failed id is replayed with its sentence; an acked one is forgotten.
    out = s.command({"command": "fail", "id": ids[1]})
    check(len(out) == 1 and out[0].get("command") == "log", "fail answered by a log line, then sync: %r" % out)
    out = s.command({"command": "next", "id": ""})
    check(len(out) == 1 and out[0].get("id") == ids[1] and out[0]["tuple"] == [sentences[1]],
          "next after fail replays the failed tuple: %r" % out)
    check(s.command({"command": "ack", "id": ids[1]}) == [], "ack answered by a bare sync")
    check(s.command({"command": "fail", "id": ids[1]}) == [], "fail of an acked id is ignored")
    out = s.command({"command": "next", "id": ""})
    check(len(out) == 1 and out[0].get("id") not in ids and out[0]["tuple"] == [sentences[1]],
          "after the ack the cycle goes on with a fresh id: %r" % out)

    # A task-id list needs no answer: the next reply belongs to the next command.
    s.send([3, 5])
    out = s.command({"command": "next", "id": ""})
    check(len(out) == 1 and out[0].get("command") == "emit", "task-id list ignored: %r" % out)

    # At most 100 sentences in flight: then "next" emits nothing until an ack.
    in_flight = 6  # emitted above and not acked (one was acked)
    while in_flight < 100:
        out = s.command({"command": "next", "id": ""})
        check(len(out) == 1, "next %d emits while under the in-flight limit: %r" % (in_flight + 1, out))
        last_id = out[0]["id"]
        in_flight += 1
    check(s.command({"command": "next", "id": ""}) == [], "next at 100 in flight emits nothing")
    s.command({"command": "ack", "id": last_id})
    out = s.command({"command": "next", "id": ""})
    check(len(out) == 1 and out[0].get("command") == "emit", "an ack makes room again: %r" % out)

    out = s.command({"command": "bogus"})
    check(len(out) == 1 and out[0].get("command") == "log" and out[0].get("level") == 3,
          "unknown command logged as a warning, then sync: %r" % out)
    check(s.command({"command": "deactivate", "id": ""}) == [], "deactivate answered by a bare sync")

    s.proc.stdin.close()
    try:
        rc = s.proc.wait(TIMEOUT)
    except subprocess.TimeoutExpired:
        s.proc.kill()
        rc = None
    check(rc == 0, "exits 0 at end of input (rc=%r)" % rc)

    if failures:
        print("%d check(s) failed" % len(failures))
        return 1
    print("perl spout: all checks passed")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except (TimeoutError, EOFError) as e:
        print("FAIL:", e)
        sys.exit(1)
