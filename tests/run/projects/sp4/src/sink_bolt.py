"""A shell bolt: Storm (or topoc run) starts this script itself, and the
script runs its bolt, as streamparse 0.0.x shell components did."""
from streamparse.bolt import Bolt

import results


class SinkBolt(Bolt):
    def initialize(self, conf, ctx):
        self.totals = {}

    def process(self, tup):
        total, evens = self.totals.get(tup.values.word, (0, 0))
        self.totals[tup.values.word] = (total + tup.values.count,
                                        evens + tup.values.evens)
        results.save(self.storm_conf, "sink_%s.json" % self.task_id,
                     self.totals)


if __name__ == "__main__":
    SinkBolt().run()
