"""Storm's tuple as user code sees it."""

import keyword
import re
from collections import namedtuple


class Tuple(namedtuple("Tuple", "id component stream task values")):
    """Storm's primitive data type passed around via streams.

    id        -- the tuple's id (a string; ``None`` never happens for bolts)
    component -- the component that emitted it
    stream    -- the stream it was emitted into
    task      -- the task that emitted it
    values    -- the payload: a named tuple of the stream's fields when the
                 handshake context declares them (``source->stream->fields``,
                 Storm 0.10+), so ``values.word`` and ``values[0]`` both
                 work; otherwise (ticks, heartbeats, older contexts, a tuple
                 whose length does not match the fields) the list Storm sent
    """

    __slots__ = ()

    def is_heartbeat(self):
        return self.task == -1 and self.stream == "__heartbeat"

    def is_tick(self):
        return self.component == "__system" and self.stream == "__tick"


class _ListLike(tuple):
    """Mixed into the named tuples of ``Tuple.values`` so that code written
    when values was a list keeps working: it compares equal to a list of
    the same values and concatenates with lists (``values + [x]`` is a
    list). Hashable and immutable like any tuple."""

    __slots__ = ()

    def __eq__(self, other):
        if isinstance(other, list):
            return len(self) == len(other) and list(self) == other
        return tuple.__eq__(self, other)

    def __ne__(self, other):
        return not self.__eq__(other)

    __hash__ = tuple.__hash__

    def __add__(self, other):
        if isinstance(other, list):
            return list(self) + other
        return tuple(self) + other

    def __radd__(self, other):
        if isinstance(other, list):
            return other + list(self)
        if isinstance(other, tuple):
            return other + tuple(self)
        return NotImplemented

    def copy(self):
        """A list of the values (what ``values.copy()`` gave for a list)."""
        return list(self)


def _type_name(source, stream):
    """"word-spout", "default" -> "WordSpoutDefaultValues"."""
    words = re.split(r"[\W_]+", "%s %s" % (source, stream))
    name = "".join(w[:1].upper() + w[1:] for w in words) + "Values"
    if not name.isidentifier() or keyword.iskeyword(name):
        name = "Values"
    return name


def values_class(source, stream, fields):
    """The named-tuple class of the values of ``source``'s ``stream``. Field
    names that are not Python identifiers (or repeat, or start with ``_``)
    are renamed ``_0``, ``_1``, ... by position, as namedtuple(rename=True)
    does; ``_fields`` keeps the Python names."""
    base = namedtuple(_type_name(source, stream), [str(f) for f in fields],
                      rename=True)
    # The named tuple first, so that fields (even one called "copy") win
    # over _ListLike's methods; _ListLike before tuple for == and +.
    return type(base.__name__, (base, _ListLike),
                {"__slots__": (), "_size": len(base._fields)})


def values_types(context):
    """{source component: {stream: values class}} from a handshake context's
    ``source->stream->fields`` (empty when the context has none)."""
    types = {}
    sources = (context or {}).get("source->stream->fields")
    if not isinstance(sources, dict):
        return types
    for source, streams in sources.items():
        if not isinstance(streams, dict):
            continue
        for stream, fields in streams.items():
            if isinstance(fields, list) and fields:
                types.setdefault(source, {})[stream] = values_class(
                    source, stream, fields)
    return types


_tuple_new = tuple.__new__


def tuple_from_message(msg, types=None):
    """Builds a Tuple from a multilang bolt message
    ({"id", "comp", "stream", "task", "tuple"}). ``types``, from
    values_types(), turns the values into the stream's named tuple."""
    try:  # subscripts: cheaper than five get calls on every tuple
        values = msg["tuple"]
        comp = msg["comp"]
        stream = msg["stream"]
        tup_id = msg["id"]
        task = msg["task"]
    except KeyError:
        values = msg.get("tuple")
        comp = msg.get("comp")
        stream = msg.get("stream")
        tup_id = msg.get("id")
        task = msg.get("task")
    if types:
        streams = types.get(comp)
        if streams is not None:
            cls = streams.get(stream)
            if (cls is not None and values.__class__ is list
                    and len(values) == cls._size):
                values = _tuple_new(cls, values)
    return _tuple_new(Tuple, (tup_id, comp, stream, task, values))
