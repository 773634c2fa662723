"""The streamparse 3/4 and pystorm component API: named values,
ReliableSpout, tick-driven and tickless batching, exit_on_exception,
raise_exception / report_metric / topology_name / debug / is_tick,
StormHandler, read_handshake / read_tuple / read_task_ids, pystorm's log
keys, streamparse.storm and BasicBolt."""

import json
import os
import shutil
import tempfile
import time
import unittest

from tests.harness import StormTestCase, msgpack

FIELDS_CONTEXT = {
    "taskid": 5, "componentid": "comp", "task->component": {"5": "comp"},
    "source->stream->fields": {
        "word-spout": {"default": ["word", "count"],
                       "odd": ["my-field", "class", "ok"]},
    },
}


def logs_of(messages):
    return [m["msg"] for m in messages if m.get("command") == "log"]


class NamedValuesTest(StormTestCase, unittest.TestCase):
    def test_values_are_a_named_tuple_usable_as_a_list(self):
        s = self.storm("sp4_components.NamedValuesBolt",
                       context=FIELDS_CONTEXT)
        s.tuple("t1", ["dog", 3], comp="word-spout")
        report = json.loads(s.recv()["msg"])
        self.assertEqual(report, {
            "type": "WordSpoutDefaultValues", "first": "dog", "len": 2,
            "items": ["dog", 3], "eq_list": True,
            "plus": ["dog", 3, "extra"], "fields": ["word", "count"],
            "named": ["dog", 3], "dict": {"word": "dog", "count": 3},
            "hash": True})
        self.assertEqual(s.recv(), {"command": "emit", "tuple": ["dog", 3],
                                    "anchors": ["t1"]})
        s.send([1])
        self.assertEqual(s.recv(), {
            "command": "emit", "stream": "nested", "anchors": ["t1"],
            "tuple": [["dog", 3], {"nested": ["dog", 3]}]})
        s.send([1])
        self.assertEqual(s.recv(), {"command": "ack", "id": "t1"})

    def test_field_names_that_are_not_identifiers_are_renamed(self):
        s = self.storm("sp4_components.NamedValuesBolt",
                       context=FIELDS_CONTEXT)
        s.tuple("t1", [1, 2, 3], comp="word-spout", stream="odd")
        report = json.loads(s.recv()["msg"])
        self.assertEqual(report["fields"], ["_0", "_1", "ok"])
        self.assertEqual(report["named"], [1, 2, 3])

    def test_lists_when_the_fields_are_unknown_or_do_not_match(self):
        s = self.storm("sp4_components.NamedValuesBolt",
                       context=FIELDS_CONTEXT)
        for tup_id, values, comp, stream in [
                ("t1", ["x", 1], "other", "default"),      # unknown source
                ("t2", ["x", 1], "word-spout", "nostream"),
                ("t3", ["x", 1, 2], "word-spout", "default")]:  # 3 values
            s.tuple(tup_id, values, comp=comp, stream=stream)
            report = json.loads(s.recv()["msg"])
            self.assertEqual(report["type"], "list", tup_id)
            self.assertNotIn("fields", report)
            s.recv()
            s.send([1])
            s.recv()
            s.send([1])
            self.assertEqual(s.recv(), {"command": "ack", "id": tup_id})
        # No source->stream->fields in the context at all (Storm 0.9).
        s2 = self.storm("sp4_components.NamedValuesBolt")
        s2.tuple("t1", ["x", 1], comp="word-spout")
        self.assertEqual(json.loads(s2.recv()["msg"])["type"], "list")

    def test_attribute_access_in_a_word_count(self):
        s = self.storm("sp4_components.WordCountBolt", context=FIELDS_CONTEXT)
        for i, word in enumerate(["a", "b", "a"]):
            s.tuple("t%d" % i, [word, i], comp="word-spout")
        got = [s.recv() for _ in range(6)]
        self.assertEqual([m["tuple"] for m in got if m["command"] == "emit"],
                         [["a", 1], ["b", 1], ["a", 2]])


    @unittest.skipIf(msgpack is None, "the msgpack module is not installed "
                     "for this interpreter")
    def test_named_values_over_msgpack(self):
        s = self.storm("sp4_components.NamedValuesBolt",
                       context=FIELDS_CONTEXT, serializer="msgpack")
        s.tuple("t1", ["dog", b"\x00"], comp="word-spout")
        report = s.recv()["msg"]
        self.assertIn('"fields": ["word", "count"]', report)
        self.assertEqual(s.recv(), {"command": "emit",
                                    "tuple": ["dog", b"\x00"],
                                    "anchors": ["t1"]})
        s.send([1])
        self.assertEqual(s.recv()["tuple"], [["dog", b"\x00"],
                                             {"nested": ["dog", b"\x00"]}])


