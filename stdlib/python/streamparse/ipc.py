"""Storm's tuple as user code sees it."""

from collections import namedtuple


class Tuple(namedtuple("Tuple", "id component stream task values")):
    """Storm's primitive data type passed around via streams.

    id        -- the tuple's id (a string; ``None`` never happens for bolts)
    component -- the component that emitted it
    stream    -- the stream it was emitted into
    task      -- the task that emitted it
    values    -- the payload, a list
    """

    __slots__ = ()

    def is_heartbeat(self):
        return self.task == -1 and self.stream == "__heartbeat"

    def is_tick(self):
        return self.component == "__system" and self.stream == "__tick"


def tuple_from_message(msg):
    """Builds a Tuple from a multilang bolt message
    ({"id", "comp", "stream", "task", "tuple"})."""
    return Tuple(msg.get("id"), msg.get("comp"), msg.get("stream"),
                 msg.get("task"), msg.get("tuple"))
