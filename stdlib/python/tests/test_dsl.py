"""The streamparse 3.x/4.x topology DSL recorders (streamparse.dsl) and
their command-line recorder, as `topoc import` uses them."""

import json
import os
import subprocess
import sys
import tempfile
import textwrap
import unittest

import streamparse
from streamparse import Bolt, Spout
from streamparse.dsl import (Grouping, JavaBolt, JavaSpout, ShellBolt, ShellSpout,
                             Stream, Topology, TopologyError)
from tests.harness import PACKAGE_ROOT


class Words(Spout):
    outputs = ["word"]


class Split(Bolt):
    outputs = ["word", Stream(["sentence", "reason"], "errors"),
               Stream(["cmd"], name="ctl", direct=True)]


class Sink(Bolt):
    pass


def component(data, cid):
    return next(c for c in data["components"] if c["id"] == cid)


class RecorderTest(unittest.TestCase):
    def test_exported_from_streamparse(self):
        for name in ("Topology", "Grouping", "Stream", "JavaSpout", "JavaBolt",
                     "ShellSpout", "ShellBolt"):
            self.assertIs(getattr(streamparse, name), getattr(sys.modules["streamparse.dsl"], name))

    def test_every_spec(self):
        class T(Topology):
            config = {"topology.workers": 3, "b": [1, 2]}
            words = Words.spec(par=2)
            java = JavaSpout.spec(name="k", full_class_name="a.K",
                                  args_list=["s", 1, 2 ** 31, -2 ** 31, 0.5, True], outputs=["word"])
            split = Split.spec(inputs=[words, java], config={"x": 1})
            sink = Sink.spec(name="the-sink", inputs={
                split: Grouping.fields("word"), split["errors"]: Grouping.ALL,
                split["ctl"]: Grouping.DIRECT, words: Grouping.custom_object("a.G", ["z", 2])})
            shell = ShellBolt.spec(command="node", script="x.js",
                                   inputs={java: Grouping.LOCAL_OR_SHUFFLE, words: Grouping.NONE},
                                   outputs=["a", Stream(["b"], "side")])
            jbolt = JavaBolt.spec(full_class_name="a.B", inputs={split: Grouping.GLOBAL}, par=3)
            sh_spout = ShellSpout.spec(command="./run")

        data = json.loads(json.dumps(T.to_json()))
        self.assertEqual(data["class"], "T")
        self.assertEqual(data["config"], {"topology.workers": 3, "b": [1, 2]})
        ids = [c["id"] for c in data["components"]]
        self.assertEqual(ids, ["words", "k", "sh_spout", "split", "the-sink", "shell", "jbolt"])
        words = component(data, "words")
        self.assertEqual((words["role"], words["kind"], words["python_class"], words["parallelism"]),
                         ("spout", "python", __name__ + ".Words", 2))
        self.assertEqual(words["outputs"], [{"stream": "default", "fields": ["word"], "direct": False}])
        java = component(data, "k")
        self.assertEqual(java["java_args"], [
            {"type": "string", "value": "s"}, {"type": "int", "value": 1},
            {"type": "long", "value": 2 ** 31}, {"type": "int", "value": -2 ** 31},
            {"type": "double", "value": 0.5}, {"type": "bool", "value": True}])
        split = component(data, "split")
        self.assertEqual([o["stream"] for o in split["outputs"]], ["default", "errors", "ctl"])
        self.assertTrue(split["outputs"][2]["direct"])
        self.assertEqual(split["config"], {"x": 1})
        self.assertEqual([(i["source"], i["grouping"]["kind"]) for i in split["inputs"]],
                         [("words", "shuffle"), ("k", "shuffle")])
        sink = component(data, "the-sink")
        self.assertEqual([(i["source"], i["stream"], i["grouping"]) for i in sink["inputs"]], [
            ("split", "default", {"kind": "fields", "fields": ["word"]}),
            ("split", "errors", {"kind": "all"}),
            ("split", "ctl", {"kind": "direct"}),
            ("words", "default", {"kind": "custom", "class": "a.G",
                                  "args": [{"type": "string", "value": "z"},
                                           {"type": "int", "value": 2}]})])
        self.assertEqual(sink["outputs"], [])
        shell = component(data, "shell")
        self.assertEqual(shell["command"], ["node", "x.js"])
        self.assertEqual([o["stream"] for o in shell["outputs"]], ["default", "side"])
        self.assertEqual(component(data, "sh_spout")["command"], ["./run"])
        self.assertEqual(component(data, "jbolt")["inputs"][0]["grouping"], {"kind": "global"})
        self.assertEqual(component(data, "jbolt")["parallelism"], 3)

    def test_class_attributes_of_shell_and_java_subclasses(self):
        class Node(ShellBolt):
            command = "node"
            script = "count.js"
            outputs = ["word", "count"]

        class Kafka(JavaSpout):
            full_class_name = "org.example.Kafka"
            args_list = ["topic", 2]
            outputs = ["bytes"]

        class T(Topology):
            kafka = Kafka.spec(par=2)
            count = Node.spec(inputs=[kafka])

        data = T.to_json()
        kafka = component(data, "kafka")
        self.assertEqual((kafka["java_class"], kafka["java_args"], kafka["outputs"][0]["fields"]),
                         ("org.example.Kafka", [{"type": "string", "value": "topic"},
                                                {"type": "int", "value": 2}], ["bytes"]))
        count = component(data, "count")
        self.assertEqual((count["command"], count["outputs"][0]["fields"]),
                         (["node", "count.js"], ["word", "count"]))

    def test_groupings(self):
        self.assertEqual(Grouping.fields(["a", "b"]).to_json(), {"kind": "fields", "fields": ["a", "b"]})
        self.assertEqual(Grouping.fields("a", "b").to_json(), {"kind": "fields", "fields": ["a", "b"]})
        self.assertIs(Grouping.fields(), Grouping.GLOBAL)
        with self.assertRaisesRegex(TopologyError, "custom_serialized"):
            Grouping.custom_serialized(b"\xac\xed")
        with self.assertRaisesRegex(TopologyError, "field names"):
            Grouping.fields(1)

    def test_refusals(self):
        with self.assertRaisesRegex(TopologyError, "a spout takes no inputs"):
            Words.spec(inputs=[Words.spec()])
        with self.assertRaisesRegex(TopologyError, "par must be a positive integer"):
            Words.spec(par=0)
        with self.assertRaisesRegex(TopologyError, "has no stream 'nope'"):
            Split.spec()["nope"]
        with self.assertRaisesRegex(TopologyError, "not a grouping"):
            Sink.spec(inputs={Words.spec(): "shuffle"})
        with self.assertRaisesRegex(TopologyError, "Java arguments"):
            JavaSpout.spec(full_class_name="a.K", args_list=[None])
        with self.assertRaisesRegex(TopologyError, "needs command"):
            ShellBolt.spec(script="x.js")
        with self.assertRaisesRegex(TopologyError, "default stream twice"):
            ShellBolt.spec(command="x", outputs=["a", Stream(["b"])])
        with self.assertRaisesRegex(TopologyError, "serialized_java"):
            JavaBolt.spec(serialized_java=b"\xac\xed")
        orphan = Words.spec()

        class T(Topology):
            sink = Sink.spec(inputs=[orphan])

        with self.assertRaisesRegex(TopologyError, "not part of topology T"):
            T.to_json()


