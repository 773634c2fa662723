"""topologies/sp4.topo written the streamparse 4 way, as a streamparse user
has it: tests/run/sp4_test.py puts it in a copy of the sp4 project's
topologies/, runs `topoc import`, and runs the result."""

from streamparse import Grouping, ShellBolt, Topology

from batchers import OddTicker, WordBatcher
from number_spout import NumberSpout
from router import Router


class Sp4(Topology):
    config = {"topology.message.timeout.secs": 60}

    numbers = NumberSpout.spec()
    router = Router.spec(inputs={numbers: Grouping.fields("n")}, par=2)
    word_batcher = WordBatcher.spec(name="word-batcher",
                                    inputs={router["evens"]: Grouping.fields("word"),
                                            router["odds"]: Grouping.fields("word")},
                                    par=2)
    odd_ticker = OddTicker.spec(name="odd-ticker", inputs=[router["odds"]],
                                config={"topology.tick.tuple.freq.secs": 1})
    sink = ShellBolt.spec(command="python3", script="sink_bolt.py",
                          inputs={word_batcher: Grouping.GLOBAL})
