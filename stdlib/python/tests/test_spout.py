"""Spouts driven through the multilang protocol by a fake Storm."""

import unittest

from tests.harness import StormTestCase


class SpoutTest(StormTestCase, unittest.TestCase):
    def test_next_emits_reliably_and_syncs(self):
        s = self.storm("fixture_components.WordSpout")
        s.command("next")
        self.assertEqual(s.recv(), {"command": "emit", "tuple": ["word-1"],
                                    "id": 1})
        s.no_message()  # waits for the task ids
        s.send([3, 4])
        self.assertEqual(s.recv(), {"command": "log", "msg": "ids [3, 4]"})
        self.assertEqual(s.recv(), {"command": "sync"})
        s.command("next")
        self.assertEqual(s.until_sync(task_ids=[2]),
                         [{"command": "emit", "tuple": ["word-2"], "id": 2},
                          {"command": "log", "msg": "ids [2]"}])
        self.assertEqual(s.finish(), 0)

    def test_input_closing_while_an_emit_waits_exits_quietly(self):
        s = self.storm("fixture_components.WordSpout")
        s.command("next")
        self.assertEqual(s.recv()["command"], "emit")  # waits for task ids
        self.assertEqual(s.finish(), 0)
        s.expect_eof()
        self.assertNotIn("Traceback", s.stderr)

    def test_ack_fail_activate_deactivate(self):
        s = self.storm("fixture_components.WordSpout")
        for cmd, msg_id, expected in [
                ("activate", "", ["activated"]),
                ("ack", 17, ["acked", 17]),
                ("fail", "abc", ["failed", "abc"]),
                ("deactivate", "", ["deactivated"])]:
            s.command(cmd, msg_id)
            self.assertEqual(s.until_sync(), [
                {"command": "emit", "tuple": expected, "stream": "events",
                 "need_task_ids": False}], cmd)

    def test_emit_variants(self):
        s = self.storm("fixture_components.OptionsSpout")
        s.command("next")
        self.assertEqual(s.until_sync(task_ids=[5]), [
            {"command": "emit", "tuple": ["u"]},
            {"command": "log", "msg": "result [5]"}])
        s.command("next")
        self.assertEqual(s.until_sync(), [
            {"command": "emit", "tuple": ["d"], "id": "m2", "stream": "s",
             "task": 9},
            {"command": "log", "msg": "result [9]"}])
        s.command("next")
        self.assertEqual(s.until_sync(), [
            {"command": "emit", "tuple": ["n"], "id": "m3",
             "need_task_ids": False},
            {"command": "log", "msg": "result None"}])
        s.command("next")
        self.assertEqual(s.until_sync(), [
            {"command": "emit", "tuple": ["a"], "id": "i1",
             "need_task_ids": False},
            {"command": "emit", "tuple": ["b"], "id": "i2",
             "need_task_ids": False},
            {"command": "log", "msg": "result [None, None]"}])
        s.command("next")  # nothing to emit: still answered
        self.assertEqual(s.until_sync(), [
            {"command": "log", "msg": "result None"}])

    def test_unknown_command_is_ignored_but_synced(self):
        s = self.storm("fixture_components.WordSpout")
        s.command("rewind")
        self.assertEqual(s.until_sync(), [])

    def test_exception_reports_error_and_exits(self):
        s = self.storm("fixture_components.CrashSpout")
        s.command("next")
        err = s.recv()
        self.assertEqual(err["command"], "error")
        self.assertIn("ValueError: spout broke", err["msg"])
        self.assertIn("next_tuple() raised", err["msg"])
        s.expect_eof()
        self.assertEqual(s.wait(), 1)


if __name__ == "__main__":
    unittest.main()
