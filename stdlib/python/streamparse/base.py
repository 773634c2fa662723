"""streamparse.base.Component: what spouts and bolts share.

A component owns the process's protocol channel: ``run()`` keeps a private
duplicate of the real stdout for the protocol, points file descriptor 1 at
stderr and ``sys.stdout`` at the logger (so neither ``print()`` nor a C
extension writing to stdout can corrupt the stream), performs the handshake
(writes the empty file ``<pidDir>/<pid>``, replies ``{"pid": N}``), sets up
logging from the conf, calls ``initialize(storm_conf, context)`` and then the
subclass's main loop.

Failure contract: an exception from user code is reported to Storm with the
``error`` command, written to the log and to stderr, and the process exits
with status 1. A protocol error from Storm's side (bad framing, bad JSON,
input ending mid-message) exits with status 2 and a message on stderr. A
clean end of input between messages ends the process with status 0.

Task ids: an emit that needs task ids (the default for non-direct emits)
does not wait for Storm's reply (a bare JSON array): it returns a TaskIds
(task_ids.py), a list filled in when the reply arrives and that waits
for it when read. Replies arrive in emit order, so unanswered emits form a FIFO. The
thread that reads Storm's input (the main thread) reads on behalf of a
waiting reader, queuing any tuple or command it reads meanwhile for later,
in order; another thread (BatchingBolt's worker) waits until the main
thread hands the list its reply. Before the main loop takes its next input,
every TaskIds that user code still holds is completed, so a list kept for
later is never seen empty. Writes are serialized by a lock.
"""

import atexit
import logging
import os
import sys
import threading
import time
from time import monotonic as _monotonic
import traceback
from collections import deque

from .ipc import Tuple
from .log import LogStream, component_identity, configure_logging
from .serializers import ProtocolError, open_serializer
from .task_ids import TaskIds, _InputClosed  # noqa: F401 (re-exported)

# Multilang log levels (storm-facts 2.4): other values are logged at INFO.
_STORM_LOG_LEVELS = {
    "trace": 0,
    "debug": 1,
    "info": 2,
    "warn": 3,
    "warning": 3,
    "error": 4,
    "critical": 4,  # pystorm accepts it
}


# Longest time the main thread keeps output queued while it still has input
# to handle (queued output is always written before it waits for input).
_MAX_OUTPUT_DELAY = 0.05


# Most emits whose task ids nobody has read yet (reader thread). Past it,
# the oldest is waited for: Storm's ShellSpout writes each reply at once,
# and replies nobody reads must not fill the pipe (64 KiB) and stall it.
_MAX_UNREAD_TASK_IDS = 1024


def emit_values(tup):
    """The values of an emit as a new list; TypeError unless a list or
    tuple."""
    if not isinstance(tup, (list, tuple)):
        raise TypeError("emit() takes a list of values, got %s"
                        % type(tup).__name__)
    return list(tup)


def streams_without_targets(context):
    """The declared streams of this component that no component subscribes
    to, per the handshake's context (``stream->target->grouping``, Storm
    0.10+; a stream nobody subscribes to is absent from it or maps to
    nothing). Empty when the context does not say (Storm 0.9.x)."""
    targets = context.get("stream->target->grouping")
    if not isinstance(targets, dict):
        return frozenset()
    declared = context.get("stream->outputfields")
    if not isinstance(declared, dict):
        declared = dict.fromkeys(context.get("streams") or ())
    return frozenset(s for s in declared if not targets.get(s))


class _ThreadState(object):
    __slots__ = ("current", "settled")

    def __init__(self):
        self.current = None
        self.settled = None


class _Exit(Exception):
    """Raised to leave the main loop with a status."""

    def __init__(self, status):
        Exception.__init__(self, status)
        self.status = status


