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
blocks until Storm's reply (a bare JSON array) arrives. Replies arrive in
emit order, so waiting emits form a FIFO; while one waits, any tuple or
command read from Storm is queued and handled afterwards, in order. The
thread that reads Storm's input (the main thread) reads on behalf of the
waiter; another thread (BatchingBolt's worker) waits until the main thread
hands it its reply. Writes are serialized by a lock.
"""

import logging
import os
import sys
import threading
import time
import traceback
from collections import deque

from .ipc import Tuple
from .log import LogStream, component_identity, configure_logging
from .serializers import ProtocolError, open_serializer

# Multilang log levels (storm-facts 2.4): other values are logged at INFO.
_STORM_LOG_LEVELS = {
    "trace": 0,
    "debug": 1,
    "info": 2,
    "warn": 3,
    "warning": 3,
    "error": 4,
}


# Longest time the main thread keeps output queued while it still has input
# to handle (queued output is always written before it waits for input).
_MAX_OUTPUT_DELAY = 0.05


class _Waiter(object):
    """One emit waiting for its task ids. Only a waiter on another thread
    than the reader needs an Event (creating one costs more than the rest of
    an emit)."""
    __slots__ = ("event", "done", "task_ids", "error")

    def __init__(self, needs_event):
        self.event = threading.Event() if needs_event else None
        self.done = False
        self.task_ids = None
        self.error = None

    def finish(self):
        self.done = True
        if self.event is not None:
            self.event.set()


class _Exit(Exception):
    """Raised to leave the main loop with a status."""

    def __init__(self, status):
        Exception.__init__(self, status)
        self.status = status


class _InputClosed(BaseException):
    """Storm closed the input while an emit waited for its task ids: the
    topology is shutting down (or the worker went away). A BaseException, so
    that user code's ``except Exception`` around an emit lets it through;
    the component then ends quietly, as when the input closes between
    tuples, instead of reporting an error for a tuple it never finished."""


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
        self._reader_ident = None
        self._local = threading.local()

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

    def _send_raw(self, data):
        with self._write_lock:
            if threading.get_ident() == self._reader_ident:
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
    def _send_emit(self, msg, direct_task, need_task_ids):
        if direct_task is not None:
            msg["task"] = direct_task
            self.send_message(msg)
            return [direct_task]
        if need_task_ids is not None and not need_task_ids:
            msg["need_task_ids"] = False
            self.send_message(msg)
            return None
        on_reader = threading.get_ident() == self._reader_ident
        waiter = _Waiter(not on_reader)
        with self._write_lock:
            # Queued before writing: the reply may be read (by the main
            # thread) before write_message returns.
            with self._waiters_lock:
                self._waiters.append(waiter)
            try:
                if on_reader:
                    self.serializer.queue_message(msg)
                else:
                    self.serializer.write_message(msg)
            except BaseException:
                with self._waiters_lock:
                    self._waiters.remove(waiter)
                raise
        if on_reader:
            while not waiter.done:
                message = self._read_raw()
                if message is None:
                    raise _InputClosed("input ended while waiting for the "
                                       "task ids of an emit")
                self._dispatch_while_waiting(message)
        else:
            waiter.event.wait()
        if waiter.error is not None:  # only set as the component shuts down
            raise _InputClosed(waiter.error)
        return waiter.task_ids

    def _deliver_task_ids(self, task_ids):
        with self._waiters_lock:
            waiter = self._waiters.popleft() if self._waiters else None
        if waiter is None:
            self.logger.warning("ignoring task ids %r that no emit asked "
                                "for", task_ids)
            return
        waiter.task_ids = task_ids
        waiter.finish()

    def _fail_waiters(self, reason):
        with self._waiters_lock:
            waiters = list(self._waiters)
            self._waiters.clear()
        for waiter in waiters:
            waiter.error = reason
            waiter.finish()

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
        serializer = self.serializer
        if serializer._out:
            with self._write_lock:
                serializer.flush_if_older(_MAX_OUTPUT_DELAY)
        while True:
            if self._pending:
                return self._pending.popleft()
            message = self._read_raw()
            if isinstance(message, list):
                self._deliver_task_ids(message)
                continue
            return message

    # ---- current tuples (anchoring, auto ack) ----------------------------
    def _set_current(self, tuples):
        self._local.current = tuples
        self._local.settled = set()

    def _current(self):
        return getattr(self._local, "current", None) or ()

    def _settled(self):
        settled = getattr(self._local, "settled", None)
        if settled is None:
            settled = self._local.settled = set()
        return settled

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


def _tuple_id(tup):
    return tup.id if isinstance(tup, Tuple) else tup
