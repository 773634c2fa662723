import itertools

from streamparse.spout import Spout


class SentenceSpout(Spout):
    """Emits sentences until the end of time (the seed's spout)."""

    MAX_IN_FLIGHT = 100

    def initialize(self, stormconf, context):
        self.sentences = [
            "She advised him to take a long holiday, so he immediately quit work and took a trip around the world",
            "I was very glad to get a present from her",
            "He will be here in half an hour",
            "She saw him eating a sandwich",
        ]
        self.sentences = itertools.cycle(self.sentences)
        self.emitted = 0
        self.in_flight = set()

    def next_tuple(self):
        # Emitting as fast as Storm asks would flood the slower bolts; keep at
        # most MAX_IN_FLIGHT sentences unacknowledged instead (what
        # topology.max.spout.pending does for a whole topology).
        if len(self.in_flight) >= self.MAX_IN_FLIGHT:
            return
        sentence = next(self.sentences)
        self.emitted += 1
        self.in_flight.add(str(self.emitted))
        # With a message id the tuple is reliable: Storm calls ack() or fail().
        self.emit([sentence], tup_id=self.emitted)

    def ack(self, tup_id):
        self.in_flight.discard(str(tup_id))  # processed properly: nothing else to do

    def fail(self, tup_id):
        self.in_flight.discard(str(tup_id))  # failed: drop it, as the seed's spout does
