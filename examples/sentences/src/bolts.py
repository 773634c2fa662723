"""The bolts of the sentences topology.

WordSaver and ErrorLog write what they see under the folder of the
`streamparse.log.path` setting (`topoc run` sets it to the project's logs/),
so a run leaves observable results behind:

    logs/word_counts_<task>.json     {"word": count, ...}, rewritten as counts change
    logs/sentence_errors_<task>.log  one "reason<TAB>sentence" line per error tuple
"""
import json
import os
import re
import time
from collections import Counter

from streamparse.bolt import Bolt


def _output_dir(conf):
    path = conf.get("streamparse.log.path") or "logs"
    os.makedirs(path, exist_ok=True)
    return path


def _task_id(context):
    return context.get("taskid", 0) if isinstance(context, dict) else 0


class SentenceSplitter(Bolt):
    """Splits sentences into words; a sentence without words goes to the
    'errors' stream as (sentence, reason) instead."""

    def process(self, tup):
        sentence = tup.values[0]  # extract the sentence
        cleaned = re.sub(r"[,.;!\?]", "", sentence)  # get rid of punctuation
        words = [[word.strip()] for word in cleaned.split(" ") if word.strip()]
        if not words:
            self.emit([sentence, "no words"], stream="errors")
            return
        self.emit_many(words)
        # tuple acknowledgement is handled automatically


class WordCounter(Bolt):
    """Counts words; every tick tuple it logs how many distinct words it saw."""

    def initialize(self, conf, ctx):
        self.counts = Counter()

    def process(self, tup):
        if tup.stream == "__tick":  # a runtime that hands ticks to process()
            self.process_tick(tup)
            return
        word = tup.values[0]
        self.counts[word] += 1
        self.emit([word, self.counts[word]])

    def process_tick(self, tup):
        self.log("%d distinct words so far" % len(self.counts))


class ErrorLog(Bolt):
    """Records every tuple of the splitter's 'errors' stream."""

    def initialize(self, conf, ctx):
        self.path = os.path.join(
            _output_dir(conf), "sentence_errors_%s.log" % _task_id(ctx))

    def process(self, tup):
        sentence, reason = tup.values
        with open(self.path, "a") as out:
            out.write("%s\t%s\n" % (reason, sentence))
        self.log("sentence with %s: %r" % (reason, sentence), level="warn")


class WordSaver(Bolt):
    """Keeps the latest count of every word and saves them as JSON: at once
    when a word is new, otherwise at most every half second."""

    def initialize(self, conf, ctx):
        self.path = os.path.join(
            _output_dir(conf), "word_counts_%s.json" % _task_id(ctx))
        self.counts = {}
        self.last_save = 0.0

    def process(self, tup):
        word, count = tup.values
        new_word = word not in self.counts
        self.counts[word] = max(count, self.counts.get(word, 0))
        now = time.time()
        if new_word or now - self.last_save >= 0.5:
            self.save()
            self.last_save = now

    def save(self):
        tmp = self.path + ".tmp"
        with open(tmp, "w") as out:
            json.dump(self.counts, out, sort_keys=True)
        os.replace(tmp, self.path)
