#!/usr/bin/python3
"""`topoc run` on what quickstart makes and on examples/sentences, end to end:
the processes really start, tuples flow through every component, and the
bolts leave their results in the project's logs/.

  * a fresh `topoc quickstart` project runs: WordCounter's log lines
    ("dog: N") reach logs/;
  * a copy of examples/sentences runs: WordSaver's logs/word_counts_*.json
    holds words from both spouts (Python and Perl), and ErrorLog's
    logs/sentence_errors_*.log holds the Perl spout's wordless "!?" sentence,
    which travelled the splitter's named `errors` stream.

Skipped (exit 0, with a note) while `topoc run` is still a placeholder.
Usage: run_examples_test.py TOPOC SOURCE_DIR
"""
import glob
import json
import os
import shutil
import subprocess
import sys
import tempfile

TOPOC = os.path.abspath(sys.argv[1])
SOURCE_DIR = os.path.abspath(sys.argv[2])
RUN_SECS = "6"
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what)


def run(project):
    p = subprocess.run([TOPOC, "run", project, "--time", RUN_SECS], capture_output=True, text=True,
                       timeout=120)
    return p.returncode, p.stdout + p.stderr


def read_all(pattern):
    text = ""
    for path in glob.glob(pattern):
        with open(path, errors="replace") as f:
            text += f.read()
    return text


def main():
    probe = subprocess.run([TOPOC, "run", "--help"], capture_output=True, text=True)
    if "not implemented" in probe.stdout + probe.stderr or "--time" not in probe.stdout:
        print("NOTE: `topoc run` (with --time) is not available yet; skipping")
        return 0
    with tempfile.TemporaryDirectory(prefix="topoc-run-examples-") as tmp:
        # 1. quickstart, then run it.
        rc, out = subprocess.run([TOPOC, "quickstart", "demo", "--dir", tmp], capture_output=True,
                                 text=True).returncode, ""
        check(rc == 0, "quickstart demo")
        demo = os.path.join(tmp, "demo")
        rc, out = run(demo)
        check(rc == 0, "`topoc run` of a quickstart project exits 0 (rc=%d):\n%s" % (rc, out[-3000:]))
        logs = read_all(os.path.join(demo, "logs", "*"))
        check("dog: " in logs and "elephant: " in logs,
              "WordCounter's counts reach logs/ (%d bytes of logs):\n%s" % (len(logs), out[-2000:]))

        # 2. a copy of examples/sentences (so the run leaves the tree clean).
        sentences = os.path.join(tmp, "sentences")
        shutil.copytree(os.path.join(SOURCE_DIR, "examples", "sentences"), sentences,
                        ignore=shutil.ignore_patterns("_build", "logs", "__pycache__", "*.pyc"))
        rc, out = run(sentences)
        check(rc == 0, "`topoc run` of examples/sentences exits 0 (rc=%d):\n%s" % (rc, out[-3000:]))
        counts = {}
        for path in glob.glob(os.path.join(sentences, "logs", "word_counts_*.json")):
            try:
                with open(path) as f:
                    for word, n in json.load(f).items():
                        counts[word] = max(n, counts.get(word, 0))
            except (OSError, ValueError) as e:
                check(False, "%s is JSON: %s" % (path, e))
        check(counts.get("sandwich", 0) > 0, "words of the Python spout are counted and saved: %r\n%s"
              % (sorted(counts), out[-2000:]))
        check(counts.get("Perl", 0) > 0 and counts.get("multilang", 0) > 0,
              "words of the Perl spout are counted and saved: %r\n%s" % (sorted(counts), out[-2000:]))
        check(all(isinstance(n, int) and n > 0 for n in counts.values()), "counts are positive integers")
        errors = read_all(os.path.join(sentences, "logs", "sentence_errors_*.log"))
        check("no words\t!?\n" in errors, "the wordless sentence went down the errors stream to ErrorLog: %r"
              % errors[:200])
    if failures:
        print("%d check(s) failed" % len(failures))
        return 1
    print("run examples: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
