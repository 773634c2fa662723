"""streamparse.bolt.Bolt and BatchingBolt: base classes of Python bolts.

Bolt main loop, per message from Storm:
* heartbeat tuple (stream ``__heartbeat``, task -1): answered with
  ``{"command": "sync"}`` at once (also while an emit waits for task ids);
* tick tuple (component ``__system``, stream ``__tick``): ``process_tick``,
  then acked when ``auto_ack``;
* any other tuple: ``process``; then acked when ``auto_ack`` (unless the
  code already acked or failed it). Emits inside ``process`` are anchored to
  the tuple when ``auto_anchor`` and no anchors are given. An exception
  fails the tuple when ``auto_fail``, is reported with ``error`` and ends
  the process with status 1.

BatchingBolt: the main thread reads tuples and files them into batches by
``group_key``; a worker thread wakes every ``secs_between_batches`` seconds
(fractions allowed) and calls ``process_batch(key, tuples)`` for each
non-empty batch, in the order the keys first appeared; emits there are
anchored to the whole batch, the batch is acked afterwards (``auto_ack``)
or failed when ``process_batch`` raises (``auto_fail``; then every tuple
not yet processed is failed too and the process ends).
With ``ticks_between_batches = N`` (streamparse 2.0+'s tick-driven
batching) no worker thread runs: the main thread processes the batches
after every N-th tick tuple. TicklessBatchingBolt is streamparse 2.1+'s name
for the timer-driven kind; BasicBolt is 0.0.13's name for a Bolt.

With ``exit_on_exception = False`` (pystorm) an exception in user code is
reported and logged, the tuple (or batch) failed, and the bolt goes on.
"""

import os
import sys
import threading
import time
from threading import get_ident
from collections import OrderedDict

from .base import Component, _InputClosed, _tuple_id, emit_values
from .ipc import Tuple, tuple_from_message, values_types
from .serializers import ProtocolError


def _as_id_list(anchors):
    if isinstance(anchors, (Tuple, str, int)):
        return [_tuple_id(anchors)]
    return [_tuple_id(a) for a in anchors]


def _emit_messages(tuples, extra):
    """The emit messages of emit_many: each tuple's values, then ``extra``
    (stream, anchors), as emit() builds them."""
    for tup in tuples:
        msg = {"command": "emit", "tuple": emit_values(tup)}
        if extra:
            msg.update(extra)
        yield msg


