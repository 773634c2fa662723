"""A small fake Storm for the tests: starts a component as a real
subprocess (``python -m streamparse.run module.Class``) and talks multilang
to it over pipes. The harness parses the component's output itself (it does
not reuse streamparse.serializers), so the tests check the wire format."""

import json
import os
import queue
import shutil
import subprocess
import sys
import tempfile
import threading
import time

try:
    import msgpack  # type: ignore
except ImportError:
    msgpack = None

HERE = os.path.dirname(os.path.abspath(__file__))
PACKAGE_ROOT = os.path.dirname(HERE)            # stdlib/python
COMPONENTS = os.path.join(HERE, "components")   # test spouts and bolts

TIMEOUT = 10.0


class Timeout(AssertionError):
    pass


class FakeStorm(object):
    def __init__(self, class_path, conf=None, context=None,
                 serializer="json", extra_path=(), handshake=True,
                 task_id=5, component="comp", python=None,
                 use_source=True):
        self.tmp = tempfile.mkdtemp(prefix="streamparse-test-")
        self.pid_dir = os.path.join(self.tmp, "pids")
        os.mkdir(self.pid_dir)
        self.serializer = serializer
        self.conf = {"topology.name": "topo"}
        self.conf.update(conf or {})
        if context is None:
            context = {"taskid": task_id, "componentid": component,
                       "task->component": {str(task_id): component}}
        self.context = context
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(
            list(extra_path) + ([PACKAGE_ROOT] if use_source else [])
            + [COMPONENTS])
        env.pop("PYTHONSTARTUP", None)
        self.proc = subprocess.Popen(
            [python or sys.executable, "-m", "streamparse.run", class_path],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, cwd=self.tmp, env=env)
        self.messages = queue.Queue()
        self.stdout_bytes = bytearray()
        self.stderr_bytes = bytearray()
        self._out_thread = threading.Thread(target=self._read_stdout,
                                            daemon=True)
        self._err_thread = threading.Thread(target=self._read_stderr,
                                            daemon=True)
        self._out_thread.start()
        self._err_thread.start()
        self.pid = None
        if handshake:
            self.handshake()

    # ---- raw I/O ---------------------------------------------------------
    def _read_stdout(self):
        fd = self.proc.stdout.fileno()
        if self.serializer == "msgpack":
            unpacker = msgpack.Unpacker(raw=False)
            while True:
                chunk = os.read(fd, 65536)
                if not chunk:
                    break
                self.stdout_bytes += chunk
                unpacker.feed(chunk)
                for obj in unpacker:
                    self.messages.put(obj)
        else:
            lines = []
            for raw in iter(self.proc.stdout.readline, b""):
                self.stdout_bytes += raw
                line = raw.decode("utf-8").rstrip("\n")
                if line == "end":
                    try:
                        self.messages.put(json.loads("\n".join(lines)))
                    except ValueError as exc:
                        self.messages.put(("BAD", "\n".join(lines), str(exc)))
                    lines = []
                else:
                    lines.append(line)
            if lines:
                self.messages.put(("TRAILING", "\n".join(lines)))
        self.messages.put(("EOF",))

    def _read_stderr(self):
        for raw in iter(self.proc.stderr.readline, b""):
            self.stderr_bytes += raw

    @property
    def stderr(self):
        return self.stderr_bytes.decode("utf-8", "replace")

    def send_raw(self, data):
        self.proc.stdin.write(data)
        self.proc.stdin.flush()

    def send(self, message):
        if self.serializer == "msgpack":
            self.send_raw(msgpack.packb(message, use_bin_type=True))
        else:
            self.send_raw(json.dumps(message).encode("utf-8") + b"\nend\n")

    def recv(self, timeout=TIMEOUT):
        try:
            msg = self.messages.get(timeout=timeout)
        except queue.Empty:
            raise Timeout("no message from the component within %ss; "
                          "stderr:\n%s" % (timeout, self.stderr))
        if isinstance(msg, tuple):
            if msg[0] == "EOF":
                self.messages.put(msg)  # stays at EOF
            raise AssertionError("expected a message, got %r; stderr:\n%s"
                                 % (msg, self.stderr))
        return msg

    def expect_eof(self, timeout=TIMEOUT):
        try:
            msg = self.messages.get(timeout=timeout)
        except queue.Empty:
            raise Timeout("component did not close its output")
        if msg != ("EOF",):
            raise AssertionError("expected end of output, got %r" % (msg,))

    def no_message(self, wait=0.3):
        try:
            msg = self.messages.get(timeout=wait)
        except queue.Empty:
            return
        raise AssertionError("unexpected message %r" % (msg,))

    # ---- protocol helpers ------------------------------------------------
    def handshake(self):
        self.send({"conf": self.conf, "pidDir": self.pid_dir,
                   "context": self.context})
        reply = self.recv()
        assert isinstance(reply, dict) and set(reply) == {"pid"}, reply
        self.pid = reply["pid"]
        return reply

    def tuple(self, tup_id, values, comp="src", stream="default", task=1):
        self.send({"id": tup_id, "comp": comp, "stream": stream,
                   "task": task, "tuple": values})

    def heartbeat(self, tup_id="hb"):
        self.send({"id": tup_id, "comp": None, "stream": "__heartbeat",
                   "task": -1, "tuple": []})

    def tick(self, tup_id="tick", secs=1):
        self.send({"id": tup_id, "comp": "__system", "stream": "__tick",
                   "task": -1, "tuple": [secs]})

    def command(self, name, msg_id=""):
        self.send({"command": name, "id": msg_id})

    def until_sync(self, timeout=TIMEOUT, task_ids=None):
        """Messages up to the next sync; answers emits that need task ids
        with task_ids (a list) when given."""
        out = []
        deadline = time.monotonic() + timeout
        while True:
            msg = self.recv(max(0.01, deadline - time.monotonic()))
            if msg.get("command") == "sync":
                return out
            out.append(msg)
            if (task_ids is not None and msg.get("command") == "emit"
                    and "task" not in msg and msg.get("need_task_ids", True)):
                self.send(task_ids)

    def close_input(self):
        try:
            self.proc.stdin.close()
        except OSError:
            pass

    def wait(self, timeout=TIMEOUT):
        """Waits for the exit, then for the readers to reach end of output
        (so self.stderr and the message queue are complete)."""
        try:
            status = self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            raise Timeout("component did not exit; stderr:\n%s" % self.stderr)
        self._err_thread.join(timeout)
        self._out_thread.join(timeout)
        return status

    def finish(self, timeout=TIMEOUT):
        self.close_input()
        return self.wait(timeout)

    def cleanup(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        for f in (self.proc.stdin, self.proc.stdout, self.proc.stderr):
            try:
                f.close()
            except OSError:
                pass
        self._out_thread.join(2)
        self._err_thread.join(2)
        shutil.rmtree(self.tmp, ignore_errors=True)


class StormTestCase(object):
    """Mixin: self.storm(...) starts a FakeStorm cleaned up after the
    test."""

    def storm(self, *args, **kwargs):
        s = FakeStorm(*args, **kwargs)
        self.addCleanup(s.cleanup)
        return s
