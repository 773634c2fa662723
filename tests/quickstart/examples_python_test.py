#!/usr/bin/python3
"""Runs the example projects' Python spouts and bolts (examples/wordcount,
examples/sentences) on the real streamparse runtime (stdlib/python) as
separate processes, playing Storm's side of the multilang protocol, and
checks what they emit, ack, log and write.

Usage: examples_python_test.py SOURCE_DIR
"""
import json
import os
import select
import subprocess
import sys
import tempfile
import time

SOURCE_DIR = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", ".."))
RUNTIME = os.path.join(SOURCE_DIR, "stdlib", "python")
TIMEOUT = 15.0
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what)


class FakeStorm:
    """One component process, and Storm's half of the JSON multilang protocol.
    Answers every emit that wants task ids with [1]."""

    def __init__(self, project, class_path, conf=None, task=3, component="comp"):
        self.tmp = tempfile.mkdtemp(prefix="topoc-example-")
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join([os.path.join(project, "src"), RUNTIME])
        env.pop("PYTHONSTARTUP", None)
        self.proc = subprocess.Popen([sys.executable, "-m", "streamparse.run", class_path],
                                     cwd=os.path.join(project, "src"), env=env,
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE)
        self.buf = b""
        self.conf = {"topology.name": "example", "streamparse.log.path": os.path.join(self.tmp, "logs")}
        self.conf.update(conf or {})
        self.send({"conf": self.conf, "pidDir": self.tmp,
                   "context": {"taskid": task, "componentid": component,
                               "task->component": {str(task): component}}})
        reply = self.read()
        check(reply.get("pid") == self.proc.pid, "%s: handshake answers its pid: %r" % (class_path, reply))

    def send(self, msg):
        self.proc.stdin.write(json.dumps(msg).encode() + b"\nend\n")
        self.proc.stdin.flush()

    def read(self):
        deadline = time.time() + TIMEOUT
        while True:
            lines = self.buf.split(b"\n")
            if b"end" in lines[:-1]:
                i = lines.index(b"end")
                self.buf = b"\n".join(lines[i + 1:])
                msg = json.loads(b"\n".join(lines[:i]))
                if isinstance(msg, dict) and msg.get("command") == "emit" and msg.get("need_task_ids", True):
                    self.send([1])
                return msg
            left = deadline - time.time()
            if left <= 0 or not select.select([self.proc.stdout], [], [], left)[0]:
                raise TimeoutError("no message; stderr: %s" % self.stderr())
            chunk = os.read(self.proc.stdout.fileno(), 65536)
            if not chunk:
                raise EOFError("component closed stdout; stderr: %s" % self.stderr())
            self.buf += chunk

    def stderr(self):
        if self.proc.poll() is None:
            return "(still running)"
        return self.proc.stderr.read().decode(errors="replace")

    def spout_command(self, command, msg_id=""):
        self.send({"command": command, "id": msg_id})
        out = []
        while True:
            m = self.read()
            if m == {"command": "sync"}:
                return out
            out.append(m)

    def bolt_tuple(self, values, tup_id, stream="default", comp="source", task=1):
        """Sends a tuple; returns the messages up to its ack or fail."""
        self.send({"id": tup_id, "comp": comp, "stream": stream, "task": task, "tuple": values})
        out = []
        while True:
            m = self.read()
            out.append(m)
            if m.get("command") in ("ack", "fail") and m.get("id") == tup_id:
                return out

    def tick(self):
        """Sends a tick tuple; returns the messages until the component falls
        quiet (ticks are acked by the runtime, or not at all)."""
        self.send({"id": "tick-1", "comp": "__system", "stream": "__tick", "task": -1, "tuple": [10]})
        out = []
        while True:
            r = select.select([self.proc.stdout], [], [], 0.5)[0]
            if not r and b"end" not in self.buf.split(b"\n")[:-1]:
                return out
            m = self.read()
            out.append(m)
            if m.get("command") in ("ack", "fail"):
                return out

    def close(self):
        self.proc.stdin.close()
        try:
            rc = self.proc.wait(TIMEOUT)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            rc = None
        return rc


def emits(messages):
    return [m for m in messages if m.get("command") == "emit"]


def test_wordcount():
    project = os.path.join(SOURCE_DIR, "examples", "wordcount")
    spout = FakeStorm(project, "spouts.words.WordSpout")
    words = []
    for _ in range(5):
        out = spout.spout_command("next")
        check(len(emits(out)) == 1, "WordSpout: one emit per next: %r" % out)
        words += [e["tuple"] for e in emits(out)]
    check(words == [["dog"], ["cat"], ["zebra"], ["elephant"], ["dog"]], "WordSpout cycles its words: %r" % words)
    check(spout.close() == 0, "WordSpout exits 0 at end of input")

    bolt = FakeStorm(project, "bolts.wordcount.WordCounter")
    seen = []
    for i, word in enumerate(["dog", "cat", "dog"]):
        out = bolt.bolt_tuple([word], "t%d" % i)
        e = emits(out)
        check(len(e) == 1 and e[0].get("anchors") == ["t%d" % i], "WordCounter: one anchored emit: %r" % out)
        check(out[-1] == {"command": "ack", "id": "t%d" % i}, "WordCounter acks each tuple: %r" % out[-1])
        check(any(m.get("command") == "log" for m in out), "WordCounter logs each count")
        seen += [x["tuple"] for x in e]
    check(seen == [["dog", 1], ["cat", 1], ["dog", 2]], "WordCounter emits running counts: %r" % seen)
    check(bolt.close() == 0, "WordCounter exits 0 at end of input")