class Bolt(Component):
    """The base class for all streamparse bolts."""

    #: Ack each tuple after process() returns.
    auto_ack = True
    #: Anchor emits to the tuple(s) being processed when no anchors are
    #: given.
    auto_anchor = True
    #: Fail the tuple when process() raises.
    auto_fail = True

    def process(self, tup):
        """Processes one streamparse.ipc.Tuple. Override this."""
        raise NotImplementedError(
            "%s must implement process(tup)" % type(self).__name__)

    def process_tick(self, tup):
        """Called for each tick tuple (topology.tick.tuple.freq.secs)."""

    def emit(self, tup, stream=None, anchors=None, direct_task=None,
             need_task_ids=None):
        """Emits one tuple (a list of values).

        stream: None for "default". anchors: tuples or tuple ids to anchor
        to; None means the tuple(s) being processed when auto_anchor is on.
        direct_task: target task of a direct emit. need_task_ids: False to
        skip waiting for the task ids.

        Returns the task ids the tuple went to; ``[direct_task]`` for a
        direct emit; None with need_task_ids=False."""
        msg = {"command": "emit", "tuple": emit_values(tup)}
        if stream is not None:
            msg["stream"] = stream
        on_reader = get_ident() == self._reader_ident
        if anchors is None:
            if self.auto_anchor:
                current = (self._main_state if on_reader
                           else self._state()).current
                if current:
                    msg["anchors"] = ([current[0].id] if len(current) == 1
                                      else [t.id for t in current])
        else:
            msg["anchors"] = _as_id_list(anchors)
        return self._send_emit(msg, direct_task, need_task_ids, on_reader)

    def emit_many(self, tuples, stream=None, anchors=None, direct_task=None,
                  need_task_ids=None):
        """Emits several tuples with the same options; returns the list of
        emit() results."""
        if (direct_task is None and (need_task_ids is None or need_task_ids)
                and get_ident() == self._reader_ident
                and type(self).emit is Bolt.emit
                and (stream or "default") not in self._streams_without_targets):
            # The common case in one pass (what emit() per tuple would do).
            extra = {}
            if stream is not None:
                extra["stream"] = stream
            if anchors is None:
                if self.auto_anchor:
                    current = self._main_state.current
                    if current:
                        extra["anchors"] = [t.id for t in current]
            else:
                extra["anchors"] = _as_id_list(anchors)
            return self._queue_emits(_emit_messages(tuples, extra), True)
        return [self.emit(tup, stream=stream, anchors=anchors,
                          direct_task=direct_task,
                          need_task_ids=need_task_ids)
                for tup in tuples]

    def ack(self, tup):
        """Acks a tuple (a Tuple or its id)."""
        self._settle("ack", tup.id if isinstance(tup, Tuple) else tup)

    def fail(self, tup):
        """Fails a tuple (a Tuple or its id)."""
        self._settle("fail", tup.id if isinstance(tup, Tuple) else tup)

    def _settle(self, kind, tup_id):
        state = self._state()
        if state.settled is None:
            state.settled = set()
        state.settled.add(tup_id)
        self._send_raw(self.serializer.encode_ack(kind, tup_id))

    # ---- main loop --------------------------------------------------------
    def _dispatch_while_waiting(self, message):
        if (isinstance(message, dict) and message.get("task") == -1
                and message.get("stream") == "__heartbeat"):
            self._sync()
        else:
            Component._dispatch_while_waiting(self, message)

    def _sync(self):
        self._send_raw(self._sync_bytes)

    def _run_loop(self):
        self._sync_bytes = self.serializer.encode({"command": "sync"})
        types = self._values_types()
        self._start()
        while True:
            msg = self.read_message()
            if msg is None:
                return
            if not isinstance(msg, dict) or "command" in msg:
                self.logger.warning("ignoring unexpected message %r", msg)
                continue
            if msg.get("task") == -1 and msg.get("stream") == "__heartbeat":
                self._sync()
                continue
            tup = tuple_from_message(msg, types)
            if tup.component == "__system" and tup.stream == "__tick":
                self._handle_tick(tup)
            else:
                self._handle_tuple(tup)

    def _start(self):
        """Hook run once before the main loop."""

    def _handle_tick(self, tup):
        self._set_current([tup])
        try:
            self.process_tick(tup)
        except Exception:
            if self.auto_fail and tup.id not in self._settled():
                self.fail(tup)
            self._user_code_raised("process_tick() raised", tup)
            self._set_current(None)
            self._after_tick()
            return
        if self.auto_ack and tup.id not in self._settled():
            self.ack(tup)
        self._set_current(None)
        self._after_tick()

    def _handle_tuple(self, tup):
        state = self._main_state  # on the reader thread
        state.current = (tup,)
        state.settled = None
        try:
            self.process(tup)
        except Exception:
            if self.auto_fail and (state.settled is None
                                   or tup.id not in state.settled):
                self.fail(tup)
            self._user_code_raised("process() raised", tup)
            state.current = None
            return
        if self.auto_ack and (state.settled is None
                              or tup.id not in state.settled):
            self._send_raw(self.serializer.encode_ack("ack", tup.id), True)
        state.current = None

    def _after_tick(self):
        """Hook run after each tick tuple (BatchingBolt's tick mode)."""

    # ---- the pystorm / streamparse 3-4 API ----------------------------------
    @staticmethod
    def is_tick(tup):
        """Whether a Tuple is a tick tuple (those go to process_tick)."""
        return tup.component == "__system" and tup.stream == "__tick"

    def _values_types(self):
        types = self.__dict__.get("_types")
        if types is None:
            types = self._types = values_types(self.context)
        return types

    def read_tuple(self):
        """The next tuple from Storm as a Tuple (values named as in
        process()), for code that drives the protocol itself; heartbeats
        are answered and skipped. None when Storm closed the input."""
        while True:
            msg = self.read_command()
            if msg is None:
                return None
            if not isinstance(msg, dict) or "command" in msg:
                self.logger.warning("ignoring unexpected message %r", msg)
                continue
            if msg.get("task") == -1 and msg.get("stream") == "__heartbeat":
                self.send_message({"command": "sync"})
                continue
            return tuple_from_message(msg, self._values_types())


