"""streamparse.testing: BoltTester and SpoutTester, in-process.

Besides the testers' own behaviour, a few cases run the same component as a
real subprocess (tests.harness.FakeStorm) and check that the tester records
exactly the messages the component sends over the wire."""

import os
import sys
import threading
import unittest

from tests.harness import COMPONENTS, StormTestCase

if COMPONENTS not in sys.path:
    sys.path.insert(0, COMPONENTS)

import fixture_components as fc  # noqa: E402

from streamparse import bolt as bolt_module  # noqa: E402
from streamparse.bolt import BatchingBolt, Bolt  # noqa: E402
from streamparse.ipc import Tuple  # noqa: E402
from streamparse.spout import Spout  # noqa: E402
from streamparse.testing import BoltTester, Emit, SpoutTester  # noqa: E402


class SentenceSplitterBolt(Bolt):
    """The seed's SentenceSplitterBolt (docs/testing.md's example)."""

    def process(self, tup):
        import re
        sentence = tup.values[0]
        sentence = re.sub(r"[,.;!\?]", "", sentence)
        words = [[word.strip()] for word in sentence.split(" ")
                 if word.strip()]
        if not words:
            self.fail(tup)
            return
        self.emit_many(words)


class SeenBolt(Bolt):
    """Reports what initialize() and process() saw."""

    def initialize(self, conf, context):
        self.init = (dict(conf), context["componentid"], context["taskid"])

    def process(self, tup):
        self.emit([tup.id, tup.component, tup.stream, tup.task,
                   list(tup.values), isinstance(tup, Tuple)])


class SetEmitBolt(Bolt):
    def process(self, tup):
        self.emit([{1, 2}])


class KeyBatcher(BatchingBolt):
    secs_between_batches = 0.01  # a timer thread would fire at once

    def group_key(self, tup):
        return tup.values[0]

    def process_batch(self, key, tups):
        if key == "bad":
            raise RuntimeError("bad batch")
        self.emit([key, [t.values[1] for t in tups]])


class BoltTesterTest(unittest.TestCase):
    def test_seed_splitter(self):
        t = BoltTester(SentenceSplitterBolt)
        self.assertEqual(t.process(["Hello, big world."]),
                         [["Hello"], ["big"], ["world"]])
        self.assertEqual(t.emitted[0], Emit(["Hello"], anchors=["t1"]))
        self.assertEqual(t.acked, ["t1"])
        self.assertEqual(t.process([" ;,. "]), [])
        self.assertEqual(t.failed, ["t2"])   # failed by hand, not acked
        self.assertEqual(t.acked, ["t1"])
        self.assertEqual(len(t.emitted), 3)

    def test_tuple_fields_conf_and_context(self):
        t = BoltTester(SeenBolt, conf={"my.key": 5},
                       inputs={"words": {"default": ["word"],
                                         "other": ["a", "b"]}},
                       component="seen")
        self.assertEqual(t.component.init, ({"my.key": 5}, "seen", 2))
        self.assertEqual(t.context["source->stream->fields"],
                         {"words": {"default": ["word"],
                                    "other": ["a", "b"]}})
        self.assertEqual(t.context["task->component"],
                         {"1": "words", "2": "seen"})
        (e,) = t.process(["x", 1], stream="other", task=1, id="my-id")
        self.assertEqual(e.values, ["my-id", "words", "other", 1, ["x", 1],
                                    True])
        self.assertEqual(e.anchors, ["my-id"])
        self.assertEqual(t.acked, ["my-id"])

    def test_emit_options_recorded(self):
        t = BoltTester(fc.OptionsBolt)
        self.assertEqual(t.process(["stream"], id="a"),
                         [Emit(["x"], stream="words", anchors=["a"])])
        self.assertNotEqual(t.emitted[-1], ["x"])  # not the default stream
        self.assertEqual(t.process(["anchors-tuple"], id="b"),
                         [Emit(["x"], anchors=["b", "other-id"])])
        self.assertEqual(t.process(["anchors-empty"], id="c"),
                         [Emit(["x"])])
        self.assertEqual(t.process(["direct"], id="d"),
                         [Emit(["x"], anchors=["d"], direct_task=7)])
        self.assertEqual(t.process(["many"], id="e"),
                         [Emit(["a"], stream="s2", anchors=["e"]),
                          Emit(["b"], stream="s2", anchors=["e"])])
        t.process(["log-levels"])
        self.assertEqual(t.logs[-7:-1], [
            ("trace", "at trace"), ("debug", "at debug"), ("info", "at info"),
            ("warn", "at warn"), ("error", "at error"), ("info", "no level")])
        t.process(["metric"])
        self.assertEqual(t.metrics, [("my-metric", {"count": 3})])
        t.process(["error"])
        self.assertEqual(t.errors, ["something odd"])
        # emit() got Storm's reply (no subscriber here: no task ids).
        self.assertIn(("info", "result [[], []]"), t.logs)
        self.assertEqual(t.acked, ["a", "b", "c", "d", "e", "t1", "t2",
                                   "t3"])

    def test_exception_fails_records_and_raises(self):
        t = BoltTester(fc.CrashBolt)
        self.assertEqual(t.process(["fine"]), [["ok"]])
        with self.assertRaises(RuntimeError) as cm:
            t.process(["boom"], id="x")
        self.assertIn("boom requested", str(cm.exception))
        self.assertEqual(t.failed, ["x"])
        self.assertEqual(t.acked, ["t1"])
        self.assertEqual(len(t.errors), 1)
        self.assertIn("process() raised", t.errors[0])
        self.assertIn("RuntimeError: boom requested", t.errors[0])
        # The tester stays usable.
        self.assertEqual(t.process(["again"]), [["ok"]])

    def test_no_auto_fail(self):
        t = BoltTester(fc.CrashNoFailBolt)
        with self.assertRaises(RuntimeError):
            t.process(["boom"])
        self.assertEqual(t.failed, [])

    def test_no_auto_ack_or_anchor(self):
        t = BoltTester(fc.NoAutoBolt)
        self.assertEqual(t.process(["nothing"]), [Emit(["x"])])
        t.process(["ack"], id="k")
        self.assertEqual(t.acked, ["k"])

    def test_tick(self):
        t = BoltTester(fc.TickBolt)
        self.assertEqual(t.tick(secs=5, id="tk"),
                         [Emit(["tick", 5, True], anchors=["tk"])])
        self.assertEqual(t.acked, ["tk"])
        self.assertEqual(t.process([3]), [["tuple", 3]])

    def test_value_storm_cannot_carry(self):
        t = BoltTester(SetEmitBolt)
        with self.assertRaises(TypeError):
            t.process(["x"])

    def test_initialize_error_raised(self):
        with self.assertRaises(KeyError):
            BoltTester(fc.InitCrashBolt)