class ReliableSpoutTest(StormTestCase, unittest.TestCase):
    def test_replays_failed_tuples_up_to_max_fails_then_gives_up(self):
        s = self.storm("sp4_components.ReplaySpout")
        emits = []
        for _ in range(4):
            s.command("next")
            emits += s.until_sync()
        self.assertEqual(emits, [
            {"command": "emit", "tuple": ["v0"], "id": 0,
             "need_task_ids": False},
            {"command": "emit", "tuple": ["v1"], "id": 1, "stream": "odd",
             "need_task_ids": False},
            {"command": "emit", "tuple": ["v2"], "id": 2,
             "need_task_ids": False}])
        # Tuple 1 fails: it is emitted again on its stream with its id.
        s.command("fail", 1)
        self.assertEqual(s.until_sync(), [
            {"command": "emit", "tuple": ["v1"], "id": 1, "stream": "odd",
             "need_task_ids": False},
            {"command": "log", "msg": "fail 1 unacked=[0, 1, 2] "
                                      "failed=[(1, 1)]"}])
        s.command("ack", 0)
        self.assertEqual(logs_of(s.until_sync()),
                         ["ack 0 unacked=[1, 2] failed=[(1, 1)]"])
        s.command("fail", 1)
        msgs = s.until_sync()
        self.assertEqual([m["command"] for m in msgs], ["emit", "log"])
        self.assertEqual(msgs[1]["msg"], "fail 1 unacked=[1, 2] "
                                         "failed=[(1, 2)]")
        # The third failure exceeds max_fails = 2: given up, as an ack.
        s.command("fail", 1)
        self.assertEqual(logs_of(s.until_sync()), [
            "ack 1 unacked=[2] failed=[]", "fail 1 unacked=[2] failed=[]"])
        # Unknown ids are ignored (the ack of a given-up tuple, say).
        s.command("ack", 1)
        self.assertEqual(logs_of(s.until_sync()),
                         ["ack 1 unacked=[2] failed=[]"])
        s.command("ack", 2)
        self.assertEqual(logs_of(s.until_sync()),
                         ["ack 2 unacked=[] failed=[]"])
        self.assertEqual(s.finish(), 0)

    def test_an_emit_without_id_is_an_error(self):
        s = self.storm("sp4_components.NoIdReliableSpout")
        s.command("next")
        err = s.recv()
        self.assertEqual(err["command"], "error")
        self.assertIn("ReliableSpout.emit() needs a tup_id", err["msg"])
        self.assertEqual(s.wait(), 1)


class BatchingModesTest(StormTestCase, unittest.TestCase):
    def test_tick_driven_batches_every_nth_tick(self):
        s = self.storm("sp4_components.TickBatchBolt",
                       conf={"topology.tick.tuple.freq.secs": 1})
        s.tuple("a1", ["a"])
        s.tuple("b1", ["b"])
        s.tuple("a2", ["a"])
        s.no_message(0.5)  # no timer thread
        s.tick("k1")
        self.assertEqual(s.recv(), {"command": "log", "msg": "tick k1"})
        self.assertEqual(s.recv(), {"command": "ack", "id": "k1"})
        s.no_message(0.3)  # one tick is not enough
        s.tick("k2")
        self.assertEqual(s.recv(), {"command": "log", "msg": "tick k2"})
        self.assertEqual(s.recv(), {"command": "ack", "id": "k2"})
        self.assertEqual(s.recv(), {"command": "emit", "tuple": ["a",
                                    ["a1", "a2"]], "anchors": ["a1", "a2"]})
        s.send([9])  # the main thread waits for them (the seed's default)
        self.assertEqual(s.recv()["msg"], "batch a ids [9]")
        self.assertEqual([s.recv()["id"], s.recv()["id"]], ["a1", "a2"])
        self.assertEqual(s.recv()["anchors"], ["b1"])
        s.send([9])
        self.assertEqual(s.recv()["msg"], "batch b ids [9]")
        self.assertEqual(s.recv(), {"command": "ack", "id": "b1"})
        s.tick("k3")
        s.tick("k4")  # batches are empty: nothing to process
        self.assertEqual([m["command"] for m in (s.recv() for _ in range(4))],
                         ["log", "ack", "log", "ack"])
        s.no_message(0.3)
        self.assertEqual(s.finish(), 0)

    def test_tick_driven_without_ticks_warns(self):
        s = self.storm("sp4_components.TickBatchBolt")
        self.assertEqual(s.finish(), 0)
        self.assertIn("no topology.tick.tuple.freq.secs", s.stderr)

    def test_bad_ticks_between_batches(self):
        s = self.storm("sp4_components.BadTicksBolt")
        err = s.recv()
        self.assertEqual(err["command"], "error")
        self.assertIn("ticks_between_batches must be a positive integer or "
                      "None, got 0", err["msg"])
        self.assertEqual(s.wait(), 1)

    def test_tickless_batches_by_timer_and_leaves_ticks_alone(self):
        s = self.storm("sp4_components.TimerBatchBolt",
                       context=FIELDS_CONTEXT)
        start = time.monotonic()
        s.tuple("t1", ["x", 1], comp="word-spout")
        s.tick("k1")
        s.tuple("t2", ["y", 1], comp="word-spout")
        s.tuple("t3", ["x", 2], comp="word-spout")
        self.assertEqual(s.recv(), {"command": "log", "msg": "tick k1"})
        self.assertEqual(s.recv(), {"command": "ack", "id": "k1"})
        first = s.recv()
        self.assertGreaterEqual(time.monotonic() - start, 0.25)
        self.assertEqual(first, {"command": "emit", "tuple": ["x", 2],
                                 "anchors": ["t1", "t3"],
                                 "need_task_ids": False})
        rest = [s.recv() for _ in range(4)]
        self.assertEqual(rest[2]["tuple"], ["y", 1])
        self.assertEqual(sorted(m["id"] for m in rest if m["command"] == "ack"),
                         ["t1", "t2", "t3"])


