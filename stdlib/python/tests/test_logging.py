"""Log files: naming, level, rotation settings, stdout routing."""

import os
import tempfile
import shutil
import unittest

from tests.harness import StormTestCase


class LoggingTest(StormTestCase, unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="streamparse-logs-")
        self.addCleanup(shutil.rmtree, self.dir, True)
        self.logs = os.path.join(self.dir, "logs")  # created by the runtime

    def run_bolt(self, conf, values, **kwargs):
        conf = dict(conf)
        conf.setdefault("streamparse.log.path", self.logs)
        s = self.storm("fixture_components.LoggingBolt", conf=conf, **kwargs)
        s.tuple("t1", values)
        self.assertEqual(s.recv()["tuple"], ["done"])
        self.assertEqual(s.recv()["command"], "ack")
        self.assertEqual(s.finish(), 0)
        return s

    def read_log(self, name):
        with open(os.path.join(self.logs, name)) as f:
            return f.read()

    def test_file_name_and_default_level(self):
        s = self.run_bolt({"topology.name": "wordcount"}, ["normal"],
                          task_id=12, component="counter")
        name = "streamparse_wordcount_counter_12_%d.log" % s.proc.pid
        self.assertEqual(os.listdir(self.logs), [name])
        text = self.read_log(name)
        self.assertIn("user.code - INFO - an info record", text)
        self.assertIn("streamparse.stdout - INFO - a printed record", text)
        self.assertNotIn("a debug record", text)
        self.assertNotIn("an info record", s.stderr)

    def test_storm_09_context_file_name(self):
        s = self.run_bolt({}, ["normal"],
                          context={"taskid": 4,
                                   "task->component": {"4": "legacy"}})
        self.assertEqual(os.listdir(self.logs),
                         ["streamparse_topo_legacy_4_%d.log" % s.proc.pid])

    def test_debug_level(self):
        s = self.run_bolt({"streamparse.log.level": "debug"}, ["normal"])
        (name,) = os.listdir(self.logs)
        self.assertIn("DEBUG - a debug record", self.read_log(name))

    def test_error_level_hides_info(self):
        s = self.run_bolt({"streamparse.log.level": "ERROR"}, ["normal"])
        (name,) = os.listdir(self.logs)
        self.assertNotIn("an info record", self.read_log(name))

    def test_rotation_settings(self):
        s = self.run_bolt({"streamparse.log.max_bytes": 2000,
                           "streamparse.log.backup_count": 2},
                          ["spam", 200])
        base = "streamparse_topo_comp_5_%d.log" % s.proc.pid
        self.assertEqual(sorted(os.listdir(self.logs)),
                         [base, base + ".1", base + ".2"])
        for name in os.listdir(self.logs):
            self.assertLessEqual(
                os.path.getsize(os.path.join(self.logs, name)), 2000)
        self.assertIn("line 00199", self.read_log(base))

    def test_default_rotation_keeps_one_file_for_small_logs(self):
        s = self.run_bolt({}, ["spam", 200])
        self.assertEqual(len(os.listdir(self.logs)), 1)

    def test_bad_level_falls_back_and_says_so(self):
        s = self.run_bolt({"streamparse.log.level": "loud"}, ["normal"])
        self.assertIn("streamparse.log.level must be one of", s.stderr)
        self.assertIn("an info record", s.stderr)

    def test_without_log_path_records_go_to_stderr(self):
        s = self.storm("fixture_components.LoggingBolt")
        s.tuple("t1", ["normal"])
        self.assertEqual(s.recv()["tuple"], ["done"])
        s.recv()
        self.assertEqual(s.finish(), 0)
        self.assertIn("an info record", s.stderr)
        self.assertIn("a printed record", s.stderr)
        self.assertFalse(os.path.exists(self.logs))


if __name__ == "__main__":
    unittest.main()
