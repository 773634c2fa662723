"""streamparse 3.x/4.x topology DSL, as recorders for ``topoc import``.

``Topology``, ``Grouping``, ``Stream``, ``JavaSpout``, ``JavaBolt``,
``ShellSpout``, ``ShellBolt`` and ``Component.spec()`` accept what
streamparse's accept, but build nothing for Storm: they record the topology,
which ``python -m streamparse.dsl.record`` dumps as JSON for ``topoc import``
to write as ``.topo``. No Storm, no thrift.
"""

from .topology import (Grouping, JavaBolt, JavaSpout, ShellBolt, ShellSpout,
                       Stream, Topology, TopologyError)

__all__ = ["Grouping", "JavaBolt", "JavaSpout", "ShellBolt", "ShellSpout",
           "Stream", "Topology", "TopologyError"]
