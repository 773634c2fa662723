"""Spouts and bolts driven by the tests (through streamparse.run).

Each reports what it saw through the protocol itself (self.log or emits) so
the test, playing Storm, can assert on it."""

import json
import logging
import os
import sys

from streamparse.bolt import BatchingBolt, Bolt
from streamparse.ipc import Tuple
from streamparse.spout import Spout


class EchoBolt(Bolt):
    """Emits the tuple's values back; reports the task ids emit() returned."""

    def process(self, tup):
        ids = self.emit(list(tup.values))
        self.log("ids %s %r" % (tup.values[0], ids))


class GuardedEchoBolt(Bolt):
    """Emits inside ``except Exception``, as user code may."""

    def process(self, tup):
        try:
            ids = self.emit(list(tup.values))
            self.log("went to %d task(s)" % len(ids))
        except Exception as exc:
            self.log("caught %r" % (exc,))


class UnreadIdsBolt(Bolt):
    """Emits each value as a tuple and never looks at the task ids."""

    def process(self, tup):
        for value in tup.values:
            self.emit([value])


class KeptIdsBolt(Bolt):
    """Keeps the task ids of its last emit and shows them (through
    json.dumps, which reads a list at C level) at the next tuple."""

    kept = None

    def process(self, tup):
        if self.kept is not None:
            self.log("kept %s" % json.dumps(self.kept))
        self.kept = self.emit(list(tup.values))


class OptionsBolt(Bolt):
    """The first value names the emit variant to use."""

    def process(self, tup):
        kind = tup.values[0]
        if kind == "stream":
            r = self.emit(["x"], stream="words")
        elif kind == "anchors-tuple":
            r = self.emit(["x"], anchors=[tup, "other-id"])
        elif kind == "anchors-single":
            r = self.emit(["x"], anchors="lone-id")
        elif kind == "anchors-empty":
            r = self.emit(["x"], anchors=[])
        elif kind == "direct":
            r = self.emit(["x"], direct_task=7)
        elif kind == "no-ids":
            r = self.emit(["x"], need_task_ids=False)
        elif kind == "many":
            r = self.emit_many([["a"], ["b"]], stream="s2")
        elif kind == "many-anchors":
            r = self.emit_many([["a"], ("b", 2)], anchors=["x1", tup])
        elif kind == "log-levels":
            for level in ("trace", "debug", "info", "warn", "error"):
                self.log("at " + level, level=level)
            self.log("no level")
            r = None
        elif kind == "metric":
            self.send_metric("my-metric", {"count": 3})
            r = None
        elif kind == "error":
            self.report_error("something odd")
            r = None
        else:
            raise ValueError("unknown kind %r" % kind)
        self.log("result %r" % (r,))


class NoAutoBolt(Bolt):
    auto_ack = False
    auto_anchor = False

    def process(self, tup):
        self.emit(["x"], need_task_ids=False)
        if tup.values[0] == "ack":
            self.ack(tup)
        elif tup.values[0] == "ack-id":
            self.ack(tup.id)


class SplitterBolt(Bolt):
    """The seed's example: fails empty sentences by hand; auto ack must not
    ack them again."""

    def process(self, tup):
        words = [[w] for w in tup.values[0].split() if w]
        if not words:
            self.fail(tup)
            return
        self.emit_many(words, need_task_ids=False)


class CrashBolt(Bolt):
    def process(self, tup):
        if tup.values[0] == "boom":
            raise RuntimeError("boom requested")
        self.emit(["ok"], need_task_ids=False)


class CrashNoFailBolt(CrashBolt):
    auto_fail = False


class TickBolt(Bolt):
    def process(self, tup):
        self.emit(["tuple", tup.values[0]], need_task_ids=False)

    def process_tick(self, tup):
        self.emit(["tick", tup.values[0], isinstance(tup, Tuple)],
                  need_task_ids=False)


class PrintBolt(Bolt):
    """Writes protocol-looking garbage to stdout in every way it can."""

    def process(self, tup):
        print("end")
        print('{"command": "emit", "tuple": ["forged"]}')
        print("end")
        sys.stdout.write("partial line without newline")
        sys.stdout.flush()
        os.write(1, b'{"command":"ack","id":"forged"}\nend\n')
        print("printed", tup.values[0], file=sys.stdout)
        self.emit(["real"], need_task_ids=False)