class BatchingTesterTest(unittest.TestCase):
    def test_flush_runs_batches_in_key_order(self):
        t = BoltTester(KeyBatcher)
        for i, key in enumerate(["a", "b", "a"]):
            self.assertEqual(t.process([key, i], id="i%d" % i), [])
        self.assertEqual(list(t.pending), ["a", "b"])
        # No timer thread: nothing happens until flush().
        self.assertEqual(
            [th for th in threading.enumerate() if th.name ==
             "streamparse-batcher" and th.is_alive()], [])
        self.assertEqual(t.acked, [])
        self.assertEqual(t.flush(), [
            Emit(["a", [0, 2]], anchors=["i0", "i2"]),
            Emit(["b", [1]], anchors=["i1"])])
        self.assertEqual(t.acked, ["i0", "i2", "i1"])
        self.assertEqual(t.flush(), [])
        self.assertEqual(t.pending, {})
        t.process(["c", 9], id="i3")
        self.assertEqual(t.flush(), [Emit(["c", [9]], anchors=["i3"])])

    def test_failing_batch_fails_its_tuples_and_later_ones(self):
        t = BoltTester(KeyBatcher)
        t.process(["a", 0], id="a0")
        t.process(["bad", 1], id="b1")
        t.process(["c", 2], id="c2")
        with self.assertRaises(RuntimeError):
            t.flush()
        self.assertEqual(t.emitted, [Emit(["a", [0]], anchors=["a0"])])
        self.assertEqual(t.acked, ["a0"])
        self.assertEqual(t.failed, ["b1", "c2"])
        self.assertIn("process_batch() raised", t.errors[0])

    @unittest.skipUnless(hasattr(bolt_module, "TicklessBatchingBolt"),
                         "no TicklessBatchingBolt in this runtime")
    def test_tickless_batching_bolt(self):
        class Tickless(bolt_module.TicklessBatchingBolt):
            secs_between_batches = 0.01

            def process_batch(self, key, tups):
                self.emit([len(tups)])

        t = BoltTester(Tickless)
        t.process(["a"], id="a")
        t.process(["b"], id="b")
        self.assertEqual(t.tick(), [])      # ticks do not flush it
        self.assertEqual(t.flush(), [Emit([2], anchors=["a", "b"])])
        self.assertEqual(t.acked, ["t1", "a", "b"])

    def test_flush_on_a_plain_bolt(self):
        with self.assertRaises(TypeError):
            BoltTester(fc.EchoBolt).flush()