class ExitOnExceptionTest(StormTestCase, unittest.TestCase):
    def test_bolt_reports_fails_and_goes_on(self):
        s = self.storm("sp4_components.KeepGoingBolt")
        s.tuple("t1", ["bad"])
        self.assertEqual(s.recv(), {"command": "fail", "id": "t1"})
        err = s.recv()
        self.assertEqual(err["command"], "error")
        self.assertIn("ValueError raised in comp (task 5) while processing "
                      "Tuple(id='t1'", err["msg"])
        self.assertIn("bad value", err["msg"])
        s.tuple("t2", ["good"])
        self.assertEqual(s.recv()["tuple"], ["good"])
        self.assertEqual(s.recv(), {"command": "ack", "id": "t2"})
        self.assertEqual(s.finish(), 0)
        self.assertIn("exit_on_exception is False: going on", s.stderr)

    def test_without_auto_fail_the_tuple_is_neither_acked_nor_failed(self):
        s = self.storm("sp4_components.KeepGoingNoFailBolt")
        s.tuple("t1", ["bad"])
        self.assertEqual(s.recv()["command"], "error")
        s.tuple("t2", ["good"])
        self.assertEqual(s.recv()["tuple"], ["good"])
        self.assertEqual(s.recv(), {"command": "ack", "id": "t2"})

    def test_spout_goes_on(self):
        s = self.storm("sp4_components.KeepGoingSpout")
        s.command("next")
        self.assertEqual(s.until_sync()[0]["tuple"], [1])
        s.command("next")
        msgs = s.until_sync()
        self.assertEqual([m["command"] for m in msgs], ["error"])
        self.assertIn("RuntimeError raised in comp (task 5)", msgs[0]["msg"])
        s.command("next")
        self.assertEqual(s.until_sync()[0]["tuple"], [3])
        self.assertEqual(s.finish(), 0)

    def test_batch_failure_fails_that_batch_only(self):
        s = self.storm("sp4_components.KeepGoingBatchBolt")
        s.tuple("b1", ["bad"])
        s.tuple("g1", ["good"])
        s.tuple("b2", ["bad"])
        got = [s.recv() for _ in range(5)]
        self.assertEqual([m for m in got if m["command"] == "fail"],
                         [{"command": "fail", "id": "b1"},
                          {"command": "fail", "id": "b2"}])
        self.assertEqual([m["command"] for m in got].count("error"), 1)
        self.assertIn({"command": "emit", "tuple": ["good", 1],
                       "anchors": ["g1"], "need_task_ids": False}, got)
        self.assertIn({"command": "ack", "id": "g1"}, got)
        s.tuple("g2", ["good"])  # the batcher still runs
        self.assertEqual(s.recv()["tuple"], ["good", 1])
        self.assertEqual(s.recv(), {"command": "ack", "id": "g2"})


