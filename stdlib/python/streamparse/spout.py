"""streamparse.spout.Spout: base class of Python spouts.

Storm drives a spout synchronously: each ``next``, ``ack``, ``fail``,
``activate`` and ``deactivate`` command calls the method of the same name
(``next_tuple`` for ``next``) and is answered with ``{"command": "sync"}``
once the method returns. An exception in any of them is reported with the
``error`` command and ends the process (status 1).
"""

from .base import Component


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
        if not isinstance(tup, (list, tuple)):
            raise TypeError("emit() takes a list of values, got %s"
                            % type(tup).__name__)
        msg = {"command": "emit", "tuple": list(tup)}
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
                    self._die("%s raised" % ("next_tuple()" if command == "next"
                                             else command + "()"))
            self._send_raw(sync)
