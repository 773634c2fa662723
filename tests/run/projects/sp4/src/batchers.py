"""Batching both ways: on a timer (TicklessBatchingBolt) and every N tick
tuples (BatchingBolt with ticks_between_batches, streamparse 3)."""
from collections import Counter

from streamparse.storm import BatchingBolt, TicklessBatchingBolt

import results


class WordBatcher(TicklessBatchingBolt):
    outputs = ["word", "count", "evens"]
    secs_between_batches = 0.3

    def group_key(self, tup):
        return tup.values.word

    def process_batch(self, key, tups):
        evens = sum(1 for t in tups if t.stream == "evens")
        self.emit([key, len(tups), evens])


class OddTicker(BatchingBolt):
    ticks_between_batches = 1

    def initialize(self, conf, ctx):
        self.counts = Counter()
        self.ticks = 0

    def group_key(self, tup):
        return tup.values.word

    def process_tick(self, tup):
        self.ticks += 1

    def process_batch(self, key, tups):
        assert all(t.values.n % 2 == 1 for t in tups)
        self.counts[key] += len(tups)
        results.save(self.storm_conf, "odd_ticker_%s.json" % self.task_id,
                     {"counts": self.counts, "ticks": self.ticks})
