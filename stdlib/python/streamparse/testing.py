"""streamparse.testing: unit tests of spouts and bolts without Storm.

``BoltTester`` and ``SpoutTester`` run one component in the test's own
process, with no subprocess, no topoc binary and no timer thread. The
component talks to a fake Storm (``FakeChannel``) through the same object it
talks to the real one through, ``self.serializer``, and its own main loop
reads the messages: so a tuple goes through the bolt's real input path (tick
dispatch, auto ack, auto anchor, auto fail) and every message the component
sends is recorded.

    from streamparse.testing import BoltTester, Emit

    t = BoltTester(WordCounter)
    assert t.process(["dog"]) == [Emit(["dog", 1], anchors=["t1"])]
    assert t.acked == ["t1"]

An exception in user code is raised to the test (after the tuple was failed
and the error recorded, as Storm would see them) instead of ending the
process.
"""

import json
import logging
import threading
from collections import OrderedDict, deque

__all__ = ["BoltTester", "SpoutTester", "Emit", "FakeChannel"]

# Multilang log levels, by number (the ``level`` of a ``log`` command).
_LOG_LEVEL_NAMES = {0: "trace", 1: "debug", 2: "info", 3: "warn", 4: "error"}


class Emit(object):
    """One tuple a component emitted.

    values      -- the tuple's values (a list, as Storm receives them)
    stream      -- the stream ("default" unless one was given)
    anchors     -- ids of the input tuples it is anchored to (bolts), a list
    direct_task -- the target task of a direct emit, else None
    tup_id      -- the message id of a spout's reliable emit, else None

    Equal to another Emit with the same five fields, and to a plain list or
    tuple of values when the emit went to the default stream with no direct
    task: ``t.process(["a b"]) == [["a"], ["b"]]``.
    """

    __slots__ = ("values", "stream", "anchors", "direct_task", "tup_id")

    def __init__(self, values, stream="default", anchors=(), direct_task=None,
                 tup_id=None):
        self.values = list(values)
        self.stream = "default" if stream is None else stream
        self.anchors = list(anchors or ())
        self.direct_task = direct_task
        self.tup_id = tup_id

    def _key(self):
        return (self.values, self.stream, self.anchors, self.direct_task,
                self.tup_id)

    def __eq__(self, other):
        if isinstance(other, Emit):
            return self._key() == other._key()
        if isinstance(other, (list, tuple)):
            return (self.stream == "default" and self.direct_task is None
                    and self.values == list(other))
        return NotImplemented

    def __ne__(self, other):
        result = self.__eq__(other)
        return result if result is NotImplemented else not result

    __hash__ = None

    def __repr__(self):
        parts = [repr(self.values)]
        if self.stream != "default":
            parts.append("stream=%r" % (self.stream,))
        if self.anchors:
            parts.append("anchors=%r" % (self.anchors,))
        if self.direct_task is not None:
            parts.append("direct_task=%r" % (self.direct_task,))
        if self.tup_id is not None:
            parts.append("tup_id=%r" % (self.tup_id,))
        return "Emit(%s)" % ", ".join(parts)


class FakeChannel(object):
    """Stands in for the component's serializer (``component.serializer``):
    messages the component sends are decoded into the tester's records at
    once; messages for the component wait in ``inbox`` and ``read_message``
    returns None (a clean end of input) when it is empty, which ends the
    component's main loop. An emit that asks for task ids gets its reply
    queued right away, as Storm would send it.

    Every message goes through a JSON round trip, so a value Storm could not
    carry (a set, an object) fails here as it would under ``topoc run``."""

    name = "json"

    def __init__(self, tester):
        self._tester = tester
        self.inbox = deque()
        self._out = []            # never holds anything: written at once
        self.before_block = None

    # ---- the component's output -------------------------------------
    def encode(self, message):
        return json.dumps(message, separators=(",", ":"))

    def queue_raw(self, data):
        self._tester._receive(json.loads(data))

    def write_raw(self, data):
        self.queue_raw(data)

    def queue_message(self, message):
        self.queue_raw(self.encode(message))

    def write_message(self, message):
        self.queue_message(message)

    def flush(self):
        pass

    def flush_if_older(self, max_age):
        pass

    # ---- the component's input ----------------------------------------
    def read_message(self):
        if self.inbox:
            return self.inbox.popleft()
        return None


