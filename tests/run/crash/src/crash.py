"""Components of the reliability test (tests/run/crash_test.py).

State lives in files under conf["crash.state"], written with single
os.write calls on O_APPEND descriptors, so a SIGKILL never leaves half a
line behind that a later reader would take for a record:

    acked.log         ids the spout got an ack for (one per line)
    processed_*.log   ids a sink task processed, written before its ack
    done              written once every id is acked

Like a spout over a durable source (a queue with offsets), a restarted
IdSpout emits again every id that has no ack yet.
"""
import os
import time
from collections import deque

from streamparse.bolt import Bolt
from streamparse.spout import Spout


def _append_fd(path):
    return os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)


def _read_ids(path):
    try:
        with open(path) as f:
            return [int(line) for line in f if line.endswith("\n")]
    except FileNotFoundError:
        return []


class IdSpout(Spout):
    def initialize(self, conf, context):
        self.state = conf["crash.state"]
        total = int(conf["crash.ids"])
        self.acked = set(_read_ids(os.path.join(self.state, "acked.log")))
        self.todo = deque(i for i in range(total) if i not in self.acked)
        self.in_flight = set()
        self.total = total
        self.acked_fd = _append_fd(os.path.join(self.state, "acked.log"))
        self.done = False
        # Ids per second (crash.rate), so that the ids flow all through the
        # time the test kills processes.
        self.rate = float(conf.get("crash.rate", 0)) or None
        self.started = time.monotonic()
        self.sent = 0

    def next_tuple(self):
        if self.rate is not None:
            allowed = self.rate * (time.monotonic() - self.started)
            if self.sent >= allowed:
                time.sleep(0.005)
                return
        for _ in range(20):
            if not self.todo:
                break
            self.sent += 1
            i = self.todo.popleft()
            self.in_flight.add(i)
            self.emit([i], tup_id=i, need_task_ids=False)

    def ack(self, tup_id):
        i = int(tup_id)
        self.in_flight.discard(i)
        if i not in self.acked:
            self.acked.add(i)
            os.write(self.acked_fd, b"%d\n" % i)
        if len(self.acked) == self.total and not self.done:
            self.done = True
            with open(os.path.join(self.state, "done"), "w") as f:
                f.write("%d\n" % self.total)

    def fail(self, tup_id):
        i = int(tup_id)
        if i in self.in_flight:
            self.in_flight.discard(i)
            self.todo.append(i)


class Relay(Bolt):
    def process(self, tup):
        self.emit([tup.values[0]], need_task_ids=False)


class Sink(Bolt):
    def initialize(self, conf, context):
        path = os.path.join(conf["crash.state"],
                            "processed_%d_%d.log" % (context["taskid"],
                                                      os.getpid()))
        self.fd = _append_fd(path)

    def process(self, tup):
        os.write(self.fd, b"%d\n" % tup.values[0])
