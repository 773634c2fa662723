"""streamparse.spout.Spout: base class of Python spouts.

Storm drives a spout synchronously: each ``next``, ``ack``, ``fail``,
``activate`` and ``deactivate`` command calls the method of the same name
(``next_tuple`` for ``next``) and is answered with ``{"command": "sync"}``
once the method returns. An exception in any of them is reported with the
``error`` command and ends the process (status 1), unless
``exit_on_exception`` is False.

ReliableSpout (streamparse 3 / pystorm) replays failed tuples up to
``max_fails`` times.
"""

from collections import Counter

from .base import Component, emit_values


class Spout(Component):
    """Base class for all streamparse spouts."""

    def next_tuple(self):
        """Emit tuples here. Must not block: return and Storm asks again
        (sleep briefly when there is nothing to emit)."""

    def ack(self, tup_id):
        """Called when the tuple emitted with ``tup_id`` was fully
        processed."""

    def fail(self, tup_id):
        """Called when the tuple emitted with ``tup_id`` failed or timed
        out. The default ignores it."""

    def activate(self):
        """Called when the topology is activated (Storm 1.1+)."""

    def deactivate(self):
        """Called when the topology is deactivated (Storm 1.1+)."""

    def emit(self, tup, tup_id=None, stream=None, direct_task=None,
             need_task_ids=None):
        """Emits one tuple (a list of values).

        tup_id: the message id for a reliable emit (ack/fail come back with
        it); None for an unreliable emit. stream: None for "default".
        direct_task: the target task of a direct emit. need_task_ids: False
        to skip waiting for the task ids.

        Returns the task ids the tuple went to; ``[direct_task]`` for a
        direct emit; None with need_task_ids=False."""
        msg = {"command": "emit", "tuple": emit_values(tup)}
        if tup_id is not None:
            msg["id"] = tup_id
        if stream is not None:
            msg["stream"] = stream
        return self._send_emit(msg, direct_task, need_task_ids)

    def emit_many(self, tuples, stream=None, anchors=None, direct_task=None,
                  need_task_ids=None, tup_ids=None):
        """Emits several tuples (the seed's signature; ``anchors`` means
        nothing for a spout and is ignored). tup_ids, when given, is a list
        of message ids parallel to tuples. Returns the list of emit()
        results."""
        if tup_ids is not None and len(tup_ids) != len(tuples):
            raise ValueError("emit_many(): %d tuples but %d ids"
                             % (len(tuples), len(tup_ids)))
        results = []
        for i, tup in enumerate(tuples):
            results.append(self.emit(
                tup, tup_id=None if tup_ids is None else tup_ids[i],
                stream=stream, direct_task=direct_task,
                need_task_ids=need_task_ids))
        return results

    def _run_loop(self):
        sync = self.serializer.encode({"command": "sync"})
        handlers = {
            "next": lambda msg: self.next_tuple(),
            "ack": lambda msg: self.ack(msg.get("id")),
            "fail": lambda msg: self.fail(msg.get("id")),
            "activate": lambda msg: self.activate(),
            "deactivate": lambda msg: self.deactivate(),
        }
        while True:
            msg = self.read_message()
            if msg is None:
                return
            command = msg.get("command") if isinstance(msg, dict) else None
            handler = handlers.get(command)
            if handler is None:
                self.logger.warning("ignoring unknown spout command %r", msg)
            else:
                try:
                    handler(msg)
                except Exception:
                    self._user_code_raised(
                        "%s raised" % ("next_tuple()" if command == "next"
                                       else command + "()"))
            self._send_raw(sync, True)


class ReliableSpout(Spout):
    """A spout that replays its failed tuples (streamparse 3.0 / pystorm).

    Every emit needs a ``tup_id``; the emit's arguments are kept in
    ``unacked_tuples[tup_id]`` until the tuple is acked. A failed tuple is
    emitted again, with the same id, stream and direct task, up to
    ``max_fails`` times (``failed_tuples[tup_id]`` counts them); at the next
    failure it is given up: logged, and treated as acked (``ack(tup_id)`` is
    called, so it leaves ``unacked_tuples``). Subclasses that override
    ``ack`` or ``fail`` call the base method to keep this bookkeeping.
    """

    #: Replays of one tuple before it is given up.
    max_fails = 3

    def __init__(self, *args, **kwargs):
        super(ReliableSpout, self).__init__(*args, **kwargs)
        self.unacked_tuples = {}
        self.failed_tuples = Counter()

    def _known_id(self, tup_id):
        # Storm hands back the id it was given; a string form is accepted
        # too, for ids that went through a serializer as text.
        if tup_id in self.unacked_tuples:
            return tup_id
        for key in self.unacked_tuples:
            if str(key) == str(tup_id):
                return key
        return None

    def emit(self, tup, tup_id=None, stream=None, direct_task=None,
             need_task_ids=None):
        """Emits a reliable tuple and remembers it for replays. tup_id is
        required. Returns as Spout.emit."""
        if tup_id is None:
            raise ValueError("ReliableSpout.emit() needs a tup_id: a tuple "
                             "without one cannot be acked, failed or "
                             "replayed")
        self.unacked_tuples[tup_id] = (tup, stream, direct_task,
                                       need_task_ids)
        return super(ReliableSpout, self).emit(
            tup, tup_id=tup_id, stream=stream, direct_task=direct_task,
            need_task_ids=need_task_ids)

    def ack(self, tup_id):
        """Forgets the tuple (acked, or given up after max_fails)."""
        key = self._known_id(tup_id)
        if key is None:
            self.logger.warning("ack for unknown tuple id %r", tup_id)
            return
        del self.unacked_tuples[key]
        self.failed_tuples.pop(key, None)

    def fail(self, tup_id):
        """Replays the tuple, or gives it up after max_fails replays."""
        key = self._known_id(tup_id)
        if key is None:
            self.logger.warning("fail for unknown tuple id %r", tup_id)
            return
        if self.failed_tuples[key] < self.max_fails:
            self.failed_tuples[key] += 1
            tup, stream, direct_task, need_task_ids = self.unacked_tuples[key]
            self.emit(tup, tup_id=key, stream=stream,
                      direct_task=direct_task, need_task_ids=need_task_ids)
        else:
            self.logger.warning("giving up tuple %r after %d replays",
                                key, self.failed_tuples[key])
            self.ack(key)
