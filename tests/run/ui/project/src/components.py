"""Components of tests/run/ui/project (see topologies/live.topo)."""
import os
import time

from streamparse.bolt import Bolt
from streamparse.spout import Spout


class Numbers(Spout):
    """Emits 0, 1, 2, ... as reliable tuples (the number is the id)."""

    def initialize(self, conf, context):
        self.n = 0

    def next_tuple(self):
        self.emit([self.n], tup_id=self.n)
        self.n += 1

    def ack(self, tup_id):
        pass

    def fail(self, tup_id):
        pass


class Relay(Bolt):
    """Passes numbers on, anchored; fails every 1000th with an error report.
    Its first process dies after its 3000th tuple (a restart to show)."""

    auto_ack = False

    def initialize(self, conf, context):
        self.seen = 0
        marker = os.path.join(os.getcwd(), ".relay-died")
        self.die_at = 3000 if not os.path.exists(marker) else None
        self.marker = marker

    def process(self, tup):
        self.seen += 1
        n = tup.values[0]
        if self.die_at and self.seen >= self.die_at:
            open(self.marker, "w").close()
            os._exit(3)
        if n % 1000 == 999:
            self.report_error("relay: number %d refused" % n)
            self.fail(tup)
            return
        self.emit([n], anchors=[tup])
        self.ack(tup)


class Sink(Bolt):
    """Acks every number after 0.1 ms of work; logs every 100th."""

    def process(self, tup):
        t = time.perf_counter() + 0.0001
        while time.perf_counter() < t:
            pass
        if tup.values[0] % 100 == 0:
            self.log("got %d" % tup.values[0])
