"""streamparse.storm: the component classes in one module, as streamparse 3
and 4 export them (``from streamparse.storm import Bolt, ReliableSpout``).

The topology-DSL classes of streamparse 3/4 (JavaSpout, JavaBolt,
ShellSpout, ShellBolt) are looked up in the ``streamparse`` package when
asked for.
"""

from .base import Component
from .bolt import BasicBolt, BatchingBolt, Bolt, TicklessBatchingBolt
from .ipc import Tuple
from .log import StormHandler
from .spout import ReliableSpout, Spout

__all__ = ["BasicBolt", "BatchingBolt", "Bolt", "Component", "ReliableSpout",
           "Spout", "StormHandler", "TicklessBatchingBolt", "Tuple"]

_DSL_NAMES = ("JavaSpout", "JavaBolt", "ShellSpout", "ShellBolt")


def __getattr__(name):
    if name in _DSL_NAMES:
        import streamparse
        try:
            return getattr(streamparse, name)
        except AttributeError:
            raise AttributeError(
                "streamparse.storm.%s: this streamparse has no topology DSL "
                "class %s" % (name, name))
    raise AttributeError("module 'streamparse.storm' has no attribute %r"
                         % (name,))