def test_sentences():
    project = os.path.join(SOURCE_DIR, "examples", "sentences")
    spout = FakeStorm(project, "spouts.SentenceSpout")
    got = [emits(spout.spout_command("next"))[0]["tuple"][0] for _ in range(5)]
    check(len(set(got[:4])) == 4 and got[4] == got[0], "SentenceSpout cycles four sentences: %r" % got)
    ids = []
    for _ in range(95):  # 5 emitted above: up to 100 in flight
        e = emits(spout.spout_command("next"))
        check(len(e) == 1 and "id" in e[0], "SentenceSpout emits reliable tuples: %r" % e)
        ids += [x.get("id") for x in e]
    check(emits(spout.spout_command("next")) == [], "SentenceSpout: nothing more at 100 in flight")
    check(spout.spout_command("ack", ids[-1]) == [] and spout.spout_command("fail", ids[-2]) == [],
          "SentenceSpout: ack and fail are answered by sync alone")
    e = emits(spout.spout_command("next")) + emits(spout.spout_command("next"))
    check(len(e) == 2, "SentenceSpout: an ack or fail makes room again: %r" % e)
    check(emits(spout.spout_command("next")) == [], "SentenceSpout: full again")
    check(spout.close() == 0, "SentenceSpout exits 0")

    splitter = FakeStorm(project, "bolts.SentenceSplitter")
    out = splitter.bolt_tuple(["Hello, big world!"], "s1")
    check([e["tuple"] for e in emits(out)] == [["Hello"], ["big"], ["world"]],
          "SentenceSplitter emits one tuple per word, punctuation gone: %r" % out)
    check(all(e.get("stream", "default") == "default" for e in emits(out)), "words go to the default stream")
    check(out[-1] == {"command": "ack", "id": "s1"}, "SentenceSplitter acks the sentence")
    out = splitter.bolt_tuple(["!?"], "s2")
    check([(e.get("stream"), e["tuple"]) for e in emits(out)] == [("errors", ["!?", "no words"])],
          "a sentence without words goes to the errors stream as (sentence, reason): %r" % out)
    check(out[-1] == {"command": "ack", "id": "s2"}, "the wordless sentence is acked")
    check(splitter.close() == 0, "SentenceSplitter exits 0")

    counter = FakeStorm(project, "bolts.WordCounter")
    counts = [emits(counter.bolt_tuple([w], "w%d" % i))[0]["tuple"] for i, w in enumerate(["a", "b", "a"])]
    check(counts == [["a", 1], ["b", 1], ["a", 2]], "WordCounter counts: %r" % counts)
    out = counter.tick()
    check(not emits(out) and any("2 distinct words" in m.get("msg", "") for m in out),
          "WordCounter logs a summary on a tick and emits nothing: %r" % out)
    check(counter.close() == 0, "WordCounter exits 0")

    saver = FakeStorm(project, "bolts.WordSaver", task=9)
    for i, (w, c) in enumerate([("a", 1), ("b", 1), ("a", 2)]):
        out = saver.bolt_tuple([w, c], "c%d" % i)
        check(not emits(out) and out[-1]["command"] == "ack", "WordSaver emits nothing and acks: %r" % out)
    time.sleep(0.6)  # saves at most every half second: the next tuple saves
    saver.bolt_tuple(["c", 7], "c9")
    path = os.path.join(saver.conf["streamparse.log.path"], "word_counts_9.json")
    try:
        saved = json.load(open(path))
    except (OSError, ValueError) as e:
        saved = "unreadable: %s" % e
    check(saved == {"a": 2, "b": 1, "c": 7}, "WordSaver writes the latest counts to %s: %r" % (path, saved))
    check(saver.close() == 0, "WordSaver exits 0")

    errors = FakeStorm(project, "bolts.ErrorLog", task=4)
    out = errors.bolt_tuple(["!?", "no words"], "e1", stream="errors", comp="sentence-splitter")
    check(out[-1] == {"command": "ack", "id": "e1"}, "ErrorLog acks: %r" % out)
    check(any(m.get("command") == "log" and m.get("level") == 3 for m in out), "ErrorLog logs a warning")
    path = os.path.join(errors.conf["streamparse.log.path"], "sentence_errors_4.log")
    text = open(path).read() if os.path.exists(path) else None
    check(text == "no words\t!?\n", "ErrorLog appends 'reason<TAB>sentence' to %s: %r" % (path, text))
    check(errors.close() == 0, "ErrorLog exits 0")


def main():
    if not os.path.isfile(os.path.join(RUNTIME, "streamparse", "run.py")):
        print("FAIL: no streamparse runtime at %s" % RUNTIME)
        return 1
    for test in (test_wordcount, test_sentences):
        try:
            test()
        except (TimeoutError, EOFError) as e:
            check(False, "%s: %s" % (test.__name__, e))
    if failures:
        print("%d check(s) failed" % len(failures))
        return 1
    print("example components: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
