"""Python components for the runner benchmark, on the streamparse API."""
from streamparse.bolt import Bolt
from streamparse.spout import Spout


class BenchSpout(Spout):
    """Emits ["w<i % 1000>", i] tuples, 100 per next_tuple, unreliably."""

    def initialize(self, conf, ctx):
        self.i = 0

    def next_tuple(self):
        for _ in range(100):
            self.emit(["w%d" % (self.i % 1000), self.i], need_task_ids=False)
            self.i += 1


class RelayBolt(Bolt):
    """Re-emits every tuple (anchored, auto-acked)."""

    def process(self, tup):
        self.emit(tup.values, need_task_ids=False)


class SinkBolt(Bolt):
    """Only acks (auto_ack)."""

    def process(self, tup):
        pass
