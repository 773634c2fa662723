"""Bolts driven through the multilang protocol by a fake Storm."""

import json
import os
import time
import unittest

from tests.harness import StormTestCase


class HandshakeTest(StormTestCase, unittest.TestCase):
    def test_handshake_writes_pid_file_and_replies_pid(self):
        s = self.storm("fixture_components.EchoBolt")
        self.assertEqual(s.pid, s.proc.pid)
        pid_file = os.path.join(s.pid_dir, str(s.proc.pid))
        self.assertTrue(os.path.isfile(pid_file))
        self.assertEqual(os.path.getsize(pid_file), 0)
        self.assertEqual(s.finish(), 0)

    def test_conf_and_context_reach_initialize(self):
        s = self.storm("fixture_components.ConfBolt", conf={"my.key": 42},
                       task_id=12, component="counter")
        s.tuple("1", ["x"])
        self.assertEqual(s.recv()["tuple"], [42, "counter", 12])

    def test_storm_09_context_names_the_component_from_task_map(self):
        s = self.storm("fixture_components.ConfBolt",
                       context={"taskid": 3,
                                "task->component": {"3": "old-style",
                                                    "4": "other"}})
        s.tuple("1", ["x"])
        self.assertEqual(s.recv()["tuple"], [None, "old-style", 3])


