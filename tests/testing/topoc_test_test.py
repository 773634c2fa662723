#!/usr/bin/python3
"""`topoc test` end to end, on a project made by `topoc quickstart`:

  * the quickstart's own first test passes, with pytest (Debian's python3 has
    it) and with unittest (a venv without pytest: auto falls back);
  * a failing test makes the exit code the runner's (1) and its name shows
    in the output, for both runners;
  * -k selects tests; --tests names another folder;
  * no project, no tests folder, a bad --runner: exit 2, nothing run;
  * docs/testing.md's worked example (the seed's SentenceSplitterBolt and its
    tests, copied from the page) passes, and fails as the page shows once the
    bolt forgets to fail an empty sentence.

Usage: topoc_test_test.py TOPOC SOURCE_DIR
"""
import os
import re
import subprocess
import sys
import tempfile

TOPOC = os.path.abspath(sys.argv[1])
SOURCE_DIR = os.path.abspath(sys.argv[2])
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what)


def topoc(*args, cwd=None, env=None):
    p = subprocess.run([TOPOC, *args], cwd=cwd, capture_output=True, text=True, timeout=120, env=env)
    return p.returncode, p.stdout + p.stderr


FAILING = '''import unittest

from streamparse.testing import BoltTester

from bolts.wordcount import WordCounter


class BrokenExpectationTest(unittest.TestCase):
    def test_counts_wrongly(self):
        bolt = BoltTester(WordCounter)
        self.assertEqual(bolt.process(["dog"]), [["dog", 5]])

    def test_fine(self):
        self.assertEqual(BoltTester(WordCounter).process(["x"]), [["x", 1]])
'''


def worked_example():
    with open(os.path.join(SOURCE_DIR, "docs", "testing.md")) as f:
        blocks = re.findall(r"```python\n(.*?)```", f.read(), re.S)
    check(len(blocks) == 3, "docs/testing.md has the bolt, its unittest and its pytest examples")
    if len(blocks) != 3:
        return
    with tempfile.TemporaryDirectory(prefix="topoc-test-doc-") as root:
        for d in ("src/bolts", "tests", "topologies"):
            os.makedirs(os.path.join(root, d))
        files = {
            "config.json": "{}\n",
            "src/bolts/__init__.py": "",
            "src/bolts/sentences.py": blocks[0],
            "tests/test_sentences.py": blocks[1],
            "tests/test_plain.py": "from streamparse.testing import BoltTester\n"
                                   "from bolts.sentences import SentenceSplitterBolt\n\n" + blocks[2],
        }
        for rel, text in files.items():
            with open(os.path.join(root, rel), "w") as f:
                f.write(text)
        rc, out = topoc("test", "--runner", "unittest", cwd=root)
        check(rc == 0 and "Ran 2 tests" in out, "docs example, unittest (rc=%d): %s" % (rc, out))
        has_pytest = subprocess.run(["/usr/bin/python3", "-c", "import pytest"]).returncode == 0
        if has_pytest:
            rc, out = topoc("test", "--python", "/usr/bin/python3", cwd=root)
            check(rc == 0 and "3 passed" in out, "docs example, pytest (rc=%d): %s" % (rc, out))
        bolt = os.path.join(root, "src", "bolts", "sentences.py")
        with open(bolt) as f:
            text = f.read()
        check("self.fail(tup)" in text, "the example bolt fails empty sentences")
        with open(bolt, "w") as f:
            f.write(text.replace("self.fail(tup)", "pass"))
        rc, out = topoc("test", "--runner", "unittest", cwd=root)
        check(rc == 1 and "FAIL: test_no_words_fails_the_tuple" in out
              and "AssertionError: Lists differ: [] != ['empty']" in out,
              "docs example, the failure the page shows (rc=%d): %s" % (rc, out))
        if has_pytest:
            rc, out = topoc("test", "--python", "/usr/bin/python3", cwd=root)
            check(rc == 1 and "FAILED tests/test_sentences.py::SentenceSplitterTest::test_no_words_fails_the_tuple"
                  in out, "docs example, pytest names the failure (rc=%d): %s" % (rc, out))