class _Tester(object):
    """What BoltTester and SpoutTester share."""

    _kind = "component"

    def __init__(self, cls, conf, context, component):
        self.emitted = []
        self.acked = []
        self.failed = []
        self.logs = []
        self.errors = []
        self.metrics = []
        self._call_emits = None
        self._main_loop_started = False
        self.channel = FakeChannel(self)
        self.component = cls()
        c = self.component
        # What the handshake would set (streamparse.base.Component).
        c.storm_conf = dict(conf or {})
        c.context = context
        c.component_name = component
        c.task_id = context["taskid"]
        c.serializer = self.channel
        c._reader_ident = threading.get_ident()
        c.logger = logging.getLogger("streamparse.%s" % (component,))
        # An error in user code: recorded as the runtime reports it, then
        # raised to the test instead of ending the process.
        tester = self

        def die(what):
            import traceback
            tester.errors.append("%s in %s (task %s): %s" % (
                what, component, c.task_id, traceback.format_exc()))
            tester.channel.inbox.clear()
            raise
        c._die = die
        c.initialize(c.storm_conf, c.context)

    @property
    def conf(self):
        return self.component.storm_conf

    @property
    def context(self):
        return self.component.context

    def _receive(self, msg):
        """A message the component sent."""
        if isinstance(msg, dict) and "pid" in msg and len(msg) == 1:
            return
        command = msg.get("command") if isinstance(msg, dict) else None
        if command == "emit":
            rec = self._emit_record(msg)
            self.emitted.append(rec)
            if self._call_emits is not None:
                self._call_emits.append(rec)
            if "task" not in msg and msg.get("need_task_ids", True):
                # Storm answers with the task ids the tuple went to; nobody
                # subscribes here.
                self.channel.inbox.appendleft([])
        elif command == "ack":
            self.acked.append(msg.get("id"))
        elif command == "fail":
            self.failed.append(msg.get("id"))
        elif command == "log":
            level = _LOG_LEVEL_NAMES.get(msg.get("level", 2), "info")
            self.logs.append((level, msg.get("msg")))
        elif command == "error":
            self.errors.append(msg.get("msg"))
        elif command == "metrics":
            self.metrics.append((msg.get("name"), msg.get("params")))
        elif command == "sync":
            pass
        else:
            raise AssertionError("the %s sent an unknown message %r"
                                 % (self._kind, msg))

    def _emit_record(self, msg):
        return Emit(msg.get("tuple") or [], stream=msg.get("stream"),
                    anchors=msg.get("anchors"), direct_task=msg.get("task"),
                    tup_id=msg.get("id"))

    def _run(self, messages, action=None):
        """Hands `messages` to the component's main loop (and then runs
        `action`, if any, on the same thread); returns the emits made."""
        emits = self._call_emits = []
        try:
            # As Storm's JSON would deliver them (tuples become lists; a
            # value JSON cannot carry is refused here).
            self.channel.inbox.extend(json.loads(json.dumps(messages)))
            self._main_loop()
            if action is not None:
                action()
                self._main_loop()  # replies the action's emits left behind
        finally:
            self._call_emits = None
        return emits

    def _main_loop(self):
        c = self.component
        if self._main_loop_started:
            # Bolt._run_loop calls the one-time _start hook every time: it
            # ran on the first call.
            c._start = _no_op
        self._main_loop_started = True
        c._run_loop()


def _no_op():
    pass