class EmitTest(StormTestCase, unittest.TestCase):
    def test_emit_auto_anchors_waits_for_task_ids_then_acks(self):
        s = self.storm("fixture_components.EchoBolt")
        s.tuple("t1", ["hello", 1])
        emit = s.recv()
        self.assertEqual(emit, {"command": "emit", "tuple": ["hello", 1],
                                "anchors": ["t1"]})
        s.no_message()  # blocked until the task ids come
        s.send([4, 6])
        self.assertEqual(s.recv(), {"command": "log",
                                    "msg": "ids hello [4, 6]"})
        self.assertEqual(s.recv(), {"command": "ack", "id": "t1"})
        self.assertEqual(s.finish(), 0)

    def test_stream_without_subscribers_does_not_ask_for_task_ids(self):
        # The context says nobody subscribes to "default" (absent from
        # stream->target->grouping) but someone does to "alerts": only the
        # emit on "alerts" waits for Storm's reply.
        ctx = {"taskid": 3, "componentid": "echo",
               "task->component": {"3": "echo", "4": "sink"},
               "streams": ["default", "alerts"],
               "stream->outputfields": {"default": ["v"], "alerts": ["v"]},
               "stream->target->grouping": {
                   "alerts": {"sink": {"type": "SHUFFLE"}}}}
        s = self.storm("fixture_components.EchoBolt", context=ctx)
        s.tuple("t1", ["hello"])
        self.assertEqual(s.recv(), {"command": "emit", "tuple": ["hello"],
                                    "anchors": ["t1"],
                                    "need_task_ids": False})
        self.assertEqual(s.recv(), {"command": "log", "msg": "ids hello []"})
        self.assertEqual(s.recv(), {"command": "ack", "id": "t1"})
        self.assertEqual(s.finish(), 0)

    def test_subscribed_stream_and_old_contexts_still_ask(self):
        subscribed = {"taskid": 3, "componentid": "echo",
                      "task->component": {"3": "echo", "4": "sink"},
                      "streams": ["default"],
                      "stream->outputfields": {"default": ["v"]},
                      "stream->target->grouping": {
                          "default": {"sink": {"type": "SHUFFLE"}}}}
        storm_09 = {"taskid": 3, "task->component": {"3": "echo"}}
        for ctx in (subscribed, storm_09):
            s = self.storm("fixture_components.EchoBolt", context=ctx)
            s.tuple("t1", ["hello"])
            self.assertEqual(s.recv(), {"command": "emit",
                                        "tuple": ["hello"],
                                        "anchors": ["t1"]})
            s.no_message()  # waits for Storm's reply
            s.send([4])
            self.assertEqual(s.recv()["msg"], "ids hello [4]")
            self.assertEqual(s.recv(), {"command": "ack", "id": "t1"})
            self.assertEqual(s.finish(), 0)

    def test_task_ids_interleaved_with_tuples(self):
        s = self.storm("fixture_components.EchoBolt")
        s.tuple("t1", ["a"])
        s.tuple("t2", ["b"])        # arrives before t1's task ids
        s.heartbeat("hb1")          # answered while waiting
        s.tuple("t3", ["c"])
        self.assertEqual(s.recv()["tuple"], ["a"])
        self.assertEqual(s.recv(), {"command": "sync"})
        s.send([1])                 # t1's emit
        self.assertEqual(s.recv()["msg"], "ids a [1]")
        self.assertEqual(s.recv(), {"command": "ack", "id": "t1"})
        emit_b = s.recv()
        self.assertEqual((emit_b["tuple"], emit_b["anchors"]), (["b"], ["t2"]))
        s.send([2, 3])
        self.assertEqual(s.recv()["msg"], "ids b [2, 3]")
        self.assertEqual(s.recv(), {"command": "ack", "id": "t2"})
        self.assertEqual(s.recv()["tuple"], ["c"])
        s.send([])
        self.assertEqual(s.recv()["msg"], "ids c []")
        self.assertEqual(s.recv(), {"command": "ack", "id": "t3"})

    def test_unread_task_ids_do_not_hold_the_bolt(self):
        # Emits whose task ids nobody reads go out together and the tuple
        # is acked before any reply; the replies are taken in later.
        s = self.storm("fixture_components.UnreadIdsBolt")
        s.tuple("t1", ["a", "b", "c"])
        for value in ("a", "b", "c"):
            self.assertEqual(s.recv(), {"command": "emit", "tuple": [value],
                                        "anchors": ["t1"]})
        self.assertEqual(s.recv(), {"command": "ack", "id": "t1"})
        s.tuple("t2", ["d"])
        self.assertEqual(s.recv()["tuple"], ["d"])
        self.assertEqual(s.recv(), {"command": "ack", "id": "t2"})
        for _ in range(4):
            s.send([2])
        s.heartbeat("hb")
        self.assertEqual(s.recv(), {"command": "sync"})
        self.assertEqual(s.finish(), 0)
        self.assertNotIn("ignoring task ids", s.stderr)

    def test_kept_task_ids_are_complete_before_the_next_tuple(self):
        s = self.storm("fixture_components.KeptIdsBolt")
        s.tuple("t1", ["a"])
        self.assertEqual(s.recv()["tuple"], ["a"])
        self.assertEqual(s.recv(), {"command": "ack", "id": "t1"})
        s.tuple("t2", ["b"])
        s.no_message()  # t2 waits: the bolt still holds t1's task ids
        s.send([4, 6])
        self.assertEqual(s.recv(), {"command": "log", "msg": "kept [4, 6]"})
        self.assertEqual(s.recv()["tuple"], ["b"])
        self.assertEqual(s.recv(), {"command": "ack", "id": "t2"})

    def test_task_ids_behave_as_a_list(self):
        from streamparse.base import TaskIds

        class Owner(object):
            def _wait_for(self, ids):
                self.waits += 1
                ids._fill([3, 1])

        owner = Owner()
        owner.waits = 0
        Ids = type("TaskIds", (TaskIds,), {"_owner": owner})
        ids = Ids()
        self.assertEqual(ids, [3, 1])
        self.assertEqual(ids, [3, 1])
        self.assertEqual(owner.waits, 1)  # waited for once
        self.assertEqual([0] + Ids(), [0, 3, 1])
        self.assertEqual(json.dumps(Ids()), "[3, 1]")
        self.assertEqual(sorted(Ids()), [1, 3])
        self.assertEqual(len(Ids()), 2)
        self.assertTrue(Ids())
        self.assertEqual(Ids()[0], 3)
        self.assertIn(1, Ids())
        self.assertEqual(repr(Ids()), "[3, 1]")
        self.assertEqual(list(reversed(Ids())), [1, 3])
        self.assertIsInstance(Ids(), list)

    def check_variant(self, kind, expected_emits, result, task_ids=None):
        s = self.storm("fixture_components.OptionsBolt")
        s.tuple("in-1", [kind])
        for expected in expected_emits:
            self.assertEqual(s.recv(), expected)
            if task_ids is not None:
                s.send(task_ids)
        self.assertEqual(s.recv(), {"command": "log",
                                    "msg": "result %r" % (result,)})
        self.assertEqual(s.recv(), {"command": "ack", "id": "in-1"})
        return s

    def test_emit_to_named_stream(self):
        self.check_variant("stream", [{"command": "emit", "tuple": ["x"],
                                       "stream": "words",
                                       "anchors": ["in-1"]}],
                           [3], task_ids=[3])

    def test_explicit_anchors_tuples_and_ids(self):
        self.check_variant("anchors-tuple", [
            {"command": "emit", "tuple": ["x"],
             "anchors": ["in-1", "other-id"]}], [1], task_ids=[1])

    def test_single_anchor(self):
        self.check_variant("anchors-single", [
            {"command": "emit", "tuple": ["x"], "anchors": ["lone-id"]}],
            [1], task_ids=[1])

    def test_empty_anchors_mean_unanchored(self):
        self.check_variant("anchors-empty", [
            {"command": "emit", "tuple": ["x"], "anchors": []}],
            [1], task_ids=[1])

    def test_direct_emit_returns_target_without_waiting(self):
        self.check_variant("direct", [
            {"command": "emit", "tuple": ["x"], "anchors": ["in-1"],
             "task": 7}], [7])

    def test_need_task_ids_false(self):
        self.check_variant("no-ids", [
            {"command": "emit", "tuple": ["x"], "anchors": ["in-1"],
             "need_task_ids": False}], None)

    def test_emit_many(self):
        self.check_variant("many", [
            {"command": "emit", "tuple": ["a"], "stream": "s2",
             "anchors": ["in-1"]},
            {"command": "emit", "tuple": ["b"], "stream": "s2",
             "anchors": ["in-1"]}], [[8], [8]], task_ids=[8])

    def test_emit_many_with_anchors(self):
        # Each emit gets its own reply, in order.
        s = self.storm("fixture_components.OptionsBolt")
        s.tuple("in-1", ["many-anchors"])
        self.assertEqual(s.recv(), {"command": "emit", "tuple": ["a"],
                                    "anchors": ["x1", "in-1"]})
        self.assertEqual(s.recv(), {"command": "emit", "tuple": ["b", 2],
                                    "anchors": ["x1", "in-1"]})
        s.send([3, 4])
        s.send([5])
        self.assertEqual(s.recv(), {"command": "log",
                                    "msg": "result [[3, 4], [5]]"})
        self.assertEqual(s.recv(), {"command": "ack", "id": "in-1"})

    def test_log_levels(self):
        s = self.storm("fixture_components.OptionsBolt")
        s.tuple("in-1", ["log-levels"])
        got = [s.recv() for _ in range(6)]
        self.assertEqual(got, [
            {"command": "log", "msg": "at trace", "level": 0},
            {"command": "log", "msg": "at debug", "level": 1},
            {"command": "log", "msg": "at info", "level": 2},
            {"command": "log", "msg": "at warn", "level": 3},
            {"command": "log", "msg": "at error", "level": 4},
            {"command": "log", "msg": "no level"}])

    def test_metrics_and_error_commands(self):
        s = self.storm("fixture_components.OptionsBolt")
        s.tuple("in-1", ["metric"])
        self.assertEqual(s.recv(), {"command": "metrics",
                                    "name": "my-metric",
                                    "params": {"count": 3}})
        s.tuple("in-2", ["error"])
        self.assertEqual(s.recv()["command"], "log")
        self.assertEqual(s.recv()["id"], "in-1")
        self.assertEqual(s.recv(), {"command": "error",
                                    "msg": "something odd"})