def main():
    with tempfile.TemporaryDirectory(prefix="topoc-test-") as tmp:
        rc, out = topoc("quickstart", "demo-app", "--dir", tmp)
        check(rc == 0, "quickstart (rc=%d): %s" % (rc, out))
        root = os.path.join(tmp, "demo-app")
        check(os.path.isfile(os.path.join(root, "tests", "test_demo_app.py")), "quickstart wrote tests/test_demo_app.py")

        # pytest: /usr/bin/python3 sees Debian's python3-pytest.
        has_pytest = subprocess.run(["/usr/bin/python3", "-c", "import pytest"]).returncode == 0
        if has_pytest:
            rc, out = topoc("test", "--python", "/usr/bin/python3", cwd=os.path.join(root, "src"))
            check(rc == 0, "pytest: the first test passes (rc=%d): %s" % (rc, out))
            check("pytest" in out and "2 passed" in out, "pytest ran 2 tests: %s" % out)
        else:
            print("note: /usr/bin/python3 has no pytest; pytest cases skipped (apt-get install python3-pytest)")

        # unittest: a venv without pytest, picked by auto.
        venv = os.path.join(tmp, "venv")
        subprocess.run(["/usr/bin/python3", "-m", "venv", "--without-pip", venv], check=True)
        vpy = os.path.join(venv, "bin", "python")
        rc, out = topoc("test", root, "--python", vpy)
        check(rc == 0, "unittest: the first test passes (rc=%d): %s" % (rc, out))
        check("unittest" in out and "Ran 2 tests" in out and "OK" in out, "unittest ran 2 tests: %s" % out)

        # $TOPOC_PYTHON is the default interpreter.
        env = dict(os.environ, TOPOC_PYTHON=vpy)
        rc, out = topoc("test", root, env=env)
        check(rc == 0 and "%s unittest" % vpy in out, "TOPOC_PYTHON picks the interpreter (rc=%d): %s" % (rc, out))

        # A failing suite.
        with open(os.path.join(root, "tests", "test_broken.py"), "w") as f:
            f.write(FAILING)
        rc, out = topoc("test", root, "--python", vpy)
        check(rc == 1, "unittest: a failing test exits 1 (rc=%d)" % rc)
        check("FAIL: test_counts_wrongly" in out and "test_broken.BrokenExpectationTest" in out,
              "unittest names the failing test: %s" % out)
        if has_pytest:
            rc, out = topoc("test", root, "--python", "/usr/bin/python3")
            check(rc == 1, "pytest: a failing test exits 1 (rc=%d)" % rc)
            check("FAILED tests/test_broken.py::BrokenExpectationTest::test_counts_wrongly" in out,
                  "pytest names the failing test: %s" % out)
            check("1 failed, 3 passed" in out, "pytest counts: %s" % out)
            rc, out = topoc("test", root, "--python", "/usr/bin/python3", "--runner", "unittest")
            check(rc == 1 and "Ran 4 tests" in out, "--runner unittest forces unittest (rc=%d): %s" % (rc, out))

        # -k selects; only the passing ones run.
        rc, out = topoc("test", root, "--python", vpy, "-k", "test_fine")
        check(rc == 0 and "Ran 1 test" in out, "-k test_fine runs one test (rc=%d): %s" % (rc, out))

        # --tests DIR.
        other = os.path.join(root, "more_tests")
        os.mkdir(other)
        with open(os.path.join(other, "test_other.py"), "w") as f:
            f.write(FAILING)
        rc, out = topoc("test", root, "--python", vpy, "--tests", "more_tests")
        check(rc == 1 and "Ran 2 tests" in out, "--tests more_tests (rc=%d): %s" % (rc, out))

        # Usage errors: exit 2, a message naming the problem.
        rc, out = topoc("test", root, "--tests", "nope")
        check(rc == 2 and "no tests folder" in out and "nope" in out, "missing tests folder (rc=%d): %s" % (rc, out))
        empty = os.path.join(tmp, "not-a-project")
        os.mkdir(empty)
        rc, out = topoc("test", empty)
        check(rc == 2 and "no project found" in out, "not a project (rc=%d): %s" % (rc, out))
        rc, out = topoc("test", root, "--python", vpy, "--runner", "pytest")
        check(rc == 2 and "cannot import pytest" in out, "--runner pytest without pytest (rc=%d): %s" % (rc, out))
        rc, out = topoc("test", root, "--runner", "nose")
        check(rc == 2, "bad --runner exits 2 (rc=%d): %s" % (rc, out))
        rc, out = topoc("test", root, "--python", os.path.join(tmp, "no-such-python"))
        check(rc == 2 and "no-such-python" in out, "missing interpreter (rc=%d): %s" % (rc, out))

    worked_example()

    if failures:
        print("%d failure(s)" % len(failures))
        return 1
    print("topoc test: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
