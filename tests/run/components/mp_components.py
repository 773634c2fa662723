"""streamparse components for the MessagePack run test (run_test.cc).

The conf key "test.out" names the file prefix they write to: the spout writes
"serializer <name>" then "ack <i>" / "fail <i>"; each bolt task writes
"serializer <name>" then "<task> <word> <n> <x>" per tuple.
"""
import os

from streamparse.bolt import Bolt
from streamparse.spout import Spout


class MpSpout(Spout):
    def initialize(self, conf, ctx):
        self.out = open(conf["test.out"] + ".spout", "a", buffering=1)
        self.out.write("serializer %s\n" % self.serializer.name)
        self.total = int(conf["test.count"])
        self.i = 0

    def next_tuple(self):
        if self.i >= self.total:
            return
        i = self.i
        self.i += 1
        # word, a large int (Long), a float, a bool, a nested map
        self.emit(["w%d" % (i % 7), i * 1000003, i + 0.5, i % 2 == 0, {"k": [i, None]}], tup_id=i)

    def ack(self, tup_id):
        self.out.write("ack %s\n" % tup_id)

    def fail(self, tup_id):
        self.out.write("fail %s\n" % tup_id)


class MpBolt(Bolt):
    def initialize(self, conf, ctx):
        self.task = ctx["taskid"]
        self.out = open("%s.bolt.%d" % (conf["test.out"], os.getpid()), "a", buffering=1)
        self.out.write("serializer %s\n" % self.serializer.name)

    def process(self, tup):
        word, n, x, flag, m = tup.values
        assert isinstance(n, int) and isinstance(x, float) and isinstance(flag, bool), tup.values
        assert m["k"][1] is None, tup.values
        self.out.write("%d %s %d %r\n" % (self.task, word, n, x))
