"""The Python components of the repository's examples under the runtime
(played by the fake Storm; `topoc run` tests run them for real)."""

import os
import unittest

from tests.harness import PACKAGE_ROOT, StormTestCase

REPO = os.path.dirname(os.path.dirname(PACKAGE_ROOT))
WORDCOUNT_SRC = os.path.join(REPO, "examples", "wordcount", "src")
SENTENCES_SRC = os.path.join(REPO, "examples", "sentences", "src")


@unittest.skipUnless(os.path.isdir(WORDCOUNT_SRC), "examples/wordcount absent")
class WordcountExampleTest(StormTestCase, unittest.TestCase):
    def test_spout_then_counter(self):
        spout = self.storm("spouts.words.WordSpout",
                           extra_path=[WORDCOUNT_SRC])
        words = []
        for _ in range(5):
            spout.command("next")
            (emit,) = spout.until_sync(task_ids=[2])
            words.append(emit["tuple"][0])
            self.assertNotIn("id", emit)  # unreliable emits
        self.assertEqual(words, ["dog", "cat", "zebra", "elephant", "dog"])

        bolt = self.storm("bolts.wordcount.WordCounter",
                          extra_path=[WORDCOUNT_SRC])
        for i, word in enumerate(words):
            bolt.tuple(str(i), [word], comp="word-spout")
            emit = bolt.recv()
            bolt.send([3])
            self.assertEqual(emit["anchors"], [str(i)])
            self.assertEqual(bolt.recv()["command"], "log")
            self.assertEqual(bolt.recv(), {"command": "ack", "id": str(i)})
        self.assertEqual(emit["tuple"], ["dog", 2])


@unittest.skipUnless(os.path.isdir(SENTENCES_SRC), "examples/sentences absent")
class SentencesExampleTest(StormTestCase, unittest.TestCase):
    def test_splitter_words_and_errors(self):
        s = self.storm("bolts.SentenceSplitter", extra_path=[SENTENCES_SRC])
        s.tuple("s1", ["He will be here, in half an hour."])
        words = []
        while True:
            msg = s.recv()
            if msg["command"] == "ack":
                break
            self.assertEqual(msg["anchors"], ["s1"])
            words.append(msg["tuple"][0])
            s.send([4])
        self.assertEqual(words, "He will be here in half an hour".split())
        s.tuple("s2", ["!?"])
        self.assertEqual(s.recv(), {"command": "emit", "tuple": ["!?",
                                                                  "no words"],
                                    "stream": "errors", "anchors": ["s2"]})
        s.send([5])
        self.assertEqual(s.recv(), {"command": "ack", "id": "s2"})


if __name__ == "__main__":
    unittest.main()