class BatchingBolt(Bolt):
    """A bolt that groups tuples by group_key() and hands each group to
    process_batch() every secs_between_batches seconds, on a worker
    thread; or, with ticks_between_batches, at every N-th tick tuple on the
    main thread."""

    #: Seconds between calls to process_batch(); may be fractional.
    secs_between_batches = 2
    #: streamparse 2+'s tick-driven batching: an integer N processes the
    #: batches on the main thread at every N-th tick tuple (the bolt needs
    #: topology.tick.tuple.freq.secs), and no timer thread runs. None (the
    #: default, as in the seed): the timer thread.
    ticks_between_batches = None

    def group_key(self, tup):
        """The batch key of a tuple; None (the default) puts every tuple in
        one batch."""
        return None

    def process_batch(self, key, tups):
        """Processes the list of Tuples of one key. Override this."""
        raise NotImplementedError(
            "%s must implement process_batch(key, tups)" % type(self).__name__)

    def process(self, tup):
        key = self.group_key(tup)
        with self._batch_lock:
            batch = self._batches.get(key)
            if batch is None:
                batch = self._batches[key] = []
            batch.append(tup)

    def process_batches(self):
        """Processes every batch gathered so far, now: what the timer (or,
        with ticks_between_batches, the tick count) calls."""
        with self._batch_lock:
            batches, self._batches = self._batches, OrderedDict()
        self._process_batches(batches)

    def _start(self):
        self._batch_lock = threading.Lock()
        self._batches = OrderedDict()
        self._ticks = 0
        ticks = self.ticks_between_batches
        if ticks is not None:
            if isinstance(ticks, bool) or not isinstance(ticks, int) \
                    or ticks < 1:
                try:
                    raise ValueError("ticks_between_batches must be a "
                                     "positive integer or None, got %r"
                                     % (ticks,))
                except ValueError:
                    self._die("%s is misconfigured" % type(self).__name__)
            if not self.storm_conf.get("topology.tick.tuple.freq.secs"):
                self.logger.warning(
                    "ticks_between_batches is set but the conf has no "
                    "topology.tick.tuple.freq.secs: no tick tuples will "
                    "come, so no batch will be processed")
            return
        self._batcher = threading.Thread(target=self._batch_loop,
                                         name="streamparse-batcher",
                                         daemon=True)
        self._batcher.start()

    def _handle_tuple(self, tup):
        # Filing a tuple into a batch: never acked here.
        try:
            self.process(tup)
        except Exception:
            if self.auto_fail:
                self.fail(tup)
            self._user_code_raised("group_key() raised", tup)

    def _batch_loop(self):
        interval = float(self.secs_between_batches)
        next_run = time.monotonic() + interval
        while True:
            delay = next_run - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            next_run = max(next_run + interval, time.monotonic())
            try:
                self.process_batches()
            except _InputClosed:
                return  # the main thread is ending the process
            except ProtocolError as exc:
                sys.stderr.write("streamparse: protocol error: %s\n" % exc)
                sys.stderr.flush()
                os._exit(2)
            except (BrokenPipeError, ConnectionResetError):
                os._exit(0)  # Storm went away

    def _process_batches(self, batches):
        keys = list(batches)
        for i, key in enumerate(keys):
            tups = batches[key]
            self._set_current(tups)
            try:
                self.process_batch(key, tups)
            except Exception:
                if not self.exit_on_exception:
                    # Only this batch fails; the others go on.
                    if self.auto_fail:
                        settled = self._settled()
                        for t in tups:
                            if t.id not in settled:
                                self.fail(t)
                    self._user_code_raised(
                        "process_batch() raised for key %r" % (key,))
                    self._set_current(None)
                    continue
                if self.auto_fail:
                    settled = self._settled()
                    for t in tups:
                        if t.id not in settled:
                            self.fail(t)
                    for later in keys[i + 1:]:
                        for t in batches[later]:
                            self.fail(t)
                    with self._batch_lock:
                        for waiting in self._batches.values():
                            for t in waiting:
                                self.fail(t)
                self._die("process_batch() raised")
            if self.auto_ack:
                settled = self._settled()
                for t in tups:
                    if t.id not in settled:
                        self.ack(t)
            self._set_current(None)

    def _after_tick(self):
        ticks = self.ticks_between_batches
        if ticks is None:
            return
        self._ticks += 1
        if self._ticks >= ticks:
            self._ticks = 0
            self.process_batches()


class TicklessBatchingBolt(BatchingBolt):
    """streamparse 3's name for the timer-driven BatchingBolt: batches are
    processed every ``secs_between_batches`` seconds by a worker thread,
    whatever the tick tuples do (they still reach process_tick)."""

    ticks_between_batches = None


class BasicBolt(Bolt):
    """streamparse 0.0.13's bolt that acks each tuple after process() and
    anchors its emits to it: what every Bolt does by default since."""

    auto_ack = True
    auto_anchor = True
    auto_fail = True
