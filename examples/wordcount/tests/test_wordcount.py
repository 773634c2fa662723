"""Tests of the spout and bolt, without Storm: `topoc test` runs them.

streamparse.testing runs a component in this process and records what it
sends to Storm (emits, acks, fails, logs); see topoc's docs/testing.md.
"""
import unittest

from streamparse.testing import BoltTester, Emit, SpoutTester

from bolts.wordcount import WordCounter
from spouts.words import WordSpout


class WordCounterTest(unittest.TestCase):
    def test_counts_each_word(self):
        bolt = BoltTester(WordCounter)
        self.assertEqual(bolt.process(["dog"]), [["dog", 1]])
        bolt.process(["cat"])
        # Emits are anchored to the tuple being processed, which is acked.
        self.assertEqual(bolt.process(["dog"], id="t3"),
                         [Emit(["dog", 2], anchors=["t3"])])
        self.assertEqual(bolt.acked, ["t1", "t2", "t3"])
        self.assertEqual(bolt.logs[-1], ("info", "dog: 2"))


class WordSpoutTest(unittest.TestCase):
    def test_cycles_through_its_words(self):
        spout = SpoutTester(WordSpout)
        self.assertEqual(spout.next_tuple(5),
                         [["dog"], ["cat"], ["zebra"], ["elephant"], ["dog"]])


if __name__ == "__main__":
    unittest.main()