class AutoOptionsTest(StormTestCase, unittest.TestCase):
    def test_auto_ack_and_anchor_off(self):
        s = self.storm("fixture_components.NoAutoBolt")
        s.tuple("t1", ["keep"])
        self.assertEqual(s.recv(), {"command": "emit", "tuple": ["x"],
                                    "need_task_ids": False})
        s.tuple("t2", ["ack"])
        self.assertEqual(s.recv()["command"], "emit")   # no ack for t1
        self.assertEqual(s.recv(), {"command": "ack", "id": "t2"})
        s.tuple("t3", ["ack-id"])
        s.recv()
        self.assertEqual(s.recv(), {"command": "ack", "id": "t3"})
        s.no_message()

    def test_manual_fail_is_not_acked_again(self):
        s = self.storm("fixture_components.SplitterBolt")
        s.tuple("t1", ["   "])
        self.assertEqual(s.recv(), {"command": "fail", "id": "t1"})
        s.tuple("t2", ["two words"])
        self.assertEqual(s.recv()["tuple"], ["two"])
        self.assertEqual(s.recv()["tuple"], ["words"])
        self.assertEqual(s.recv(), {"command": "ack", "id": "t2"})
        s.no_message()

    def test_exception_fails_tuple_reports_error_and_exits(self):
        s = self.storm("fixture_components.CrashBolt")
        s.tuple("t1", ["fine"])
        self.assertEqual(s.recv()["tuple"], ["ok"])
        self.assertEqual(s.recv(), {"command": "ack", "id": "t1"})
        s.tuple("t2", ["boom"])
        self.assertEqual(s.recv(), {"command": "fail", "id": "t2"})
        err = s.recv()
        self.assertEqual(err["command"], "error")
        self.assertIn("RuntimeError: boom requested", err["msg"])
        self.assertIn("process() raised", err["msg"])
        s.expect_eof()
        self.assertEqual(s.wait(), 1)
        self.assertIn("boom requested", s.stderr)

    def test_exception_without_auto_fail(self):
        s = self.storm("fixture_components.CrashNoFailBolt")
        s.tuple("t2", ["boom"])
        self.assertEqual(s.recv()["command"], "error")
        s.expect_eof()
        self.assertEqual(s.wait(), 1)

    def test_ctrl_c_exits_quietly(self):
        s = self.storm("fixture_components.InterruptBolt")
        s.tuple("t1", ["x"])
        self.assertEqual(s.wait(), 130)
        self.assertNotIn("Traceback", s.stderr)

    def test_sys_exit_in_process_flushes_and_keeps_status(self):
        s = self.storm("fixture_components.ExitBolt")
        s.tuple("t1", ["x"])
        self.assertEqual(s.recv()["tuple"], ["bye"])
        self.assertEqual(s.wait(), 3)

    def test_initialize_exception(self):
        s = self.storm("fixture_components.InitCrashBolt")
        err = s.recv()
        self.assertEqual(err["command"], "error")
        self.assertIn("missing setting", err["msg"])
        self.assertEqual(s.wait(), 1)


