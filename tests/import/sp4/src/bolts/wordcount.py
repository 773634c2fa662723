from collections import Counter

from streamparse import Bolt, Stream


class SplitBolt(Bolt):
    outputs = ["word", Stream(fields=["sentence", "reason"], name="errors")]

    def process(self, tup):
        words = tup.values[0].split()
        if not words:
            self.emit([tup.values[0], "no words"], stream="errors")
        for word in words:
            self.emit([word])


class WordCountBolt(Bolt):
    outputs = ["word", "count"]

    def initialize(self, conf, ctx):
        self.counter = Counter()

    def process(self, tup):
        word = tup.values[0]
        self.counter[word] += 1
        self.emit([word, self.counter[word]])


class Saver(Bolt):
    def process(self, tup):
        pass


class ControlSink(Bolt):
    def process(self, tup):
        pass
