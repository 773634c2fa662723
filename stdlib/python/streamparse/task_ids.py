"""streamparse.task_ids.TaskIds: the list of task ids an emit returns,
filled in when Storm's reply arrives and waited for when read
(streamparse.base.Component answers the wait; base re-exports TaskIds).
"""


class TaskIds(list):
    """The task ids an emit went to: a list filled in when Storm's reply
    arrives. Emits do not wait for their reply; reading this list in any way
    (len, iteration, indexing, comparison, printing, ...) waits for it
    first, so a caller that looks at the ids gets the right ones. A list
    that user code still holds when the component goes on to its next input
    is completed before that input is handled.

    Each component makes a subclass whose ``_owner`` is the component, so
    that creating one (on every emit) runs no Python code; the other
    attributes are class-level defaults until the reply arrives."""

    _owner = None     # the Component whose emit returned it
    _done = False     # the reply arrived (or the component is shutting down)
    _event = None     # set when done, for a waiter on another thread
    _error = None     # why there will be no reply

    def _fill(self, task_ids):
        """Called with the owner's waiters lock held."""
        if isinstance(task_ids, list):
            list.extend(self, task_ids)
        self._done = True
        if self._event is not None:
            self._event.set()

    def _wait(self):
        if not self._done:
            self._owner._wait_for(self)
        if self._error is not None:
            raise _InputClosed(self._error)

    def __radd__(self, other):
        self._wait()
        if isinstance(other, list):
            return list.__add__(other, self)
        return NotImplemented

    __hash__ = None


def _forcing(name):
    base = getattr(list, name)

    def method(self, *args, **kwargs):
        if not self._done or self._error is not None:
            self._wait()
        return base(self, *args, **kwargs)

    method.__name__ = name
    method.__doc__ = base.__doc__
    return method


for _name in ("__len__", "__getitem__", "__iter__", "__reversed__",
              "__contains__", "__eq__", "__ne__", "__lt__", "__le__",
              "__gt__", "__ge__", "__repr__", "__add__", "__mul__",
              "__rmul__", "__iadd__", "__imul__", "__setitem__",
              "__delitem__", "__reduce_ex__", "__sizeof__", "__format__",
              "append", "extend", "insert", "pop", "remove", "reverse",
              "sort", "clear", "copy", "index", "count"):
    setattr(TaskIds, _name, _forcing(_name))
del _name


class _InputClosed(BaseException):
    """Storm closed the input while an emit waited for its task ids: the
    topology is shutting down (or the worker went away). A BaseException, so
    that user code's ``except Exception`` around an emit lets it through;
    the component then ends quietly, as when the input closes between
    tuples, instead of reporting an error for a tuple it never finished."""
