"""BatchingBolt: batching by key and by time on a worker thread."""

import time
import unittest

from tests.harness import StormTestCase


class BatchingTest(StormTestCase, unittest.TestCase):
    def test_batches_by_key_anchored_then_acked(self):
        s = self.storm("fixture_components.GroupBatchBolt")
        start = time.monotonic()
        for i, key in enumerate(["a", "b", "a", "c", "b", "a"]):
            s.tuple("t%d" % i, [key])
        s.heartbeat()  # answered by the reader thread while batching
        self.assertEqual(s.recv(), {"command": "sync"})
        emits = {}
        acks = []
        while len(acks) < 6:
            msg = s.recv()
            if msg["command"] == "emit":
                emits[msg["tuple"][0]] = msg
                self.assertGreaterEqual(time.monotonic() - start, 0.25)
                s.send([11])
            elif msg["command"] == "ack":
                acks.append(msg["id"])
            elif msg["command"] == "log":
                self.assertTrue(msg["msg"].endswith("ids [11]"), msg)
            else:
                self.fail("unexpected %r" % (msg,))
        self.assertEqual(emits["a"], {"command": "emit", "tuple": ["a", 3],
                                      "anchors": ["t0", "t2", "t5"]})
        self.assertEqual(emits["b"]["tuple"], ["b", 2])
        self.assertEqual(emits["b"]["anchors"], ["t1", "t4"])
        self.assertEqual(emits["c"]["anchors"], ["t3"])
        self.assertEqual(sorted(acks), ["t%d" % i for i in range(6)])
        # Keys are processed in the order they first appeared.
        self.assertEqual(list(emits), ["a", "b", "c"])

    def test_time_batches(self):
        s = self.storm("fixture_components.TimeBatchBolt")
        s.tuple("x1", [1])
        s.tuple("x2", [2])
        first = s.recv()
        self.assertEqual(first["tuple"], [None, [1, 2]])
        self.assertEqual({s.recv()["id"], s.recv()["id"]}, {"x1", "x2"})
        s.no_message(0.6)  # empty batches emit nothing
        s.tuple("x3", [3])
        second = s.recv()
        self.assertEqual(second["tuple"], [None, [3]])
        self.assertEqual(second["anchors"], ["x3"])
        self.assertEqual(s.recv(), {"command": "ack", "id": "x3"})

    def test_task_ids_reach_the_right_thread(self):
        s = self.storm("fixture_components.TickBatchBolt")
        given = {}      # emitted tuple (as a tuple) -> task ids answered
        logs = []
        n = 0
        deadline = time.monotonic() + 1.5
        i = 0
        while time.monotonic() < deadline:
            s.tuple("t%d" % i, ["k%d" % (i % 3)])
            s.tick("tick%d" % i)
            i += 1
            try:
                while True:
                    msg = s.recv(0.01)
                    if msg["command"] == "emit":
                        n += 1
                        given[tuple(msg["tuple"])] = [n]
                        s.send([n])
                    elif msg["command"] == "log":
                        logs.append(msg["msg"])
            except AssertionError:
                pass
        s.finish()
        while True:
            try:
                msg = s.recv(0.5)
            except AssertionError:
                break
            if msg["command"] == "log":
                logs.append(msg["msg"])
        ticks = [l for l in logs if l.startswith("tick ")]
        batches = [l for l in logs if l.startswith("batch ")]
        self.assertGreater(len(ticks), 3)
        self.assertGreater(len(batches), 1)
        for line in logs:
            kind, name, ids = line.split(" ", 2)
            self.assertEqual(ids, repr(given[(kind, name)]), line)

    def test_process_batch_exception_fails_batch_and_exits(self):
        s = self.storm("fixture_components.CrashBatchBolt")
        s.tuple("g1", ["good"])
        s.tuple("b1", ["bad"])
        s.tuple("b2", ["bad"])
        got = []
        while True:
            msg = s.recv()
            got.append(msg)
            if msg["command"] == "error":
                break
        self.assertIn({"command": "emit", "tuple": ["good"],
                       "anchors": ["g1"], "need_task_ids": False}, got)
        self.assertIn({"command": "ack", "id": "g1"}, got)
        self.assertIn({"command": "fail", "id": "b1"}, got)
        self.assertIn({"command": "fail", "id": "b2"}, got)
        self.assertIn("RuntimeError: bad batch", got[-1]["msg"])
        s.expect_eof()
        self.assertEqual(s.wait(), 1)


if __name__ == "__main__":
    unittest.main()
