"""A bolt that reads values by field name and emits to named streams."""
from streamparse import Bolt


class Router(Bolt):
    def initialize(self, conf, ctx):
        self.failed_once = set()

    def process(self, tup):
        word, n = tup.values.word, tup.values.n
        assert tup.values == [word, n] and tup.values[1] == n
        if n % 50 == 0 or (n % 10 == 0 and n not in self.failed_once):
            self.failed_once.add(n)
            self.logger.info("failing %d", n)
            self.fail(tup)
            return
        self.emit([word, n], stream="evens" if n % 2 == 0 else "odds")