class RecordCommandTest(unittest.TestCase):
    def record(self, source, files=None):
        tmp = tempfile.mkdtemp(prefix="dsl-record-")
        src = os.path.join(tmp, "src")
        os.makedirs(src)
        for name, text in (files or {}).items():
            with open(os.path.join(src, name), "w") as fh:
                fh.write(textwrap.dedent(text))
        path = os.path.join(tmp, "topo.py")
        with open(path, "w") as fh:
            fh.write(textwrap.dedent(source))
        out = os.path.join(tmp, "out.json")
        env = dict(os.environ, PYTHONPATH=PACKAGE_ROOT, PYTHONDONTWRITEBYTECODE="1")
        r = subprocess.run([sys.executable, "-m", "streamparse.dsl.record", path, src, out],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           universal_newlines=True, env=env)
        data = None
        if os.path.exists(out):
            with open(out) as fh:
                data = json.load(fh)
        return r, data

    def test_src_on_the_path(self):
        r, data = self.record("""
            from streamparse import Topology
            from comps import W
            class WordCount(Topology):
                w = W.spec()
            """, {"comps.py": """
            from streamparse import Spout
            class W(Spout):
                outputs = ["w"]
            """})
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(data["components"][0]["python_class"], "comps.W")

    def test_errors(self):
        r, data = self.record("raise RuntimeError('boom')\n")
        self.assertEqual(r.returncode, 1)
        self.assertIsNone(data)
        self.assertIn("Traceback", r.stderr)
        self.assertIn("RuntimeError: boom", r.stderr)
        self.assertNotIn("record.py", r.stderr)

        r, _ = self.record("x = 1\n")
        self.assertEqual(r.returncode, 1)
        self.assertIn("no streamparse Topology subclass", r.stderr)

        r, _ = self.record("""
            from streamparse import Topology
            class A(Topology): pass
            class B(Topology): pass
            """)
        self.assertEqual(r.returncode, 1)
        self.assertIn("2 Topology subclasses (A, B)", r.stderr)

        r, _ = self.record("""
            from streamparse import Spout, Topology
            class S(Spout):
                outputs = ["x"]
            class T(Topology):
                s = S.spec(par=-1)
            """)
        self.assertEqual(r.returncode, 1)
        self.assertRegex(r.stderr, r"topo\.py:6: error: par must be a positive integer")

        r, _ = self.record("""
            from streamparse import Spout, Topology
            class S(Spout):
                outputs = ["x"]
            class T(Topology):
                s = S.spec()
            """)
        self.assertEqual(r.returncode, 1)
        self.assertRegex(r.stderr, r"topo\.py:6: error: the class of 's' \(S\) is defined in the topology file")

        r, _ = self.record("""
            from streamparse import Topology
            class T(Topology):
                config = {"x": object()}
            """)
        self.assertEqual(r.returncode, 1)
        self.assertIn("not JSON", r.stderr)


if __name__ == "__main__":
    unittest.main()