class ComponentApiTest(StormTestCase, unittest.TestCase):
    def test_attributes(self):
        s = self.storm("sp4_components.ApiBolt",
                       conf={"topology.name": "wc", "topology.debug": True})
        s.tuple("t1", ["attrs"])
        self.assertEqual(json.loads(s.recv()["msg"]), {
            "topology_name": "wc", "debug": True, "is_tick": False,
            "is_heartbeat": False, "tick_is_tick": True,
            "component_name": "comp", "task_id": 5})
        s2 = self.storm("sp4_components.ApiBolt")
        s2.tuple("t1", ["attrs"])
        self.assertFalse(json.loads(s2.recv()["msg"])["debug"])

    def test_report_metric(self):
        s = self.storm("sp4_components.ApiBolt")
        s.tuple("t1", ["metric"])
        self.assertEqual(s.recv(), {"command": "metrics",
                                    "name": "my-metric", "params": 7})

    def test_log_level_critical_is_storm_error(self):
        s = self.storm("sp4_components.ApiBolt")
        s.tuple("t1", ["critical"])
        self.assertEqual(s.recv(), {"command": "log", "msg": "bad news",
                                    "level": 4})

    def test_raise_exception_reports_and_returns(self):
        s = self.storm("sp4_components.ApiBolt")
        s.tuple("t1", ["raise_exception"])
        err = s.recv()
        self.assertEqual(err["command"], "error")
        self.assertTrue(err["msg"].startswith(
            "KeyError raised in comp (task 5) while processing "
            "Tuple(id='t1', component='src'"), err["msg"])
        self.assertIn("Traceback (most recent call last)", err["msg"])
        self.assertIn("KeyError: 'missing'", err["msg"])
        self.assertEqual(s.recv(), {"command": "log", "msg": "still here"})
        self.assertEqual(s.recv(), {"command": "ack", "id": "t1"})

    def test_storm_handler_sends_log_commands_at_their_level(self):
        s = self.storm("sp4_components.ApiBolt")
        s.tuple("t1", ["storm-handler"])
        self.assertEqual([s.recv() for _ in range(3)], [
            {"command": "log", "msg": "user.storm: an info", "level": 2},
            {"command": "log", "msg": "user.storm: a warning", "level": 3},
            {"command": "log", "msg": "user.storm: an error", "level": 4}])
        self.assertEqual(s.recv(), {"command": "ack", "id": "t1"})

    def test_basic_bolt(self):
        s = self.storm("sp4_components.OldBasicBolt")
        s.tuple("t1", ["hi"])
        self.assertEqual(s.recv(), {"command": "emit", "tuple": ["HI"],
                                    "anchors": ["t1"]})
        s.send([2])
        self.assertEqual(s.recv(), {"command": "ack", "id": "t1"})

    def test_driving_the_protocol_by_hand(self):
        s = self.storm("sp4_components.ManualBolt",
                       conf={"topology.name": "manual"})
        self.assertEqual(s.recv(), {"command": "log",
                                    "msg": "handshake manual comp"})
        s.heartbeat()
        self.assertEqual(s.recv(), {"command": "sync"})
        s.tuple("t1", ["a"])
        self.assertEqual(s.recv(), {"command": "emit", "anchors": ["t1"],
                                    "tuple": ["a"]})
        s.tuple("t2", ["b"])   # before t1's task ids: kept for read_tuple
        s.send([4, 5])
        self.assertEqual(s.recv()["msg"], "manual a [4, 5]")
        self.assertEqual(s.recv(), {"command": "ack", "id": "t1"})
        self.assertEqual(s.recv()["tuple"], ["b"])
        s.send([6])
        self.assertEqual(s.recv()["msg"], "manual b [6]")
        self.assertEqual(s.recv(), {"command": "ack", "id": "t2"})
        self.assertEqual(s.finish(), 0)
        self.assertTrue(os.path.exists(os.path.join(s.pid_dir, str(s.pid))))


