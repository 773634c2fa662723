"""The optional msgpack serializer."""

import os
import tempfile
import shutil
import unittest

from tests.harness import StormTestCase, msgpack


@unittest.skipIf(msgpack is None, "the msgpack module is not installed for "
                 "this interpreter; the msgpack serializer is not tested here")
class MsgpackTest(StormTestCase, unittest.TestCase):
    def test_bolt_over_msgpack(self):
        s = self.storm("fixture_components.EchoBolt", serializer="msgpack")
        self.assertEqual(s.pid, s.proc.pid)
        s.tuple("t1", ["héllo", b"\x00\x01", 1.5])
        s.heartbeat()
        self.assertEqual(s.recv(), {"command": "emit",
                                    "tuple": ["héllo", b"\x00\x01", 1.5],
                                    "anchors": ["t1"]})
        self.assertEqual(s.recv(), {"command": "sync"})
        s.send([2])
        self.assertEqual(s.recv()["msg"], "ids héllo [2]")
        self.assertEqual(s.recv(), {"command": "ack", "id": "t1"})
        self.assertEqual(s.finish(), 0)
        self.assertNotIn(b"end\n", bytes(s.stdout_bytes))

    def test_spout_over_msgpack(self):
        s = self.storm("fixture_components.WordSpout", serializer="msgpack")
        s.command("next")
        self.assertEqual(s.until_sync(task_ids=[3]), [
            {"command": "emit", "tuple": ["word-1"], "id": 1},
            {"command": "log", "msg": "ids [3]"}])

    def test_truncated_msgpack(self):
        s = self.storm("fixture_components.EchoBolt", serializer="msgpack")
        s.send_raw(msgpack.packb({"id": "x", "tuple": ["a" * 50]})[:-10])
        self.assertEqual(s.finish(), 2)
        self.assertIn("middle of a MessagePack message", s.stderr)


class MsgpackAbsentTest(StormTestCase, unittest.TestCase):
    """A component without the msgpack module given a MessagePack handshake
    stops with a clear message (simulated by shadowing the module)."""

    def test_clear_error_without_msgpack(self):
        shadow = tempfile.mkdtemp(prefix="no-msgpack-")
        self.addCleanup(shutil.rmtree, shadow, True)
        with open(os.path.join(shadow, "msgpack.py"), "w") as f:
            f.write("raise ImportError('msgpack hidden by the test')\n")
        s = self.storm("fixture_components.EchoBolt", handshake=False,
                       extra_path=[shadow])
        # fixmap with one entry: the start of a MessagePack handshake
        s.send_raw(b"\x81\xa4conf\x80")
        self.assertEqual(s.finish(), 2)
        self.assertIn("'msgpack' Python module is not installed", s.stderr)


if __name__ == "__main__":
    unittest.main()