class SpoutTesterTest(unittest.TestCase):
    def test_next_ack_fail_activate(self):
        t = SpoutTester(fc.WordSpout)
        self.assertEqual(t.next_tuple(),
                         [Emit(["word-1"], tup_id=1)])
        self.assertEqual(t.next_tuple(n=2),
                         [Emit(["word-2"], tup_id=2),
                          Emit(["word-3"], tup_id=3)])
        self.assertEqual(t.ack(2), [Emit(["acked", 2], stream="events")])
        self.assertEqual(t.fail(3), [Emit(["failed", 3], stream="events")])
        self.assertEqual(t.acked, [2])
        self.assertEqual(t.failed, [3])
        self.assertEqual(t.activate(), [Emit(["activated"], stream="events")])
        self.assertEqual(t.deactivate(),
                         [Emit(["deactivated"], stream="events")])
        self.assertEqual(len(t.emitted), 7)
        self.assertEqual(t.logs[0], ("info", "ids []"))

    def test_options(self):
        t = SpoutTester(fc.OptionsSpout)
        self.assertEqual(t.next_tuple(5), [
            Emit(["u"]),
            Emit(["d"], stream="s", direct_task=9, tup_id="m2"),
            Emit(["n"], tup_id="m3"),
            Emit(["a"], tup_id="i1"), Emit(["b"], tup_id="i2")])
        self.assertEqual(t.next_tuple(), [])

    def test_spout_exception(self):
        t = SpoutTester(fc.CrashSpout)
        with self.assertRaises(ValueError):
            t.next_tuple()
        self.assertIn("next_tuple() raised", t.errors[0])


class EmitRecordTest(unittest.TestCase):
    def test_equality(self):
        self.assertEqual(Emit(["a"], anchors=["x"]), ["a"])
        self.assertEqual(Emit(["a"]), ("a",))
        self.assertNotEqual(Emit(["a"], stream="s"), ["a"])
        self.assertNotEqual(Emit(["a"], direct_task=3), ["a"])
        self.assertNotEqual(Emit(["a"], anchors=["x"]), Emit(["a"]))
        self.assertEqual(Emit(["a"], stream=None), Emit(["a"]))
        self.assertEqual(repr(Emit(["a"], stream="s", anchors=["t1"])),
                         "Emit(['a'], stream='s', anchors=['t1'])")


class SameAsTheWireTest(StormTestCase, unittest.TestCase):
    """The tester records what the subprocess writes to Storm."""

    @staticmethod
    def _wire_record(msg):
        return Emit(msg["tuple"], stream=msg.get("stream"),
                    anchors=msg.get("anchors"), direct_task=msg.get("task"),
                    tup_id=msg.get("id"))

    def test_options_bolt(self):
        kinds = ["stream", "anchors-tuple", "anchors-single", "direct",
                 "no-ids", "many"]
        s = self.storm("fixture_components.OptionsBolt")
        t = BoltTester(fc.OptionsBolt)
        for i, kind in enumerate(kinds):
            tid = "w%d" % i
            s.tuple(tid, [kind])
            wire_emits, wire_acks = [], []
            while len(wire_acks) < 1:
                msg = s.recv()
                if msg["command"] == "emit":
                    wire_emits.append(self._wire_record(msg))
                    if "task" not in msg and msg.get("need_task_ids", True):
                        s.send([])
                elif msg["command"] == "ack":
                    wire_acks.append(msg["id"])
            self.assertEqual(t.process([kind], id=tid), wire_emits, kind)
            self.assertEqual(t.acked[-1:], wire_acks)

    def test_spout(self):
        s = self.storm("fixture_components.OptionsSpout")
        t = SpoutTester(fc.OptionsSpout)
        for _ in range(4):
            s.command("next")
            wire = [self._wire_record(m)
                    for m in s.until_sync(task_ids=[])
                    if m["command"] == "emit"]
            self.assertEqual(t.next_tuple(), wire)


if __name__ == "__main__":
    unittest.main()
