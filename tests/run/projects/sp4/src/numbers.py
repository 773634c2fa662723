"""A reliable spout in the streamparse 4 style."""
import time
from collections import Counter

from streamparse import ReliableSpout

import results

WORDS = ["apple", "banana", "cherry", "date", "elder"]
TOTAL = 200


class NumberSpout(ReliableSpout):
    """Emits (word, n) for n in 0..199 with tup_id n; ReliableSpout replays
    a failed n up to max_fails times, then gives it up."""

    outputs = ["word", "n"]   # streamparse 4's declaration (unused by topoc run)
    max_fails = 2

    def initialize(self, conf, ctx):
        self.next_n = 0
        self.fails = Counter()
        self.done = {}   # n -> how many times it failed before it completed

    def next_tuple(self):
        if self.next_n >= TOTAL:
            time.sleep(0.005)
            return
        n = self.next_n
        self.next_n += 1
        self.emit([WORDS[n % len(WORDS)], n], tup_id=n)

    def fail(self, tup_id):
        self.fails[tup_id] += 1
        super().fail(tup_id)   # replays, or gives up (and calls ack)
        self.save()

    def ack(self, tup_id):
        if tup_id in self.unacked_tuples:
            self.done[tup_id] = self.fails[tup_id]
        super().ack(tup_id)
        self.save()

    def save(self):
        results.save(self.storm_conf, "numbers_%s.json" % self.task_id, {
            "done": self.done, "unacked": len(self.unacked_tuples),
            "failed_tuples": len(self.failed_tuples),
            "emitted": self.next_n, "topology": self.topology_name})