class PystormLogKeysTest(StormTestCase, unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="streamparse-logs-")
        self.addCleanup(shutil.rmtree, self.dir, True)

    def run_bolt(self, conf):
        s = self.storm("sp4_components.LogKeysBolt", conf=conf)
        s.tuple("t1", ["x"])
        self.assertEqual(s.recv()["tuple"], ["done"])
        self.assertEqual(s.recv()["command"], "ack")
        self.assertEqual(s.finish(), 0)
        return s

    def test_pystorm_keys_and_file_template(self):
        logs = os.path.join(self.dir, "py")
        s = self.run_bolt({
            "topology.name": "wc",
            "streamparse.log.path": os.path.join(self.dir, "sp"),
            "streamparse.log.level": "info",
            "pystorm.log.path": logs,
            "pystorm.log.level": "debug",
            "pystorm.log.file": "{component_name}-{task_id}-{topology_name}"
                                "-{pid}.txt",
            "pystorm.log.max_bytes": 5000,
            "pystorm.log.backup_count": 1})
        self.assertFalse(os.path.exists(os.path.join(self.dir, "sp")))
        name = "comp-5-wc-%d.txt" % s.pid
        self.assertEqual(os.listdir(logs), [name])
        with open(os.path.join(logs, name)) as f:
            text = f.read()
        self.assertIn("user.code - DEBUG - a debug record", text)

    def test_streamparse_keys_still_apply_without_pystorm_ones(self):
        logs = os.path.join(self.dir, "sp")
        s = self.run_bolt({"streamparse.log.path": logs,
                           "streamparse.log.file": "x_{pid}.log"})
        self.assertEqual(os.listdir(logs), ["x_%d.log" % s.pid])

    def test_bad_template_falls_back_to_stderr_and_says_so(self):
        s = self.run_bolt({"pystorm.log.path": self.dir,
                           "pystorm.log.file": "{component}.log"})
        self.assertIn("conf pystorm.log.file '{component}.log' is not a "
                      "valid template", s.stderr)
        self.assertIn("an info record", s.stderr)
        self.assertEqual(os.listdir(self.dir), [])

    def test_bad_pystorm_level_is_named(self):
        s = self.run_bolt({"pystorm.log.level": "loud"})
        self.assertIn("conf pystorm.log.level must be one of", s.stderr)


class ModulesTest(unittest.TestCase):
    def test_streamparse_storm_exports(self):
        import streamparse
        from streamparse import bolt, ipc, log, spout, storm
        self.assertIs(storm.Bolt, bolt.Bolt)
        self.assertIs(storm.BatchingBolt, bolt.BatchingBolt)
        self.assertIs(storm.TicklessBatchingBolt, bolt.TicklessBatchingBolt)
        self.assertIs(storm.Spout, spout.Spout)
        self.assertIs(storm.ReliableSpout, spout.ReliableSpout)
        self.assertIs(storm.StormHandler, log.StormHandler)
        self.assertIs(storm.Tuple, ipc.Tuple)
        self.assertIs(streamparse.ReliableSpout, spout.ReliableSpout)
        self.assertIs(streamparse.TicklessBatchingBolt,
                      bolt.TicklessBatchingBolt)
        self.assertIs(streamparse.StormHandler, log.StormHandler)
        self.assertTrue(issubclass(bolt.BasicBolt, bolt.Bolt))
        self.assertTrue(issubclass(storm.TicklessBatchingBolt,
                                   storm.BatchingBolt))
        self.assertIsNone(bolt.BatchingBolt.ticks_between_batches)
        self.assertTrue(bolt.Bolt.exit_on_exception)
        with self.assertRaises(AttributeError):
            storm.NoSuchThing  # noqa: B018

    def test_values_types_units(self):
        from streamparse.ipc import tuple_from_message, values_types
        types = values_types(FIELDS_CONTEXT)
        msg = {"id": "1", "comp": "word-spout", "stream": "default",
               "task": 2, "tuple": ["w", 1]}
        v = tuple_from_message(msg, types).values
        self.assertEqual((v.word, v.count), ("w", 1))
        self.assertEqual(v, ("w", 1))
        self.assertEqual(v, ["w", 1])
        self.assertNotEqual(v, ["w", 2])
        self.assertNotEqual(v, ["w"])
        self.assertEqual(v + ("x",), ("w", 1, "x"))
        self.assertEqual([0] + v, [0, "w", 1])
        self.assertEqual(v.copy(), ["w", 1])
        self.assertEqual(v._replace(count=2), ["w", 2])
        self.assertEqual({v: 1}[("w", 1)], 1)
        w, c = v
        self.assertEqual((w, c), ("w", 1))
        self.assertEqual(json.dumps({"v": v}), '{"v": ["w", 1]}')
        self.assertEqual(values_types({"source->stream->fields": "junk"}), {})
        self.assertEqual(values_types(None), {})
        self.assertEqual(tuple_from_message(msg).values, ["w", 1])
        # Fields named like list or tuple methods are fields.
        odd = values_types({"source->stream->fields": {"s": {"d": [
            "copy", "count", "index"]}}})
        v = tuple_from_message({"id": "1", "comp": "s", "stream": "d",
                                "task": 2, "tuple": [1, 2, 3]}, odd).values
        self.assertEqual((v.copy, v.count, v.index), (1, 2, 3))
        self.assertEqual(v, [1, 2, 3])


if __name__ == "__main__":
    unittest.main()