class Component(object):
    """Base class of spouts and bolts. Subclasses implement ``_run_loop``."""

    def __init__(self, *args, **kwargs):
        self.storm_conf = {}
        self.context = {}
        self.component_name = None
        self.task_id = None
        self.pid = os.getpid()
        self.logger = logging.getLogger("streamparse")
        self.serializer = None
        self._write_lock = threading.Lock()
        self._waiters = deque()
        self._waiters_lock = threading.Lock()
        self._pending = deque()
        self._fresh = []    # TaskIds of the reader's emits since its last input
        self._reader_ident = None
        self._local = threading.local()
        self._main_state = _ThreadState()
        self._task_ids_class = type("TaskIds", (TaskIds,), {"_owner": self})
        # Streams that the handshake's context shows nobody subscribes to:
        # an emit on them went to no task, so it does not ask Storm.
        self._streams_without_targets = frozenset()
        _set_current_component(self)

    @classmethod
    def spec(cls, name=None, inputs=None, par=None, config=None):
        """streamparse 3.x/4.x: this component in a ``Topology`` (recorded
        for ``topoc import``, see streamparse/dsl)."""
        from .dsl.topology import python_spec
        return python_spec(cls, name=name, inputs=inputs, par=par, config=config)

    # ---- user hooks -------------------------------------------------
    def initialize(self, storm_conf, context):
        """Called after the handshake, before the main loop."""

    # ---- messages to Storm -------------------------------------------
    def send_message(self, message):
        """Sends one protocol message (thread-safe). On the main thread the
        message may be queued: queued output is written before the main
        thread next waits for input (and at exit), so Storm never waits
        for it. Other threads write at once."""
        with self._write_lock:
            if threading.get_ident() == self._reader_ident:
                self.serializer.queue_message(message)
            else:
                self.serializer.write_message(message)

    def _send_raw(self, data, on_reader=None):
        """Sends encoded bytes; on_reader: whether the caller is the reader
        thread (queued), when it already knows."""
        if on_reader is None:
            on_reader = threading.get_ident() == self._reader_ident
        with self._write_lock:
            if on_reader:
                self.serializer.queue_raw(data)
            else:
                self.serializer.write_raw(data)

    def _flush_output(self):
        with self._write_lock:
            self.serializer.flush()

    def log(self, message, level=None):
        """Logs a message through Storm (the multilang ``log`` command).
        level: trace, debug, info, warn or error (default info)."""
        msg = {"command": "log", "msg": str(message)}
        if level is not None:
            key = str(level).lower()
            if key not in _STORM_LOG_LEVELS:
                raise ValueError("unknown log level %r (use trace, debug, "
                                 "info, warn or error)" % (level,))
            msg["level"] = _STORM_LOG_LEVELS[key]
        self.send_message(msg)

    def report_error(self, message):
        """Reports an error to Storm (the multilang ``error`` command); it
        shows in Storm's UI for the component."""
        self.send_message({"command": "error", "msg": str(message)})

    def send_metric(self, name, params):
        """Updates the IShellMetric ``name`` registered on the Java side
        (the multilang ``metrics`` command)."""
        self.send_message({"command": "metrics", "name": name,
                           "params": params})

    # ---- emits --------------------------------------------------------
    def _send_emit(self, msg, direct_task, need_task_ids, on_reader=None):
        if direct_task is not None:
            msg["task"] = direct_task
            self.send_message(msg)
            return [direct_task]
        if need_task_ids is not None and not need_task_ids:
            msg["need_task_ids"] = False
            self.send_message(msg)
            return None
        if on_reader is None:
            on_reader = threading.get_ident() == self._reader_ident
        if msg.get("stream", "default") in self._streams_without_targets:
            # Storm's answer is known: no task. Not asking spares a reply
            # per emit (the last bolt of a topology emits to nobody).
            msg["need_task_ids"] = False
            self._send_raw(self.serializer.encode(msg), on_reader)
            ids = self._task_ids_class()
            ids._done = True
            return ids
        return self._queue_emits((msg,), on_reader)[0]

    def _queue_emits(self, msgs, on_reader):
        """Writes emit messages that want their task ids (queued on the
        reader thread); returns their TaskIds, in order."""
        serializer = self.serializer
        encode = serializer.encode
        send = serializer.queue_raw if on_reader else serializer.write_raw
        new_ids = self._task_ids_class
        waiters = self._waiters
        fresh = self._fresh
        lock = self._write_lock
        results = []
        for msg in msgs:
            data = encode(msg)
            ids = new_ids()
            with lock:
                # Queued before writing: the reply may be read (by the main
                # thread) before the write returns. (deque.append is atomic;
                # the waiters lock only orders filling and waiting.)
                waiters.append(ids)
                try:
                    send(data)
                except BaseException:
                    with self._waiters_lock:
                        waiters.remove(ids)
                    raise
            results.append(ids)
            if on_reader:
                fresh.append(ids)
                if len(waiters) > _MAX_UNREAD_TASK_IDS:
                    self._wait_for(waiters[0])
        return results

    def _wait_for(self, ids):
        """Blocks until the reply of the emit that returned ``ids`` has
        arrived. The reader thread reads input meanwhile (queuing tuples and
        commands for later); another thread waits for the reader to deliver
        it."""
        if threading.get_ident() == self._reader_ident:
            while not ids._done:
                message = self._read_raw()
                if message is None:
                    raise _InputClosed("input ended while waiting for the "
                                       "task ids of an emit")
                self._dispatch_while_waiting(message)
            return
        with self._waiters_lock:
            if ids._done:
                return
            if ids._event is None:
                ids._event = threading.Event()
            event = ids._event
        event.wait()

    def _deliver_task_ids(self, task_ids):
        with self._waiters_lock:
            if not self._waiters:
                waiter = None
            else:
                waiter = self._waiters.popleft()
                waiter._fill(task_ids)
        if waiter is None:
            self.logger.warning("ignoring task ids %r that no emit asked "
                                "for", task_ids)

    def _fail_waiters(self, reason):
        with self._waiters_lock:
            waiters = list(self._waiters)
            self._waiters.clear()
            for waiter in waiters:
                waiter._error = reason
                waiter._fill(None)

    def _wait_for_held_task_ids(self):
        """Before the next input: waits for the replies of the emits since
        the last input whose TaskIds user code still holds (the caller may
        read them later, from anywhere). Those nobody holds are filled
        whenever their reply arrives; nobody can reach them any more."""
        fresh = self._fresh
        last = None
        getrefcount = sys.getrefcount
        # References of an unheld one: this list, the waiters deque (while
        # unanswered), the loop variable and getrefcount's argument.
        for ids in fresh:
            if not ids._done and getrefcount(ids) > 4:
                last = ids
        ids = None
        self._fresh = []
        if last is not None:
            self._wait_for(last)

    def _dispatch_while_waiting(self, message):
        """A message read while an emit waits for its task ids."""
        if isinstance(message, list):
            self._deliver_task_ids(message)
        else:
            self._pending.append(message)

    # ---- reading --------------------------------------------------------
    def _read_raw(self):
        return self.serializer.read_message()

    def read_message(self):
        """The next message for the main loop: queued ones first. Task-id
        replies are handed to their emits here, never returned."""
        if self._fresh:
            self._wait_for_held_task_ids()
        serializer = self.serializer
        if serializer._out and (_monotonic() - serializer._queued_at
                                > _MAX_OUTPUT_DELAY):
            with self._write_lock:
                serializer.flush_if_older(_MAX_OUTPUT_DELAY)
        pending = self._pending
        read = serializer.read_message
        deliver = self._deliver_task_ids
        while True:
            if pending:
                return pending.popleft()
            message = read()
            if message.__class__ is list:
                deliver(message)
                continue
            return message

    # ---- current tuples (anchoring, auto ack) ----------------------------
    # Per thread: the tuples being processed (emits anchor to them) and the
    # ids acked or failed meanwhile (auto ack skips them). The reader
    # thread's state is a plain attribute: it is on every tuple's path.
    def _state(self):
        if threading.get_ident() == self._reader_ident:
            return self._main_state
        state = getattr(self._local, "state", None)
        if state is None:
            state = self._local.state = _ThreadState()
        return state

    def _set_current(self, tuples):
        state = self._state()
        state.current = tuples
        state.settled = None

    def _current(self):
        return self._state().current or ()

    def _settled(self):
        state = self._state()
        if state.settled is None:
            state.settled = set()
        return state.settled

    # ---- process lifecycle -------------------------------------------------
    def _setup_streams(self):
        """Private descriptors for the protocol; fd 0 becomes /dev/null and
        fd 1 a copy of stderr, so user code can neither read Storm's input
        nor write into the protocol stream."""
        proto_in = os.dup(0)
        proto_out = os.dup(1)
        devnull = os.open(os.devnull, os.O_RDONLY)
        os.dup2(devnull, 0)
        os.close(devnull)
        os.dup2(2, 1)
        sys.stdin = open(os.devnull)
        sys.stdout = LogStream(logging.getLogger("streamparse.stdout"),
                               logging.INFO)
        return proto_in, proto_out

    def _handshake(self):
        message = self._read_raw()
        if message is None:
            raise _Exit(0)
        if not isinstance(message, dict):
            raise ProtocolError("the handshake must be an object with conf, "
                                "pidDir and context; got %r" % (message,))
        for key in ("conf", "pidDir", "context"):
            if key not in message:
                raise ProtocolError("the handshake has no %r key" % key)
        pid_dir = message["pidDir"]
        try:
            open(os.path.join(pid_dir, str(self.pid)), "w").close()
        except OSError as exc:
            raise ProtocolError("cannot create the pid file in pidDir %r: %s"
                                % (pid_dir, exc))
        self.storm_conf = message["conf"] or {}
        self.context = message["context"] or {}
        self.component_name, self.task_id = component_identity(self.context)
        self._streams_without_targets = streams_without_targets(self.context)
        self.send_message({"pid": self.pid})

    def run(self):
        """Runs the component until Storm closes its input; exits the
        process."""
        self._reader_ident = threading.get_ident()
        status = 0
        try:
            in_fd, out_fd = self._setup_streams()
            self.serializer = open_serializer(in_fd, out_fd)
            if self.serializer is None:
                raise _Exit(0)
            self.serializer.before_block = self._flush_output
            threading.Thread(target=self._flush_loop, daemon=True,
                             name="streamparse-flusher").start()
            self._handshake()
            try:
                configure_logging(self.storm_conf, self.context)
            except (ValueError, OSError) as exc:
                configure_logging({}, self.context)
                self.logger.error("logging settings: %s", exc)
            self.logger = logging.getLogger(
                "streamparse.%s" % (self.component_name,))
            self.logger.info("started %s (task %s, pid %d, %s serializer)",
                             type(self).__name__, self.task_id, self.pid,
                             self.serializer.name)
            try:
                self.initialize(self.storm_conf, self.context)
            except Exception:
                self._die("initialize() raised")
            self._run_loop()
            self.logger.info("input closed; exiting")
        except _Exit as exc:
            status = exc.status
        except _InputClosed as exc:
            self.logger.info("%s; exiting", exc)
            status = 0
        except ProtocolError as exc:
            sys.stderr.write("streamparse: protocol error: %s\n" % exc)
            self.logger.error("protocol error: %s", exc)
            status = 2
        except (BrokenPipeError, ConnectionResetError):
            status = 0  # Storm went away
        except KeyboardInterrupt:
            # Ctrl-C reaching the whole process group (e.g. under topoc run):
            # the runner stops the topology; no traceback here.
            status = 130
        except SystemExit as exc:  # sys.exit() in user code
            status = exc.code if isinstance(exc.code, int) else (
                0 if exc.code is None else 1)
        except Exception:
            sys.stderr.write("streamparse: internal error:\n%s"
                             % traceback.format_exc())
            status = 1
        self._fail_waiters("the component is shutting down")
        self._try_flush()
        logging.shutdown()
        sys.stderr.flush()
        os._exit(status)

    def _die(self, what):
        """Reports the exception being handled and ends the process."""
        text = traceback.format_exc()
        summary = "%s in %s (task %s): %s" % (what, self.component_name,
                                              self.task_id, text)
        try:
            self.report_error(summary)
        except Exception:
            pass
        self._try_flush()
        try:
            self.logger.error("%s", summary)
        except Exception:
            pass
        sys.stderr.write(summary)
        sys.stderr.flush()
        logging.shutdown()
        os._exit(1)

    def _flush_loop(self):
        """Writes output the main thread queued and left waiting while user
        code runs (a slow process() must not hold back acks and syncs)."""
        serializer = self.serializer
        while True:
            time.sleep(_MAX_OUTPUT_DELAY)
            if serializer._out:
                try:
                    with self._write_lock:
                        serializer.flush_if_older(_MAX_OUTPUT_DELAY)
                except OSError:
                    return

    def _try_flush(self):
        if self.serializer is None:
            return
        try:
            self._flush_output()
        except Exception:
            pass

    def _run_loop(self):
        raise NotImplementedError

    # ---- the pystorm / streamparse 3-4 API ----------------------------------
    #: False keeps the process running after user code raises: the error is
    #: reported (raise_exception) and logged, the tuple failed (auto_fail),
    #: and the component goes on with the next message (pystorm).
    exit_on_exception = True

    @property
    def topology_name(self):
        """``topology.name`` from the conf (None before the handshake)."""
        override = self.__dict__.get("_topology_name")
        if override is not None:
            return override
        return (self.storm_conf or {}).get("topology.name")

    @topology_name.setter
    def topology_name(self, value):
        self.__dict__["_topology_name"] = value

    @property
    def debug(self):
        """``topology.debug`` from the conf (False when unset)."""
        override = self.__dict__.get("_debug")
        if override is not None:
            return override
        return bool((self.storm_conf or {}).get("topology.debug", False))

    @debug.setter
    def debug(self, value):
        self.__dict__["_debug"] = value

    @staticmethod
    def is_heartbeat(tup):
        """Whether a Tuple is a heartbeat (answered by the runtime; user code
        never sees one in process())."""
        return tup.task == -1 and tup.stream == "__heartbeat"

    def report_metric(self, name, value):
        """pystorm's name for send_metric(): updates the IShellMetric
        ``name`` registered on the Java side with ``value``."""
        self.send_metric(name, value)

    def raise_exception(self, exception, tup=None):
        """Reports an exception to Storm (the multilang ``error`` command)
        with its traceback and, when given, the tuple being processed. It
        does not raise, and the process goes on."""
        trace = "".join(traceback.format_exception(
            type(exception), exception, exception.__traceback__))
        where = "" if tup is None else " while processing %r" % (tup,)
        self.report_error("%s raised in %s (task %s)%s:\n%s" % (
            type(exception).__name__, self.component_name, self.task_id,
            where, trace))

    def _user_code_raised(self, what, tup=None):
        """Called in an ``except`` block around user code: ends the process
        (``_die``) unless exit_on_exception is False, in which case the
        exception is reported and logged and the caller goes on."""
        if self.exit_on_exception:
            self._die(what)
        exc = sys.exc_info()[1]
        try:
            self.raise_exception(exc, tup)
        except Exception:
            pass
        self.logger.error("%s (exit_on_exception is False: going on)", what,
                          exc_info=True)

    def _open_channel(self):
        """What run() does before the handshake; for code that drives the
        protocol itself (read_handshake() before any run())."""
        self._reader_ident = threading.get_ident()
        in_fd, out_fd = self._setup_streams()
        self.serializer = open_serializer(in_fd, out_fd)
        if self.serializer is None:
            raise EOFError("Storm closed the input before the handshake")
        self.serializer.before_block = self._flush_output
        self._sync_bytes = self.serializer.encode({"command": "sync"})
        threading.Thread(target=self._flush_loop, daemon=True,
                         name="streamparse-flusher").start()
        atexit.register(self._try_flush)

    def read_handshake(self):
        """Performs the handshake (pid file, ``{"pid": N}`` reply) unless
        done already, and returns ``(storm_conf, context)``. run() does this
        itself; code that drives the protocol without run() calls it first
        (then read_command() / read_tuple() / emit / ack / ...)."""
        if self.serializer is None:
            self._open_channel()
        if self.component_name is None:
            try:
                self._handshake()
            except _Exit:
                raise EOFError("Storm closed the input before the handshake")
        return self.storm_conf, self.context

    def read_command(self):
        """The next message from Storm (a dict: a command for a spout, a
        tuple for a bolt), the messages queued while an emit waited for its
        task ids first; task-id replies go to their emits. None when Storm
        closed the input."""
        return self.read_message()

    def read_task_ids(self):
        """Reads up to the task-id list that answers an emit sent by hand
        with send_message() and returns it; call it right after that emit.
        Replies owed to earlier emit() calls (which collect their own) are
        handed to them first; commands and tuples read meanwhile are kept,
        in order, for read_command() (heartbeats are answered)."""
        while True:
            message = self._read_raw()
            if message is None:
                raise _InputClosed("input ended while waiting for task ids")
            if isinstance(message, list):
                with self._waiters_lock:
                    owed = bool(self._waiters)
                if not owed:
                    return message
            self._dispatch_while_waiting(message)


_current_component = [None]


def _set_current_component(component):
    _current_component[0] = component


def current_component():
    """The component this process runs (the last one created), or None;
    StormHandler sends through it when not given one."""
    return _current_component[0]


def _tuple_id(tup):
    return tup.id if isinstance(tup, Tuple) else tup