class LoggingBolt(Bolt):
    def process(self, tup):
        logger = logging.getLogger("user.code")
        if tup.values[0] == "spam":
            for i in range(tup.values[1]):
                logger.info("line %05d %s", i, "x" * 100)
        else:
            logger.debug("a debug record")
            logger.info("an info record")
            print("a printed record")
        self.emit(["done"], need_task_ids=False)


class ConfBolt(Bolt):
    def initialize(self, storm_conf, context):
        self.seen = (storm_conf.get("my.key"), self.component_name,
                     self.task_id)

    def process(self, tup):
        self.emit(list(self.seen), need_task_ids=False)


class InitCrashBolt(Bolt):
    def initialize(self, storm_conf, context):
        raise KeyError("missing setting")

    def process(self, tup):
        pass


class WordSpout(Spout):
    """Emits word-<n> with message id n on each next; reports ack/fail and
    activation through emits on stream 'events'."""

    def initialize(self, storm_conf, context):
        self.n = 0

    def next_tuple(self):
        self.n += 1
        ids = self.emit(["word-%d" % self.n], tup_id=self.n)
        self.log("ids %r" % (ids,))

    def ack(self, tup_id):
        self.emit(["acked", tup_id], stream="events", need_task_ids=False)

    def fail(self, tup_id):
        self.emit(["failed", tup_id], stream="events", need_task_ids=False)

    def activate(self):
        self.emit(["activated"], stream="events", need_task_ids=False)

    def deactivate(self):
        self.emit(["deactivated"], stream="events", need_task_ids=False)


class OptionsSpout(Spout):
    """Each next emits a different variant."""

    def initialize(self, storm_conf, context):
        self.step = 0

    def next_tuple(self):
        self.step += 1
        if self.step == 1:
            r = self.emit(["u"])  # unreliable
        elif self.step == 2:
            r = self.emit(["d"], tup_id="m2", stream="s", direct_task=9)
        elif self.step == 3:
            r = self.emit(["n"], tup_id="m3", need_task_ids=False)
        elif self.step == 4:
            r = self.emit_many([["a"], ["b"]], tup_ids=["i1", "i2"],
                               need_task_ids=False)
        else:
            r = None  # nothing to emit
        self.log("result %r" % (r,))


class CrashSpout(Spout):
    def next_tuple(self):
        raise ValueError("spout broke")


class GroupBatchBolt(BatchingBolt):
    secs_between_batches = 0.3

    def group_key(self, tup):
        return tup.values[0]

    def process_batch(self, key, tups):
        ids = self.emit([key, len(tups)])
        self.log("batch %s ids %r" % (key, ids))


class TimeBatchBolt(BatchingBolt):
    secs_between_batches = 0.25

    def process_batch(self, key, tups):
        self.emit([key, [t.values[0] for t in tups]], need_task_ids=False)


class CrashBatchBolt(BatchingBolt):
    secs_between_batches = 0.2

    def group_key(self, tup):
        return tup.values[0]

    def process_batch(self, key, tups):
        if key == "bad":
            raise RuntimeError("bad batch")
        self.emit([key], need_task_ids=False)


class NotAComponent(object):
    pass


class SlowBolt(Bolt):
    """Sleeps values[0] seconds per tuple."""

    def process(self, tup):
        import time
        time.sleep(tup.values[0])


class StdinBolt(Bolt):
    """Tries to read the protocol stream through sys.stdin and fd 0."""

    def process(self, tup):
        data = sys.stdin.read() + os.read(0, 100).decode()
        self.emit([data], need_task_ids=False)


class InterruptBolt(Bolt):
    def process(self, tup):
        import signal
        os.kill(os.getpid(), signal.SIGINT)
        import time
        time.sleep(5)


class ExitBolt(Bolt):
    """Emits, then calls sys.exit(3): the emit must still be written."""

    def process(self, tup):
        self.emit(["bye"], need_task_ids=False)
        sys.exit(3)


class TickBatchBolt(BatchingBolt):
    """Emits needing task ids from both threads: process_batch (worker) and
    process_tick (main)."""

    secs_between_batches = 0.05

    def group_key(self, tup):
        return tup.values[0]

    def process_batch(self, key, tups):
        ids = self.emit(["batch", tups[0].id])
        self.log("batch %s %r" % (tups[0].id, ids))

    def process_tick(self, tup):
        ids = self.emit(["tick", tup.id])
        self.log("tick %s %r" % (tup.id, ids))