class HeartbeatTickTest(StormTestCase, unittest.TestCase):
    def test_heartbeat_answered_with_sync(self):
        s = self.storm("fixture_components.TickBolt")
        s.heartbeat("h1")
        self.assertEqual(s.recv(), {"command": "sync"})
        s.heartbeat("h2")
        self.assertEqual(s.recv(), {"command": "sync"})
        s.no_message()  # heartbeats are never acked

    def test_tick_calls_process_tick_and_acks(self):
        s = self.storm("fixture_components.TickBolt")
        s.tuple("t1", ["v"])
        self.assertEqual(s.recv()["tuple"], ["tuple", "v"])
        self.assertEqual(s.recv(), {"command": "ack", "id": "t1"})
        s.tick("k1", secs=5)
        self.assertEqual(s.recv(), {"command": "emit",
                                    "tuple": ["tick", 5, True],
                                    "anchors": ["k1"],
                                    "need_task_ids": False})
        self.assertEqual(s.recv(), {"command": "ack", "id": "k1"})


class OutputTimingTest(StormTestCase, unittest.TestCase):
    def test_slow_tuple_does_not_hold_back_earlier_acks(self):
        s = self.storm("fixture_components.SlowBolt")
        s.tuple("fast", [0.01])
        s.tuple("slow", [3.0])
        s.heartbeat()
        self.assertEqual(s.recv(), {"command": "ack", "id": "fast"})
        fast_at = time.monotonic()
        self.assertEqual(s.recv(), {"command": "ack", "id": "slow"})
        # The fast ack came out while the slow tuple was still processing.
        self.assertGreater(time.monotonic() - fast_at, 1.5)
        self.assertEqual(s.recv(), {"command": "sync"})