class BoltTester(_Tester):
    """Runs a Bolt (or BatchingBolt) in-process.

    cls        -- the bolt class; it is instantiated with no arguments
    conf       -- the topology conf initialize() receives (default {})
    inputs     -- ``{component: {stream: [fields]}}``: the components and
                  streams the bolt subscribes to, as the context of
                  ``topoc run`` describes them (default:
                  ``{"source": {"default": []}}``)
    outputs    -- ``{stream: [fields]}`` the bolt declares (default none)
    component  -- the bolt's component id (default "bolt")

    Attributes: ``emitted`` (every Emit so far), ``acked`` and ``failed``
    (input tuple ids, in order), ``logs`` ((level, message) of
    ``self.log``), ``errors`` (``report_error`` texts, and the report of an
    exception in user code), ``metrics`` ((name, params)), ``component``.
    """

    _kind = "bolt"

    def __init__(self, cls, conf=None, inputs=None, outputs=None,
                 component="bolt"):
        self._next_id = 0
        inputs = {"source": {"default": []}} if inputs is None else inputs
        task_to_component = {}
        task = 0
        for source in inputs:
            task += 1
            task_to_component[str(task)] = source
        task += 1
        task_to_component[str(task)] = component
        outputs = outputs or {}
        context = {
            "task->component": task_to_component,
            "taskid": task,
            "componentid": component,
            "streams": list(outputs),
            "stream->outputfields": {s: list(f) for s, f in outputs.items()},
            "stream->target->grouping": {s: {} for s in outputs},
            "source->stream->grouping": {
                src: {s: {"type": "SHUFFLE"} for s in streams}
                for src, streams in inputs.items()},
            "source->stream->fields": {
                src: {s: list(f) for s, f in streams.items()}
                for src, streams in inputs.items()},
        }
        self._sources = [src for src in inputs]
        _Tester.__init__(self, cls, conf, context, component)
        # BatchingBolt: no timer thread; flush() runs the batches.
        if hasattr(self.component, "_batch_loop"):
            self.component._batch_loop = _no_op

    def _new_id(self):
        self._next_id += 1
        return "t%d" % self._next_id

    def process(self, values, stream="default", component=None, task=1,
                id=None):
        """Runs one tuple through the bolt's input path; returns the list of
        Emits it made. component defaults to the first of ``inputs``; id
        to "t1", "t2", ... (the tuple's id, as acked/failed/anchors show
        it). An exception from process() is raised here, after the tuple
        was failed (auto_fail) and the error recorded."""
        if component is None:
            component = self._sources[0] if self._sources else "source"
        if id is None:
            id = self._new_id()
        msg = {"id": id, "comp": component, "stream": stream, "task": task,
               "tuple": list(values)}
        return self._run([msg])

    def tick(self, secs=1, id=None):
        """Sends a tick tuple (component __system, stream __tick, values
        [secs]); returns the Emits of process_tick()."""
        if id is None:
            id = self._new_id()
        msg = {"id": id, "comp": "__system", "stream": "__tick", "task": -1,
               "tuple": [secs]}
        return self._run([msg])

    def flush(self):
        """BatchingBolt (and any bolt keeping its batches the same way):
        runs process_batch for every pending batch now, on this thread, as
        the timer would; returns the Emits made. The batches' tuples are
        acked (or failed) as at run time."""
        c = self.component
        if not (hasattr(c, "process_batch") and hasattr(c, "_batches")):
            if not self._main_loop_started:
                self._run([])  # the one-time set-up makes the batches
            if not (hasattr(c, "_batches") and hasattr(c, "_process_batches")):
                raise TypeError("flush(): %s does not batch tuples (not a "
                                "BatchingBolt)" % type(c).__name__)

        def run_batches():
            public = getattr(c, "process_batches", None)
            if callable(public):
                public()
                return
            lock = getattr(c, "_batch_lock", None)
            if lock is not None:
                with lock:
                    batches, c._batches = c._batches, OrderedDict()
            else:
                batches, c._batches = c._batches, OrderedDict()
            if batches:
                c._process_batches(batches)

        return self._run([], run_batches)

    @property
    def pending(self):
        """BatchingBolt: the tuples waiting for the next batch, by key."""
        batches = getattr(self.component, "_batches", None)
        return OrderedDict((k, list(v)) for k, v in (batches or {}).items())


class SpoutTester(_Tester):
    """Runs a Spout in-process.

    cls        -- the spout class; it is instantiated with no arguments
    conf       -- the topology conf initialize() receives (default {})
    outputs    -- ``{stream: [fields]}`` the spout declares (default none)
    component  -- the spout's component id (default "spout")

    ``acked``/``failed`` list the ids this tester acked/failed.
    """

    _kind = "spout"

    def __init__(self, cls, conf=None, outputs=None, component="spout"):
        outputs = outputs or {}
        context = {
            "task->component": {"1": component},
            "taskid": 1,
            "componentid": component,
            "streams": list(outputs),
            "stream->outputfields": {s: list(f) for s, f in outputs.items()},
            "stream->target->grouping": {s: {} for s in outputs},
            "source->stream->grouping": {},
            "source->stream->fields": {},
        }
        _Tester.__init__(self, cls, conf, context, component)

    def next_tuple(self, n=1):
        """Calls next_tuple() n times; returns the Emits of those calls."""
        return self._run([{"command": "next"} for _ in range(n)])

    def ack(self, tup_id):
        """Acks the tuple emitted with tup_id (calls the spout's ack)."""
        self.acked.append(tup_id)
        return self._run([{"command": "ack", "id": tup_id}])

    def fail(self, tup_id):
        """Fails the tuple emitted with tup_id (calls the spout's fail)."""
        self.failed.append(tup_id)
        return self._run([{"command": "fail", "id": tup_id}])

    def activate(self):
        return self._run([{"command": "activate"}])

    def deactivate(self):
        return self._run([{"command": "deactivate"}])
