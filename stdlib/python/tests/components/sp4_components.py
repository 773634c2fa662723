"""Components written against the streamparse 3/4 and pystorm API, driven
by tests/test_sp4_api.py. Each reports what it saw through the protocol
(self.log, emits) so the test, playing Storm, can assert on it."""

import json
import logging

from streamparse.bolt import BasicBolt
from streamparse.storm import (BatchingBolt, Bolt, ReliableSpout, Spout,
                               StormHandler, TicklessBatchingBolt)


class NamedValuesBolt(Bolt):
    """Reports how the values of each tuple can be used."""

    def process(self, tup):
        v = tup.values
        report = {"type": type(v).__name__, "first": v[0], "len": len(v),
                  "items": [x for x in v], "eq_list": v == list(v),
                  "plus": v + ["extra"]}
        if hasattr(v, "_fields"):
            report["fields"] = list(v._fields)
            report["named"] = [getattr(v, f) for f in v._fields]
            report["dict"] = v._asdict()
            report["hash"] = hash(v) == hash(tuple(v))
        self.log(json.dumps(report, sort_keys=True, default=repr))
        self.emit(v)               # a named tuple emits as its values
        self.emit([v, {"nested": v}], stream="nested")


class WordCountBolt(Bolt):
    """The streamparse 4 quickstart style: attribute access to fields."""

    def initialize(self, conf, ctx):
        self.counts = {}

    def process(self, tup):
        word = tup.values.word
        self.counts[word] = self.counts.get(word, 0) + 1
        self.emit([word, self.counts[word]], need_task_ids=False)


class ReplaySpout(ReliableSpout):
    """Emits ids 0..2 with values [id]; reports its bookkeeping after each
    ack and fail."""

    max_fails = 2

    def initialize(self, conf, ctx):
        self.next_id = 0

    def next_tuple(self):
        if self.next_id < 3:
            i = self.next_id
            self.next_id += 1
            self.emit(["v%d" % i], tup_id=i,
                      stream="odd" if i % 2 else None,
                      need_task_ids=False)

    def report(self, what, tup_id):
        self.log("%s %r unacked=%s failed=%s" % (
            what, tup_id, sorted(self.unacked_tuples),
            sorted(self.failed_tuples.items())))

    def ack(self, tup_id):
        super(ReplaySpout, self).ack(tup_id)
        self.report("ack", tup_id)

    def fail(self, tup_id):
        super(ReplaySpout, self).fail(tup_id)
        self.report("fail", tup_id)


class NoIdReliableSpout(ReliableSpout):
    def next_tuple(self):
        self.emit(["no id"])


class TickBatchBolt(BatchingBolt):
    """streamparse 3's tick-driven batching: every 2nd tick."""

    ticks_between_batches = 2

    def group_key(self, tup):
        return tup.values[0]

    def process_batch(self, key, tups):
        ids = self.emit([key, [t.id for t in tups]])
        self.log("batch %s ids %r" % (key, ids))

    def process_tick(self, tup):
        self.log("tick %s" % tup.id)


class BadTicksBolt(BatchingBolt):
    ticks_between_batches = 0

    def process_batch(self, key, tups):
        pass


class TimerBatchBolt(TicklessBatchingBolt):
    secs_between_batches = 0.3

    def group_key(self, tup):
        return tup.values.word

    def process_batch(self, key, tups):
        self.emit([key, len(tups)], need_task_ids=False)

    def process_tick(self, tup):
        self.log("tick %s" % tup.id)


class KeepGoingBolt(Bolt):
    """exit_on_exception = False: a tuple whose value is "bad" raises."""

    exit_on_exception = False

    def process(self, tup):
        if tup.values[0] == "bad":
            raise ValueError("bad value")
        self.emit([tup.values[0]], need_task_ids=False)


class KeepGoingNoFailBolt(KeepGoingBolt):
    auto_fail = False


class KeepGoingSpout(Spout):
    exit_on_exception = False

    def initialize(self, conf, ctx):
        self.n = 0

    def next_tuple(self):
        self.n += 1
        if self.n == 2:
            raise RuntimeError("second next fails")
        self.emit([self.n], need_task_ids=False)


class KeepGoingBatchBolt(BatchingBolt):
    exit_on_exception = False
    secs_between_batches = 0.3

    def group_key(self, tup):
        return tup.values[0]

    def process_batch(self, key, tups):
        if key == "bad":
            raise RuntimeError("bad batch")
        self.emit([key, len(tups)], need_task_ids=False)


class ApiBolt(Bolt):
    """The first value names the API call to make."""

    def process(self, tup):
        kind = tup.values[0]
        if kind == "attrs":
            self.log(json.dumps({
                "topology_name": self.topology_name, "debug": self.debug,
                "is_tick": self.is_tick(tup),
                "is_heartbeat": self.is_heartbeat(tup),
                "tick_is_tick": Bolt.is_tick(tup._replace(
                    component="__system", stream="__tick")),
                "component_name": self.component_name,
                "task_id": self.task_id}, sort_keys=True))
        elif kind == "metric":
            self.report_metric("my-metric", 7)
        elif kind == "critical":
            self.log("bad news", level="critical")
        elif kind == "raise_exception":
            try:
                {}["missing"]
            except KeyError as exc:
                self.raise_exception(exc, tup)
            self.log("still here")
        elif kind == "storm-handler":
            logger = logging.getLogger("user.storm")
            logger.propagate = False
            logger.setLevel(logging.INFO)
            handler = StormHandler(self.serializer)   # pystorm's form
            handler.setFormatter(logging.Formatter("%(name)s: %(message)s"))
            logger.addHandler(handler)
            logger.debug("not sent")
            logger.info("an info")
            logger.warning("a warning")
            logger.error("an error")
            logger.removeHandler(handler)


class OldBasicBolt(BasicBolt):
    """streamparse 0.0.13's BasicBolt."""

    def process(self, tup):
        self.emit([tup.values[0].upper()])


class ManualBolt(Bolt):
    """Drives the protocol itself with read_handshake / read_tuple /
    read_task_ids instead of the runtime's main loop."""

    def run(self):
        conf, context = self.read_handshake()
        self.log("handshake %s %s" % (conf.get("topology.name"),
                                      context.get("componentid")))
        while True:
            tup = self.read_tuple()
            if tup is None:
                break
            # An emit sent by hand: its task ids come from read_task_ids().
            self.send_message({"command": "emit", "anchors": [tup.id],
                               "tuple": [tup.values[0]]})
            ids = self.read_task_ids()
            self.log("manual %s %r" % (tup.values[0], ids))
            self.ack(tup)


class LogKeysBolt(Bolt):
    def process(self, tup):
        logging.getLogger("user.code").debug("a debug record")
        logging.getLogger("user.code").info("an info record")
        self.emit(["done"], need_task_ids=False)