class StdoutTest(StormTestCase, unittest.TestCase):
    def test_print_does_not_corrupt_protocol(self):
        logs = os.path.join(self.storm("fixture_components.EchoBolt").tmp,
                            "logs-print")
        s = self.storm("fixture_components.PrintBolt",
                       conf={"streamparse.log.path": logs})
        s.tuple("t1", ["v1"])
        self.assertEqual(s.recv(), {"command": "emit", "tuple": ["real"],
                                    "anchors": ["t1"],
                                    "need_task_ids": False})
        self.assertEqual(s.recv(), {"command": "ack", "id": "t1"})
        self.assertEqual(s.finish(), 0)
        s.expect_eof()
        # Nothing but protocol messages on stdout.
        self.assertNotIn(b"forged", bytes(s.stdout_bytes))
        self.assertNotIn(b"printed", bytes(s.stdout_bytes))
        (name,) = os.listdir(logs)
        with open(os.path.join(logs, name)) as f:
            text = f.read()
        self.assertIn("printed v1", text)
        self.assertIn("partial line without newline", text)
        # the raw write to fd 1 went to stderr
        self.assertIn('"id":"forged"', s.stderr)


class StdinTest(StormTestCase, unittest.TestCase):
    def test_user_code_cannot_read_protocol_input(self):
        s = self.storm("fixture_components.StdinBolt")
        s.tuple("t1", ["x"])
        s.tuple("t2", ["y"])
        self.assertEqual(s.recv()["tuple"], [""])
        self.assertEqual(s.recv(), {"command": "ack", "id": "t1"})
        self.assertEqual(s.recv()["tuple"], [""])
        self.assertEqual(s.recv(), {"command": "ack", "id": "t2"})


class LauncherTest(StormTestCase, unittest.TestCase):
    """The jar layout: resources/ holds the project's modules, the
    streamparse package and _topoc/<module.Class>.py launchers shaped like
    backends/storm_launch.cc's; Storm runs [python, launcher] with cwd
    resources/ and no PYTHONPATH."""

    def test_launcher_in_resources_dir(self):
        import shutil
        import subprocess
        import sys
        import tempfile
        from tests.harness import COMPONENTS, PACKAGE_ROOT
        res = tempfile.mkdtemp(prefix="resources-")
        self.addCleanup(shutil.rmtree, res, True)
        shutil.copytree(os.path.join(PACKAGE_ROOT, "streamparse"),
                        os.path.join(res, "streamparse"))
        shutil.copy(os.path.join(COMPONENTS, "fixture_components.py"), res)
        os.mkdir(os.path.join(res, "_topoc"))
        launcher = os.path.join("_topoc", "fixture_components.EchoBolt.py")
        with open(os.path.join(res, launcher), "w") as f:
            f.write("import os\nimport sys\n\n"
                    "_resources = os.path.dirname(os.path.dirname("
                    "os.path.abspath(__file__)))\n"
                    "if _resources not in sys.path:\n"
                    "    sys.path.insert(0, _resources)\n\n"
                    "from streamparse.run import main\n\n"
                    "main(\"fixture_components.EchoBolt\")\n")
        env = dict(os.environ)
        env.pop("PYTHONPATH", None)
        pid_dir = tempfile.mkdtemp(prefix="pids-")
        self.addCleanup(shutil.rmtree, pid_dir, True)
        proc = subprocess.run(
            [sys.executable, launcher], cwd=res, env=env,
            input=(b'{"conf": {}, "pidDir": "%s", "context": {"taskid": 1}}'
                   b'\nend\n{"id": "a", "comp": "s", "stream": "default", '
                   b'"task": 2, "tuple": ["via launcher"]}\nend\n[9]\nend\n'
                   % pid_dir.encode()),
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=30)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        out = proc.stdout.decode()
        self.assertIn('"tuple":["via launcher"]', out)
        self.assertIn('"msg":"ids via launcher [9]"', out)
        self.assertTrue(out.endswith('{"command":"ack","id":"a"}\nend\n'))


