"""streamparse: write Storm spouts and bolts in Python (topoc's runtime).

The API of the streamparse docs: streamparse.spout.Spout,
streamparse.bolt.Bolt, streamparse.bolt.BatchingBolt, streamparse.ipc.Tuple,
streamparse.base.Component; and streamparse 3/4's ReliableSpout,
TicklessBatchingBolt, StormHandler and streamparse.storm. Standard library
only; the msgpack serializer needs the optional msgpack module.
"""

__version__ = "0.1.0"

__all__ = ["Spout", "Bolt", "BatchingBolt", "Tuple", "__version__",
           "ReliableSpout", "TicklessBatchingBolt", "StormHandler",
           "Topology", "Grouping", "Stream", "JavaSpout", "JavaBolt",
           "ShellSpout", "ShellBolt"]


# The streamparse 3.x/4.x topology DSL (recorders for `topoc import`).
_DSL = ("Topology", "Grouping", "Stream", "JavaSpout", "JavaBolt", "ShellSpout", "ShellBolt")


def __getattr__(name):  # lazy, so "import streamparse" stays cheap
    if name in _DSL:
        from . import dsl
        return getattr(dsl, name)
    if name in ("Spout", "ReliableSpout"):
        from . import spout
        return getattr(spout, name)
    if name == "StormHandler":
        from .log import StormHandler
        return StormHandler
    if name in ("Bolt", "BatchingBolt", "TicklessBatchingBolt"):
        from . import bolt
        return getattr(bolt, name)
    if name == "Tuple":
        from .ipc import Tuple
        return Tuple
    raise AttributeError(name)
