"""Word count, streamparse 4 style: every kind of spec the DSL offers."""

from streamparse import Grouping, JavaSpout, ShellBolt, Stream, Topology

from bolts.wordcount import ControlSink, Saver, SplitBolt, WordCountBolt
from spouts.words import WordSpout


class WordCount(Topology):
    config = {"topology.workers": 2, "topology.message.timeout.secs": 30}

    word_spout = WordSpout.spec(par=2)
    kafka = JavaSpout.spec(name="kafka-words", full_class_name="org.example.KafkaSpout",
                           args_list=["words", 3, 2 ** 40, 0.5, True], outputs=["word"])
    split = SplitBolt.spec(inputs=[word_spout, kafka], par=2)
    count_bolt = WordCountBolt.spec(inputs={split: Grouping.fields("word")}, par=4,
                                    config={"topology.tick.tuple.freq.secs": 10,
                                            "topology.tasks": 8})
    errors = ShellBolt.spec(command="perl", script="errors.pl",
                            inputs={split["errors"]: Grouping.ALL})
    audit = ShellBolt.spec(command="node", script="audit.js",
                           inputs={count_bolt: Grouping.GLOBAL,
                                   kafka: Grouping.custom_object("org.example.Sticky", ["zone", 2])},
                           outputs=[Stream(["cmd"], "control", direct=True)])
    control = ControlSink.spec(inputs={audit["control"]: Grouping.DIRECT})
    saver = Saver.spec(inputs={count_bolt: Grouping.LOCAL_OR_SHUFFLE, word_spout: Grouping.NONE})