class ProtocolErrorTest(StormTestCase, unittest.TestCase):
    def test_multiline_json_accepted(self):
        s = self.storm("fixture_components.EchoBolt", handshake=False)
        s.send_raw(b'{\n  "conf": {"topology.name": "t"},\n  "pidDir": '
                   + ('"%s"' % s.pid_dir).encode() +
                   b',\n  "context": {"taskid": 1}\n}\nend\n')
        self.assertEqual(s.recv()["pid"], s.proc.pid)
        s.send_raw(b'{"id": "m",\n "comp": "c", "stream": "default",\n'
                   b' "task": 2, "tuple": ["multi"]}\nend\n')
        self.assertEqual(s.recv()["tuple"], ["multi"])

    def test_bad_json_exits_2_with_message(self):
        s = self.storm("fixture_components.EchoBolt")
        s.send_raw(b'{"id": "x", oops}\nend\n')
        self.assertEqual(s.wait(), 2)
        self.assertIn("invalid JSON", s.stderr)

    def test_input_ending_mid_message(self):
        s = self.storm("fixture_components.EchoBolt")
        s.send_raw(b'{"id": "x", "comp": "c", "stream": "default", "task": 1')
        self.assertEqual(s.finish(), 2)
        self.assertIn("in the middle of a message", s.stderr)

    def test_handshake_without_pid_dir(self):
        s = self.storm("fixture_components.EchoBolt", handshake=False)
        s.send({"conf": {}, "context": {}})
        self.assertEqual(s.wait(), 2)
        self.assertIn("no 'pidDir'", s.stderr)

    def test_input_closing_while_an_emit_waits_exits_quietly(self):
        # The topology stops while process() waits for its emit's task ids:
        # no error, no fail, no traceback, status 0; also when user code
        # wraps the emit in `except Exception`.
        for bolt in ("EchoBolt", "GuardedEchoBolt"):
            s = self.storm("fixture_components." + bolt)
            s.tuple("t1", ["a"])
            self.assertEqual(s.recv()["command"], "emit")
            self.assertEqual(s.finish(), 0, bolt)
            s.expect_eof()  # nothing sent after the emit: no error, fail or log
            self.assertNotIn("Traceback", s.stderr, bolt)
            self.assertIn("input ended while waiting for the task ids of an "
                          "emit; exiting", s.stderr, bolt)

    def test_empty_input_exits_cleanly(self):
        s = self.storm("fixture_components.EchoBolt", handshake=False)
        self.assertEqual(s.finish(), 0)

    def test_unknown_class(self):
        s = self.storm("fixture_components.Missing", handshake=False)
        self.assertEqual(s.wait(), 1)
        self.assertIn("has no class 'Missing'", s.stderr)
        s = self.storm("no_such_module.Bolt", handshake=False)
        self.assertEqual(s.wait(), 1)
        self.assertIn("cannot import module 'no_such_module'", s.stderr)
        s = self.storm("fixture_components.NotAComponent", handshake=False)
        self.assertEqual(s.wait(), 1)
        self.assertIn("not a streamparse Spout or Bolt", s.stderr)


if __name__ == "__main__":
    unittest.main()
