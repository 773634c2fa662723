import itertools

from streamparse.spout import Spout


class WordSpout(Spout):
    """Emits the same few words, one per tuple, forever."""

    def initialize(self, stormconf, context):
        self.words = itertools.cycle(["dog", "cat", "zebra", "elephant"])

    def next_tuple(self):
        word = next(self.words)
        self.emit([word])
